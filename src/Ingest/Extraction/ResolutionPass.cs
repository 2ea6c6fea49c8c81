using System.Collections.Immutable;
using System.Runtime.InteropServices;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>One entity of the document, final: its key, id, name and type, and its mentions in document order.</summary>
internal sealed class ResolvedEntity(string key, string id, string name, string type, IReadOnlyList<Candidate> mentions)
{
    public string Key { get; } = key;

    public string Id { get; } = id;

    public string Name { get; } = name;

    public string Type { get; } = type;

    public IReadOnlyList<Candidate> Mentions { get; } = mentions;
}

/// <summary>A candidate that became a mention, with the entity it resolved to.</summary>
internal readonly record struct ResolvedMention(Candidate Candidate, ResolvedEntity Entity);

/// <summary>
/// A name the text gives as another name of an entity — "Full Name (ACR)", "ACR (Full Name)", "Acme Ltd. (formerly Acme
/// Co.)" — the two mentions and their entities. The alias's defining mention keeps an entity of its own, tied to the
/// full name by an alias_of relation; its later uses in the document are the full name.
/// </summary>
internal sealed record AliasDefinition(Candidate Alias, ResolvedEntity AliasEntity, Candidate Full, ResolvedEntity FullEntity);

/// <summary>What resolution decided: the mentions in document order, each with its entity, and the entities by first mention.</summary>
/// <param name="TitleEntity">The entity the document title names, when the text mentions it.</param>
internal sealed record ResolvedEntities(
    ImmutableArray<ResolvedMention> Mentions,
    IReadOnlyList<ResolvedEntity> Entities,
    IReadOnlyList<AliasDefinition> AliasDefinitions,
    ResolvedEntity? TitleEntity);

/// <summary>
/// The third pass: resolves candidates to entities within the document. Canonical names, profile synonyms and the title
/// come first; then defined acronyms, surnames and given names of the one person who has them, and acronyms spelled by
/// the initials of one name. Ends by naming each entity and giving it its stable id.
/// </summary>
internal sealed class ResolutionPass
{
    private readonly TokenizedDocument document;
    private readonly ImmutableArray<Token> tokens;
    private readonly List<Candidate> candidates;
    private readonly TitleInfo? title;
    private readonly List<(Candidate Acronym, Candidate Full)> aliasDefinitions = [];

    private ResolutionPass(TokenizedDocument document, TypedCandidates input)
    {
        this.document = document;
        tokens = document.Tokens;
        title = input.Title;

        // A span whose key is empty (punctuation only) names nothing.
        candidates = new List<Candidate>(input.Candidates.Count);
        for (var c = 0; c < input.Candidates.Count; c++)
        {
            if (input.Candidates[c].Key.Length != 0)
            {
                candidates.Add(input.Candidates[c]);
            }
        }
    }

    public static ResolvedEntities Run(TokenizedDocument document, TypedCandidates input, PhraseMatcher gazetteer)
    {
        var pass = new ResolutionPass(document, input);
        pass.Resolve(gazetteer);
        return pass.Finish();
    }

    private void Resolve(PhraseMatcher gazetteer)
    {
        var aliases = FindAliasDefinitions();
        var synonyms = gazetteer.SynonymsByKey;
        foreach (var candidate in candidates)
        {
            if (candidate.Kind == CandidateKind.Profile && candidate.CanonicalName is not null)
            {
                candidate.EntityKey = Graph.EntityKey.Normalize(candidate.CanonicalName);
            }
            else if (candidate.Kind is not (CandidateKind.Date or CandidateKind.Quantity) && synonyms.TryGetValue(candidate.Key, out var synonym))
            {
                candidate.EntityKey = synonym.CanonicalKey!;
                candidate.CanonicalName = synonym.CanonicalName;
                candidate.FixedType ??= synonym.Type;
                candidate.Resolution = "alias:synonym";
            }
            else if (candidate.CanonicalName is not null)
            {
                candidate.EntityKey = Graph.EntityKey.Normalize(candidate.CanonicalName);
            }
            else if (title is not null && candidate.Kind == CandidateKind.Name && candidate.Key == title.Key)
            {
                candidate.EntityKey = title.Key;
                candidate.CanonicalName = title.Name;
                candidate.Resolution = "title";
            }
            else
            {
                candidate.EntityKey = candidate.Key;
            }
        }

        // Later uses of a defined alias are the full name ("BORI" → "Baltic Ocean Research Institute").
        foreach (var candidate in candidates)
        {
            if (candidate.DefinesAliasOf is null && candidate.Resolution == "exact" && aliases.TryGetValue(candidate.Key, out var alias)
                && (!alias.Acronym || IsAcronymShaped(candidate)) && candidate.Kind is not (CandidateKind.Date or CandidateKind.Quantity))
            {
                candidate.EntityKey = alias.Full.EntityKey;
                candidate.Resolution = alias.Acronym ? "alias:acronym" : "alias:name";
            }
        }

        var entities = Group();
        if (ResolveInitialledNames(entities))
        {
            entities = Group();
        }

        ResolvePartialNames(entities);
        ResolveShortCompanyNames(entities);
        ResolveAcronymsFromInitials(entities);
    }

