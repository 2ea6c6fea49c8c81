using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using GraphRag.Graph;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>An entity type a domain adds, found by exact phrases (a gazetteer) and regular expressions.</summary>
/// <param name="Name">The type name, e.g. <c>Drug</c>; may also be a built-in type to extend it.</param>
/// <param name="Gazetteer">Phrases that are entities of this type.</param>
/// <param name="Patterns">.NET regular expressions whose whole match is an entity of this type.</param>
/// <param name="CaseInsensitive">Gazetteer phrases and patterns ignore case (and, for phrases, punctuation and diacritics).</param>
public sealed record DomainEntityType(string Name, IReadOnlyList<string> Gazetteer, IReadOnlyList<string> Patterns, bool CaseInsensitive = true);

/// <summary>A surface form that names the same entity as <paramref name="Canonical"/> ("acetylsalicylic acid" → "aspirin").</summary>
/// <param name="Type">The entity type; when null, the type of the canonical name's gazetteer entry, else the type found in the text.</param>
public sealed record DomainSynonym(string Surface, string Canonical, string? Type = null);

/// <summary>
/// A relation a domain adds: either cue phrases that must stand between two mentions, or a regular expression over a
/// sentence with <c>{source}</c> and <c>{target}</c> slots. The relation goes from the left mention to the right one
/// unless <paramref name="Reverse"/> is set ("X is treated with Y" → Y treats X).
/// </summary>
public sealed record DomainRelationPattern(
    string Label,
    IReadOnlyList<string> Cues,
    string? Pattern = null,
    string? SourceType = null,
    string? TargetType = null,
    bool Reverse = false);

/// <summary>A domain profile that cannot be used: unreadable, malformed or inconsistent. The message says where.</summary>
public sealed class DomainProfileException : GraphRagException
{
    public DomainProfileException()
    {
    }

    public DomainProfileException(string message)
        : base(message)
    {
    }

    public DomainProfileException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Domain customisation of <see cref="RuleBasedGraphExtractor"/> without code: extra entity types with gazetteers and
/// regexes, synonyms, and relation patterns. Load one with <see cref="LoadAsync"/>; the JSON shape is documented in
/// <c>Extraction/Profiles/README.md</c>. Immutable and validated: a profile that loads is one the extractor can run.
/// </summary>
public sealed partial class DomainProfile
{
    private static readonly JsonSerializerOptions ReadOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly JsonSerializerOptions FingerprintOptions = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    private DomainProfile(
        string name,
        TimeSpan regexTimeout,
        IReadOnlyList<DomainEntityType> entityTypes,
        IReadOnlyList<DomainSynonym> synonyms,
        IReadOnlyList<DomainRelationPattern> relations,
        IReadOnlyList<CompiledTypePattern> typePatterns,
        IReadOnlyList<CompiledRelationPattern> relationPatterns)
    {
        Name = name;
        RegexTimeout = regexTimeout;
        EntityTypes = entityTypes;
        Synonyms = synonyms;
        Relations = relations;
        TypePatterns = typePatterns;
        RelationPatterns = relationPatterns;
        Fingerprint = StableId.Hash(JsonSerializer.Serialize(
            new { name, timeout = regexTimeout.TotalMilliseconds, entityTypes, synonyms, relations }, FingerprintOptions))[..16];
    }

    public string Name { get; }

    /// <summary>Time limit for one regex match; a pattern that exceeds it fails the document rather than hang it.</summary>
    public TimeSpan RegexTimeout { get; }

    public IReadOnlyList<DomainEntityType> EntityTypes { get; }

    public IReadOnlyList<DomainSynonym> Synonyms { get; }

    public IReadOnlyList<DomainRelationPattern> Relations { get; }

    /// <summary>A hash of every setting; part of the extractor's version so a changed profile re-processes documents.</summary>
    public string Fingerprint { get; }

    internal IReadOnlyList<CompiledTypePattern> TypePatterns { get; }

    internal IReadOnlyList<CompiledRelationPattern> RelationPatterns { get; }

