using System.Collections.Frozen;
using GraphRag.Graph;

namespace GraphRag.Ingest.Extraction;

/// <summary>A gazetteer phrase or synonym surface, as the key words it must match.</summary>
/// <param name="Keys">The phrase's key split into words.</param>
/// <param name="Type">The entity type it gives, or null to keep the type found in the text.</param>
/// <param name="Surface">The phrase as written in the profile; compared letter by letter when matching is case-sensitive.</param>
/// <param name="CanonicalName">For synonyms, the name of the entity the surface resolves to.</param>
internal sealed record PhraseEntry(string[] Keys, string? Type, bool CaseInsensitive, string Surface, string? CanonicalName)
{
    public string? CanonicalKey { get; } = CanonicalName is null ? null : EntityKey.Normalize(CanonicalName);
}

/// <summary>Profile gazetteers and synonyms indexed by their first key word, longest phrase first.</summary>
internal sealed class PhraseMatcher
{
    private static readonly PhraseMatcher EmptyMatcher = new(FrozenDictionary<string, PhraseEntry[]>.Empty, FrozenDictionary<string, PhraseEntry>.Empty);

    private PhraseMatcher(FrozenDictionary<string, PhraseEntry[]> byFirstKey, FrozenDictionary<string, PhraseEntry> synonymsByKey)
    {
        ByFirstKey = byFirstKey;
        SynonymsByKey = synonymsByKey;
    }

    public FrozenDictionary<string, PhraseEntry[]> ByFirstKey { get; }

    /// <summary>Synonym surfaces (and their canonical names) by full key, for mentions found by other rules.</summary>
    public FrozenDictionary<string, PhraseEntry> SynonymsByKey { get; }

    public bool IsEmpty => ByFirstKey.Count == 0;

    public static PhraseMatcher FromProfile(DomainProfile? profile)
    {
        if (profile is null)
        {
            return EmptyMatcher;
        }

        var entries = new List<PhraseEntry>();
        var typeByKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in profile.EntityTypes)
        {
            foreach (var phrase in type.Gazetteer)
            {
                var key = EntityKey.Normalize(phrase);
                typeByKey.TryAdd(key, type.Name);
                entries.Add(new PhraseEntry(key.Split(' '), type.Name, type.CaseInsensitive, phrase, null));
            }
        }

        var synonyms = new Dictionary<string, PhraseEntry>(StringComparer.Ordinal);
        foreach (var synonym in profile.Synonyms)
        {
            var canonicalKey = EntityKey.Normalize(synonym.Canonical);
            var type = synonym.Type ?? typeByKey.GetValueOrDefault(canonicalKey);
            var surfaceKey = EntityKey.Normalize(synonym.Surface);
            var entry = new PhraseEntry(surfaceKey.Split(' '), type, true, synonym.Surface, synonym.Canonical);
            entries.Add(entry);
            synonyms.TryAdd(surfaceKey, entry);

            // The canonical name itself resolves to the same entity with the same type, gazetteer or not.
            var canonical = new PhraseEntry(canonicalKey.Split(' '), type, true, synonym.Canonical, synonym.Canonical);
            entries.Add(canonical);
            synonyms.TryAdd(canonicalKey, canonical);
        }

        var byFirst = entries
            .GroupBy(e => e.Keys[0], StringComparer.Ordinal)
            .ToFrozenDictionary(
                g => g.Key,
                g => g.OrderByDescending(e => e.Keys.Length).ThenBy(e => e.CanonicalName is null ? 1 : 0).ToArray(),
                StringComparer.Ordinal);
        return new PhraseMatcher(byFirst, synonyms.ToFrozenDictionary(StringComparer.Ordinal));
    }
}