    /// <summary>Groups the candidates as resolved; entities in order of first mention, each named and with its id.</summary>
    private ResolvedEntities Finish()
    {
        var entities = new List<ResolvedEntity>();
        var byKey = new Dictionary<string, ResolvedEntity>(StringComparer.Ordinal);
        foreach (var group in Group().Values.OrderBy(static e => e.Mentions[0].Start))
        {
            var entity = new ResolvedEntity(group.Key, FastStableId.Create("ent", group.Key), group.ChooseName(document.Text), group.Type, group.Mentions);
            entities.Add(entity);
            byKey.Add(entity.Key, entity);
        }

        var mentions = new ResolvedMention[candidates.Count];
        for (var c = 0; c < mentions.Length; c++)
        {
            mentions[c] = new ResolvedMention(candidates[c], byKey[candidates[c].EntityKey]);
        }

        var definitions = new List<AliasDefinition>(aliasDefinitions.Count);
        foreach (var (acronym, full) in aliasDefinitions)
        {
            definitions.Add(new AliasDefinition(acronym, byKey[acronym.EntityKey], full, byKey[full.EntityKey]));
        }

        var titleEntity = title is not null && byKey.TryGetValue(title.Key, out var named) ? named : null;
        return new ResolvedEntities(ImmutableCollectionsMarshal.AsImmutableArray(mentions), entities, definitions, titleEntity);
    }

    private Dictionary<string, (Candidate Full, bool Acronym)> FindAliasDefinitions()
    {
        var result = new Dictionary<string, (Candidate, bool)>(StringComparer.Ordinal);
        var outer = candidates.Where(static c => !c.Nested).ToList();
        for (var c = 0; c + 1 < outer.Count; c++)
        {
            var left = outer[c];
            var right = outer[c + 1];
            if (left.Sentence != right.Sentence || left.Kind is CandidateKind.Date or CandidateKind.Quantity
                || right.Kind is CandidateKind.Date or CandidateKind.Quantity)
            {
                continue;
            }

            if (right.TokenStart == left.TokenEnd + 1 && document.IsPunctuation(left.TokenEnd, '(') && document.IsPunctuation(right.TokenEnd, ')'))
            {
                // "Full Name (ACR)" or "ACR (Full Name)".
                var (acronym, full) = IsAcronymShaped(right) ? (right, left) : IsAcronymShaped(left) ? (left, right) : (null, null);
                if (acronym is not null && full is not null && WordCount(full) >= 2 && InitialsMatch(full, acronym.Key))
                {
                    acronym.DefinesAliasOf = full.Key;
                    result.TryAdd(acronym.Key, (full, true));
                    aliasDefinitions.Add((acronym, full));
                }

                continue;
            }

            // "Acme Ltd. (formerly Acme Co.)", "Acme Ltd., previously known as Acme Co.,": another name of the same entity.
            if (left.Key != right.Key && IsOtherNameCue(left.TokenEnd, right.TokenStart, right.TokenEnd))
            {
                right.DefinesAliasOf = left.Key;
                result.TryAdd(right.Key, (left, false));
                aliasDefinitions.Add((right, left));
            }
        }

        return result;
    }