    /// <summary>Reads and validates a profile file.</summary>
    /// <exception cref="DomainProfileException">The file is missing, not JSON of the expected shape, or inconsistent.</exception>
    public static async Task<DomainProfile> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ProfileFile? file;
        try
        {
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                file = await JsonSerializer.DeserializeAsync<ProfileFile>(stream, ReadOptions, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException ex)
        {
            throw new DomainProfileException(
                $"Domain profile '{path}' is not valid: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new DomainProfileException($"Domain profile '{path}' cannot be read: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new DomainProfileException($"Domain profile '{path}' cannot be read: {ex.Message}", ex);
        }

        return Build(file, path);
    }

    /// <summary>Parses and validates a profile from JSON text; <paramref name="source"/> names it in error messages.</summary>
    public static DomainProfile Parse(string json, string source = "(inline)")
    {
        ArgumentNullException.ThrowIfNull(json);
        ProfileFile? file;
        try
        {
            file = JsonSerializer.Deserialize<ProfileFile>(json, ReadOptions);
        }
        catch (JsonException ex)
        {
            throw new DomainProfileException($"Domain profile '{source}' is not valid: {ex.Message}", ex);
        }

        return Build(file, source);
    }

    /// <summary>Builds and validates a profile from code.</summary>
    public static DomainProfile Create(
        string name,
        IEnumerable<DomainEntityType>? entityTypes = null,
        IEnumerable<DomainSynonym>? synonyms = null,
        IEnumerable<DomainRelationPattern>? relations = null,
        TimeSpan? regexTimeout = null)
    {
        var file = new ProfileFile
        {
            Name = name,
            RegexTimeoutMilliseconds = regexTimeout is { } t ? (int)Math.Ceiling(t.TotalMilliseconds) : null,
            EntityTypes = entityTypes?.Select(t => (TypeFile?)new TypeFile
            {
                Name = t.Name,
                CaseInsensitive = t.CaseInsensitive,
                Gazetteer = t.Gazetteer?.ToList(),
                Patterns = t.Patterns?.ToList(),
            }).ToList(),
            Synonyms = synonyms?.Select(s => (SynonymFile?)new SynonymFile { Surface = s.Surface, Canonical = s.Canonical, Type = s.Type }).ToList(),
            Relations = relations?.Select(r => (RelationFile?)new RelationFile
            {
                Label = r.Label,
                Cues = r.Cues?.ToList(),
                Pattern = r.Pattern,
                SourceType = r.SourceType,
                TargetType = r.TargetType,
                Reverse = r.Reverse,
            }).ToList(),
        };
        return Build(file, name ?? "(code)");
    }

    private static DomainProfile Build(ProfileFile? file, string source)
    {
        var errors = new List<string>();
        if (file is null)
        {
            throw new DomainProfileException($"Domain profile '{source}' is empty.");
        }

        if (string.IsNullOrWhiteSpace(file.Name))
        {
            errors.Add("name is required");
        }

        var timeoutMs = file.RegexTimeoutMilliseconds ?? 250;
        if (timeoutMs is < 1 or > 60_000)
        {
            errors.Add("regexTimeoutMilliseconds must be between 1 and 60000");
        }

        var timeout = TimeSpan.FromMilliseconds(Math.Clamp(timeoutMs, 1, 60_000));
        var types = new List<DomainEntityType>();
        var compiledTypes = new List<CompiledTypePattern>();
        var knownTypes = new HashSet<string>(
            [Graph.Model.EntityTypes.Person, Graph.Model.EntityTypes.Organization, Graph.Model.EntityTypes.Location,
             Graph.Model.EntityTypes.Work, Graph.Model.EntityTypes.Date, Graph.Model.EntityTypes.Quantity, Graph.Model.EntityTypes.Other],
            StringComparer.Ordinal);
        var typeFiles = file.EntityTypes ?? [];
        for (var i = 0; i < typeFiles.Count; i++)
        {
            var where = $"entityTypes[{i}]";
            var type = typeFiles[i];
            if (type is null)
            {
                errors.Add($"{where} is null");
                continue;
            }

            if (type.Name is null || !TypeNamePattern().IsMatch(type.Name))
            {
                errors.Add($"{where}.name '{type.Name}' must be 1-64 letters, digits, '_' or '-', starting with a letter");
                continue;
            }

            knownTypes.Add(type.Name);
            var gazetteer = new List<string>();
            var phrases = type.Gazetteer ?? [];
            for (var j = 0; j < phrases.Count; j++)
            {
                if (string.IsNullOrWhiteSpace(phrases[j]) || EntityKey.Normalize(phrases[j]).Length == 0)
                {
                    errors.Add($"{where}.gazetteer[{j}] must contain a letter or digit");
                    continue;
                }

                gazetteer.Add(phrases[j].Trim());
            }

            var patterns = new List<string>();
            var patternTexts = type.Patterns ?? [];
            for (var j = 0; j < patternTexts.Count; j++)
            {
                var regex = Compile(patternTexts[j], type.CaseInsensitive, timeout, $"{where}.patterns[{j}]", errors);
                if (regex is not null)
                {
                    patterns.Add(patternTexts[j]);
                    compiledTypes.Add(new CompiledTypePattern(type.Name, patternTexts[j], regex));
                }
            }

            if (gazetteer.Count == 0 && patterns.Count == 0)
            {
                errors.Add($"{where} ('{type.Name}') needs at least one gazetteer phrase or pattern");
            }

            types.Add(new DomainEntityType(type.Name, gazetteer, patterns, type.CaseInsensitive));
        }

        var synonyms = new List<DomainSynonym>();
        var seenSurfaces = new Dictionary<string, string>(StringComparer.Ordinal);
        var synonymFiles = file.Synonyms ?? [];
        for (var i = 0; i < synonymFiles.Count; i++)
        {
            var where = $"synonyms[{i}]";
            var synonym = synonymFiles[i];
            if (synonym is null || string.IsNullOrWhiteSpace(synonym.Surface) || string.IsNullOrWhiteSpace(synonym.Canonical)
                || EntityKey.Normalize(synonym.Surface).Length == 0 || EntityKey.Normalize(synonym.Canonical).Length == 0)
            {
                errors.Add($"{where} needs a non-empty 'surface' and 'canonical' containing a letter or digit");
                continue;
            }

            if (synonym.Type is not null && !knownTypes.Contains(synonym.Type))
            {
                errors.Add($"{where}.type '{synonym.Type}' is neither a built-in type nor declared in entityTypes");
            }

            var surfaceKey = EntityKey.Normalize(synonym.Surface);
            var canonicalKey = EntityKey.Normalize(synonym.Canonical);
            if (seenSurfaces.TryGetValue(surfaceKey, out var other) && other != canonicalKey)
            {
                errors.Add($"{where}.surface '{synonym.Surface}' is already a synonym of '{other}'");
                continue;
            }

            seenSurfaces[surfaceKey] = canonicalKey;
            synonyms.Add(new DomainSynonym(synonym.Surface.Trim(), synonym.Canonical.Trim(), synonym.Type));
        }

        var relations = new List<DomainRelationPattern>();
        var compiledRelations = new List<CompiledRelationPattern>();
        var relationFiles = file.Relations ?? [];
        for (var i = 0; i < relationFiles.Count; i++)
        {
            var where = $"relations[{i}]";
            var relation = relationFiles[i];
            if (relation is null)
            {
                errors.Add($"{where} is null");
                continue;
            }

            if (relation.Label is null || !LabelPattern().IsMatch(relation.Label))
            {
                errors.Add($"{where}.label '{relation.Label}' must be lower-case snake_case (a-z, 0-9, '_'), starting with a letter");
            }

            foreach (var (field, value) in new[] { ("sourceType", relation.SourceType), ("targetType", relation.TargetType) })
            {
                if (value is not null && !knownTypes.Contains(value))
                {
                    errors.Add($"{where}.{field} '{value}' is neither a built-in type nor declared in entityTypes");
                }
            }

            var cues = new List<string>();
            var cueTexts = relation.Cues ?? [];
            for (var j = 0; j < cueTexts.Count; j++)
            {
                var cue = cueTexts[j] is null ? string.Empty : NormalizeCue(cueTexts[j]);
                if (cue.Length == 0)
                {
                    errors.Add($"{where}.cues[{j}] must contain a word");
                    continue;
                }

                cues.Add(cue);
            }

            Regex? regex = null;
            if (relation.Pattern is not null)
            {
                var slots = SlotPattern().Matches(relation.Pattern);
                var sourceSlots = slots.Count(m => m.Value == "{source}");
                var targetSlots = slots.Count(m => m.Value == "{target}");
                if (sourceSlots != 1 || targetSlots != 1)
                {
                    errors.Add($"{where}.pattern must contain {{source}} and {{target}} exactly once each");
                }
                else
                {
                    var expanded = relation.Pattern
                        .Replace("{source}", "(?<source>[^\\n]+?)", StringComparison.Ordinal)
                        .Replace("{target}", "(?<target>[^\\n]+?)", StringComparison.Ordinal);
                    regex = Compile(expanded, caseInsensitive: true, timeout, $"{where}.pattern", errors);
                }
            }

            if (cues.Count == 0 && relation.Pattern is null)
            {
                errors.Add($"{where} needs 'cues' or a 'pattern'");
            }

            var definition = new DomainRelationPattern(
                relation.Label ?? string.Empty, cues, relation.Pattern, relation.SourceType, relation.TargetType, relation.Reverse);
            relations.Add(definition);
            compiledRelations.Add(new CompiledRelationPattern(definition, regex));
        }

        if (errors.Count > 0)
        {
            throw new DomainProfileException(
                $"Domain profile '{source}' is invalid: " + string.Join("; ", errors) + ".");
        }

        return new DomainProfile(file.Name!.Trim(), timeout, types, synonyms, relations, compiledTypes, compiledRelations);
    }

    internal static string NormalizeCue(string cue) =>
        string.Join(' ', cue.ToLowerInvariant().Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries));

    private static Regex? Compile(string? pattern, bool caseInsensitive, TimeSpan timeout, string where, List<string> errors)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            errors.Add($"{where} is empty");
            return null;
        }

        var options = RegexOptions.CultureInvariant | (caseInsensitive ? RegexOptions.IgnoreCase : RegexOptions.None);
        try
        {
            // The non-backtracking engine runs in linear time, so a hostile pattern cannot hang ingestion; patterns it
            // cannot run (lookarounds, backreferences) fall back to the backtracking engine under the match timeout.
            return new Regex(pattern, options | RegexOptions.NonBacktracking, timeout);
        }
        catch (NotSupportedException)
        {
            try
            {
                return new Regex(pattern, options, timeout);
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{where} is not a valid regular expression: {ex.Message}");
                return null;
            }
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{where} is not a valid regular expression: {ex.Message}");
            return null;
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex TypeNamePattern();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();

    [GeneratedRegex(@"\{(?:source|target)\}", RegexOptions.CultureInvariant)]
    private static partial Regex SlotPattern();

    internal sealed record CompiledTypePattern(string Type, string Pattern, Regex Regex);

    internal sealed record CompiledRelationPattern(DomainRelationPattern Definition, Regex? Regex);

    private sealed class ProfileFile
    {
        public string? Name { get; set; }

        public string? Description { get; set; }

        public int? RegexTimeoutMilliseconds { get; set; }

        public List<TypeFile?>? EntityTypes { get; set; }

        public List<SynonymFile?>? Synonyms { get; set; }

        public List<RelationFile?>? Relations { get; set; }
    }

    private sealed class TypeFile
    {
        public string? Name { get; set; }

        public bool CaseInsensitive { get; set; } = true;

        public List<string>? Gazetteer { get; set; }

        public List<string>? Patterns { get; set; }
    }

    private sealed class SynonymFile
    {
        public string? Surface { get; set; }

        public string? Canonical { get; set; }

        public string? Type { get; set; }
    }

    private sealed class RelationFile
    {
        public string? Label { get; set; }

        public List<string>? Cues { get; set; }

        public string? Pattern { get; set; }

        public string? SourceType { get; set; }

        public string? TargetType { get; set; }

        public bool Reverse { get; set; }
    }

    internal static string Describe(TimeSpan timeout) => timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + " ms";
}