    /// <summary>
    /// Between two names, "(formerly", ", previously known as", "(also called": the second is another name of the first.
    /// It must close where it opened: a bracket with a bracket, a comma with a comma or the end of the sentence.
    /// </summary>
    private bool IsOtherNameCue(int from, int to, int after)
    {
        if (to - from < 2 || to - from > 5)
        {
            return false;
        }

        var bracket = document.IsPunctuation(from, '(');
        if (!bracket && !document.IsPunctuation(from, ','))
        {
            return false;
        }

        var k = from + 1;
        var cue = false;
        if (tokens[k].Key is "formerly" or "previously" or "originally" or "aka")
        {
            cue = true;
            k++;
        }
        else if (tokens[k].Key == "also" && k + 1 < to && tokens[k + 1].Key is "known" or "called")
        {
            cue = true;
            k++;
        }

        if (k < to && tokens[k].Key is "known" or "called" or "named")
        {
            k++;
            if (k < to && tokens[k].Key == "as")
            {
                k++;
            }
        }

        if (!cue || k != to)
        {
            return false;
        }

        if (bracket)
        {
            return document.IsPunctuation(after, ')');
        }

        var sentence = document.SentenceOfToken(from);
        return after >= document.SentenceTokens[sentence].End - 1 || document.IsPunctuation(after, ',') || document.IsPunctuation(after, '.');
    }

    private bool IsAcronymShaped(Candidate candidate)
    {
        if (candidate.TokenEnd - candidate.TokenStart != 1 || candidate.Kind is CandidateKind.Date or CandidateKind.Quantity)
        {
            return false;
        }

        var token = tokens[candidate.TokenStart];
        return token.Kind == TokenKind.Word && token.Is(TokenShape.AllCaps | TokenShape.Dotted) && candidate.Key.Length is >= 2 and <= 8;
    }

    private int WordCount(Candidate candidate)
    {
        var count = 0;
        for (var i = candidate.TokenStart; i < candidate.TokenEnd; i++)
        {
            if (tokens[i].Kind is TokenKind.Word or TokenKind.Number)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Whether the acronym's letters are the initials of the name's words in order; lower-case connectors may be used
    /// or skipped, and one capitalised word may be skipped ("Organisation for Economic Co-operation and Development").
    /// </summary>
    private bool InitialsMatch(Candidate full, string acronym)
    {
        // At most 16 words: the search below branches on optional words, so the bound keeps it small.
        Span<(char Initial, bool Required)> words = stackalloc (char, bool)[16];
        var count = 0;
        for (var i = full.TokenStart; i < full.TokenEnd; i++)
        {
            var token = tokens[i];

            // "The Baltic Ocean Research Institute (BORI)": a leading article is not spelled.
            if (i == full.TokenStart && token.Key == "the")
            {
                continue;
            }

            if (token.Kind is TokenKind.Word or TokenKind.Number && token.Key.Length > 0)
            {
                if (count == words.Length)
                {
                    return false;
                }

                words[count++] = (token.Key[0], token.IsNameShaped);
            }
        }

        return count >= 2 && Match(words[..count], acronym, 0, 0, 0);

        static bool Match(ReadOnlySpan<(char Initial, bool Required)> words, string acronym, int w, int a, int skips)
        {
            if (a == acronym.Length)
            {
                var remaining = 0;
                for (var k = w; k < words.Length; k++)
                {
                    remaining += words[k].Required ? 1 : 0;
                }

                return remaining + skips <= 1;
            }

            if (w == words.Length)
            {
                return false;
            }

            if (words[w].Initial == acronym[a] && Match(words, acronym, w + 1, a + 1, skips))
            {
                return true;
            }

            if (!words[w].Required)
            {
                return Match(words, acronym, w + 1, a, skips);
            }

            return w > 0 && skips == 0 && Match(words, acronym, w + 1, a, 1);
        }
    }

    /// <summary>
    /// A surname ("Hall") or given name alone resolves to the one full-name person in the document it ends or starts;
    /// when two people share it, it stays its own entity rather than guess.
    /// </summary>
    private void ResolvePartialNames(Dictionary<string, EntityGroup> entities)
    {
        Dictionary<string, string?>? suffixes = null;
        Dictionary<string, string?>? prefixes = null;
        foreach (var entity in entities.Values)
        {
            // Only full names (not "Van der Berg") with real evidence of a person (a given name, initials, "born", a title,
            // or the surname used alone while the first name never is) claim surnames.
            var words = entity.Key.Split(' ');
            if (entity.Type != EntityTypes.Person || words.Length < 2 || Lexicon.Particles.Contains(words[0])
                || !(entity.Mentions.Exists(static m => m.Scores.Person >= 2) || SurnameUsedAlone(words)))
            {
                continue;
            }

            suffixes ??= new Dictionary<string, string?>(StringComparer.Ordinal);
            prefixes ??= new Dictionary<string, string?>(StringComparer.Ordinal);

            // "Strauss" is "Johann Strauss II"; "King" is "Martin Luther King Jr."
            var last = words.Length;
            if (last > 2 && words[^1] is "ii" or "iii" or "iv" or "jr" or "sr" or "junior" or "senior")
            {
                last--;
            }

            for (var length = 1; length < last; length++)
            {
                Claim(suffixes, string.Join(' ', words, last - length, length), entity.Key);
            }

            Claim(prefixes, words[0], entity.Key);
        }

        if (suffixes is null || prefixes is null)
        {
            return;
        }

        foreach (var candidate in candidates)
        {
            if (candidate.Resolution != "exact" || candidate.Kind != CandidateKind.Name || candidate.FixedType is not null
                || candidate.Scores.Location >= 3 || candidate.Scores.Organization >= 3 || candidate.Scores.Work >= 3
                || (entities.TryGetValue(candidate.EntityKey, out var own) && own.Type == EntityTypes.Person && own.Key.Contains(' ', StringComparison.Ordinal)
                    && !Lexicon.Particles.Contains(tokens[candidate.TokenStart].Key)))
            {
                // A full name of its own; but "Van der Berg" is a surname with its particles.
                continue;
            }

            if (suffixes.TryGetValue(candidate.EntityKey, out var person) && person is not null)
            {
                candidate.EntityKey = person;
                candidate.Resolution = "alias:surname";
            }
            else if (prefixes.TryGetValue(candidate.EntityKey, out person) && person is not null && Lexicon.GivenNames.Contains(candidate.EntityKey))
            {
                candidate.EntityKey = person;
                candidate.Resolution = "alias:given-name";
            }
        }

        static void Claim(Dictionary<string, string?> map, string part, string owner)
        {
            if (map.TryGetValue(part, out var existing))
            {
                if (existing is not null && existing != owner)
                {
                    map[part] = null;
                }
            }
            else
            {
                map[part] = owner;
            }
        }
    }

    /// <summary>
    /// A company's first word alone ("Tidewater", "Nautilux") is its short name in a document that also writes it in
    /// full: it resolves to the one company whose name starts with it. Only companies claim short names — not
    /// institutions, whose first word is most often a place ("Brennsund Technical University") — and not when the word
    /// is a place, a given name, or names something else in the document; two companies starting alike ("Nordic
    /// Holding" and "Nordic Holdings") leave it alone, unless one of them is the document's title.
    /// </summary>
    private void ResolveShortCompanyNames(Dictionary<string, EntityGroup> entities)
    {
        Dictionary<string, string?>? owners = null;
        foreach (var entity in entities.Values)
        {
            var space = entity.Key.IndexOf(' ', StringComparison.Ordinal);
            if (entity.Type != EntityTypes.Organization || space <= 0 || !IsCompanyName(entity))
            {
                continue;
            }

            var first = entity.Key[..space];
            if (Lexicon.FunctionWords.Contains(first) || Lexicon.CommonWords.Contains(first) || Lexicon.GivenNames.Contains(first)
                || Lexicon.Demonyms.Contains(first) || Lexicon.Countries.Contains(first) || Lexicon.UsStates.Contains(first) || Lexicon.Places.Contains(first)
                || (entities.TryGetValue(first, out var own) && (own.Type is EntityTypes.Location or EntityTypes.Person || own.FixedType is not null)))
            {
                continue;
            }

            owners ??= new Dictionary<string, string?>(StringComparer.Ordinal);
            if (!owners.TryGetValue(first, out var existing))
            {
                owners[first] = entity.Key;
            }
            else if (existing != entity.Key)
            {
                // "Seaborne Systems" and "Seaborne Systems Group" under the title "Seaborne Systems Group plc": the title's.
                owners[first] = title?.Key == entity.Key ? entity.Key : title?.Key == existing ? existing : null;
            }
        }

        if (owners is null)
        {
            return;
        }

        foreach (var candidate in candidates)
        {
            if (candidate.Resolution == "exact" && candidate.Kind == CandidateKind.Name && candidate.FixedType is null
                && candidate.TokenEnd - candidate.TokenStart == 1 && candidate.Scores.Location < 2 && candidate.Scores.Person < 2
                && owners.TryGetValue(candidate.EntityKey, out var company) && company is not null)
            {
                candidate.EntityKey = company;
                candidate.Resolution = "alias:short-name";
            }
        }
    }

    /// <summary>A company rather than an institution: written with a legal form, or without an institution's head word or an "of".</summary>
    private bool IsCompanyName(EntityGroup entity)
    {
        foreach (var mention in entity.Mentions)
        {
            if (Lexicon.IsLegalForm(tokens[mention.TokenEnd - 1]))
            {
                return true;
            }
        }

        foreach (var word in entity.Key.Split(' '))
        {
            if (Lexicon.InstitutionHeads.Contains(word) || word == "of")
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>"Sigrun Vatne … Vatne": the last word alone names someone whose first name is never used alone.</summary>
    private bool SurnameUsedAlone(string[] words)
    {
        var surname = false;
        foreach (var candidate in candidates)
        {
            if (candidate.Kind != CandidateKind.Name || candidate.TokenEnd - candidate.TokenStart != 1)
            {
                continue;
            }

            if (candidate.Key == words[0])
            {
                return false;
            }

            surname |= candidate.Key == words[^1] && candidate.Scores.Location < 1 && candidate.Scores.Organization < 1 && candidate.Scores.Work < 1;
        }

        return surname;
    }

    /// <summary>
    /// "James Reuben Okafor" and "J. R. Okafor" in one document are one person: the same surname, and each initial the
    /// first letter of the given name in its place. Their mentions join the title's form, else the more mentioned one.
    /// Returns whether any mention moved.
    /// </summary>
    private bool ResolveInitialledNames(Dictionary<string, EntityGroup> entities)
    {
        List<EntityGroup>? people = null;
        foreach (var entity in entities.Values)
        {
            if (entity.Type == EntityTypes.Person && entity.Key.Contains(' ', StringComparison.Ordinal))
            {
                (people ??= []).Add(entity);
            }
        }

        if (people is null || people.Count < 2)
        {
            return false;
        }

        var moved = false;
        for (var a = 0; a < people.Count; a++)
        {
            for (var b = 0; b < people.Count; b++)
            {
                var initialled = people[a];
                var full = people[b];
                if (a == b || initialled.Mentions.Count == 0 || full.Mentions.Count == 0 || !InitialsOf(initialled.Key, full.Key))
                {
                    continue;
                }

                var (from, to) = title?.Key == initialled.Key || (title?.Key != full.Key && initialled.Mentions.Count > full.Mentions.Count)
                    ? (full, initialled)
                    : (initialled, full);
                foreach (var mention in from.Mentions)
                {
                    if (mention.Resolution == "exact")
                    {
                        mention.EntityKey = to.Key;
                        mention.Resolution = "alias:initials";
                        moved = true;
                    }
                }

                to.Mentions.AddRange(from.Mentions.Where(m => m.EntityKey == to.Key));
                from.Mentions.RemoveAll(m => m.EntityKey == to.Key);
            }
        }

        return moved;

        static bool InitialsOf(string initialled, string full)
        {
            var abbreviated = initialled.Split(' ');
            var expanded = full.Split(' ');
            if (abbreviated[^1] != expanded[^1] || abbreviated.Length > expanded.Length || abbreviated.Length < 2)
            {
                return false;
            }

            var initials = 0;
            for (var k = 0; k < abbreviated.Length - 1; k++)
            {
                if (abbreviated[k] == expanded[k])
                {
                    continue;
                }

                if (abbreviated[k].Length != 1 || expanded[k].Length < 2 || expanded[k][0] != abbreviated[k][0])
                {
                    return false;
                }

                initials++;
            }

            return initials > 0;
        }
    }

    /// <summary>An undefined acronym resolves to the one multi-word name in the document whose initials it spells.</summary>
    private void ResolveAcronymsFromInitials(Dictionary<string, EntityGroup> entities)
    {
        Dictionary<string, string?>? byInitials = null;
        Span<char> initials = stackalloc char[16];
        foreach (var candidate in candidates)
        {
            if (candidate.Kind is CandidateKind.Date or CandidateKind.Quantity || candidate.Resolution == "alias:acronym"
                || !entities.TryGetValue(candidate.EntityKey, out var entity) || entity.Type == EntityTypes.Person || WordCount(candidate) < 2)
            {
                continue;
            }

            var n = 0;
            for (var i = candidate.TokenStart; i < candidate.TokenEnd && n < initials.Length; i++)
            {
                if (tokens[i].Kind == TokenKind.Word && tokens[i].IsNameShaped && tokens[i].Key.Length > 0)
                {
                    initials[n++] = tokens[i].Key[0];
                }
            }

            if (n < 2)
            {
                continue;
            }

            byInitials ??= new Dictionary<string, string?>(StringComparer.Ordinal);
            var key = new string(initials[..n]);
            if (byInitials.TryGetValue(key, out var existing))
            {
                if (existing != candidate.EntityKey)
                {
                    byInitials[key] = null;
                }
            }
            else
            {
                byInitials[key] = candidate.EntityKey;
            }
        }

        if (byInitials is null)
        {
            return;
        }

        foreach (var candidate in candidates)
        {
            if (candidate.Resolution == "exact" && candidate.DefinesAliasOf is null && IsAcronymShaped(candidate)
                && candidate.FixedType is null && byInitials.TryGetValue(candidate.Key, out var full) && full is not null && full != candidate.EntityKey)
            {
                candidate.EntityKey = full;
                candidate.Resolution = "alias:acronym";
            }
        }
    }

    private Dictionary<string, EntityGroup> Group()
    {
        var entities = new Dictionary<string, EntityGroup>(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            if (!entities.TryGetValue(candidate.EntityKey, out var entity))
            {
                entity = new EntityGroup(candidate.EntityKey);
                entities.Add(candidate.EntityKey, entity);
            }

            entity.Mentions.Add(candidate);
            entity.Scores.Add(candidate.Scores);
            if (!entity.FirstOfSurface(candidate, document.Text))
            {
                entity.Scores.Subtract(candidate.ShapeScores);
            }

            if (candidate.FixedType is not null && (entity.FixedType is null || candidate.Kind == CandidateKind.Profile))
            {
                entity.FixedType = candidate.FixedType;
            }
        }

        foreach (var entity in entities.Values)
        {
            entity.Type = entity.FixedType ?? entity.Scores.Best();
        }

        return entities;
    }

    /// <summary>The candidates that share an entity key while resolution still moves them between keys.</summary>
    private sealed class EntityGroup(string key)
    {
        public string Key { get; } = key;

        public List<Candidate> Mentions { get; } = [];

        private List<Candidate>? surfaces;

        public TypeScores Scores;

        public string? FixedType { get; set; }

        public string Type { get; set; } = EntityTypes.Other;

        /// <summary>True the first time a surface is seen, as written: its shape evidence counts once.</summary>
        public bool FirstOfSurface(Candidate candidate, string text)
        {
            surfaces ??= [];
            var surface = text.AsSpan(candidate.Start, candidate.End - candidate.Start);
            foreach (var seen in surfaces)
            {
                if (seen.End - seen.Start == surface.Length && text.AsSpan(seen.Start, seen.End - seen.Start).SequenceEqual(surface))
                {
                    return false;
                }
            }

            surfaces.Add(candidate);
            return true;
        }

        /// <summary>The name: a canonical one when a rule gave it, else the commonest surface of its direct mentions.</summary>
        public string ChooseName(string text)
        {
            foreach (var mention in Mentions)
            {
                if ((mention.CanonicalName is not null && (mention.Resolution is "title" or "alias:synonym" || mention.Kind is CandidateKind.Profile or CandidateKind.Title))
                    || mention.Kind is CandidateKind.Date)
                {
                    return mention.CanonicalName ?? text[mention.Start..mention.End];
                }
            }

            foreach (var mention in Mentions)
            {
                if (mention.Kind == CandidateKind.Quantity && mention.CanonicalName is not null)
                {
                    return mention.CanonicalName;
                }
            }

            if (Mentions.Count == 1)
            {
                return text[Mentions[0].Start..Mentions[0].End];
            }

            var direct = Mentions.Where(m => m.Resolution == "exact").ToList();
            var pool = direct.Count > 0 ? direct : Mentions;
            return pool
                .Select((m, order) => (Surface: text[m.Start..m.End], order))
                .GroupBy(x => x.Surface, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .ThenByDescending(g => g.Key.Length)
                .ThenBy(g => g.Min(x => x.order))
                .First().Key;
        }
    }
}
