using System.Globalization;
using System.Text.RegularExpressions;
using GraphRag.Graph;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

internal sealed partial class ExtractionRun
{
    private readonly List<RelationBuilder> relationOrder = [];
    private readonly Dictionary<(string Source, string Label, string Target), RelationBuilder> relationsById = [];

    private List<RelationBuilder> FindRelations(List<EntityInfo> entities)
    {
        foreach (var entity in entities)
        {
            entity.Id = FastStableId.Create("ent", entity.Key);
            entity.Name = entity.ChooseName(text);
        }

        var byKey = entities.ToDictionary(e => e.Key, StringComparer.Ordinal);
        foreach (var (acronym, full) in acronymDefinitions)
        {
            var from = byKey[acronym.EntityKey];
            var to = byKey[full.EntityKey];
            if (from != to)
            {
                var (left, right) = acronym.Start < full.Start ? (acronym, full) : (full, acronym);
                AddEvidence(from, to, RelationLabels.AliasOf, acronym.Sentence, Slice(left.End, right.Start).Trim(), 1.0);
            }
        }

        var titleEntity = title is not null && byKey.TryGetValue(title.Key, out var t) ? t : null;
        EntityInfo? lastPerson = null;
        var sentenceMentions = new List<(Candidate Mention, EntityInfo Entity)>();
        var c = 0;
        for (var s = 0; s < sentenceTokens.Length; s++)
        {
            sentenceMentions.Clear();
            while (c < candidates.Count && candidates[c].Sentence < s)
            {
                c++;
            }

            while (c < candidates.Count && candidates[c].Sentence == s)
            {
                sentenceMentions.Add((candidates[c], byKey[candidates[c].EntityKey]));
                c++;
            }

            if (options.CoOccurrence && sentenceMentions.Count > 1)
            {
                AddCoOccurrences(s, sentenceMentions);
            }

            if (options.CoOccurrence && options.PronounSubjects && sentenceMentions.Count > 0
                && PronounSubject(s, titleEntity, lastPerson) is { } subject)
            {
                AddSubjectCoOccurrences(s, subject, sentenceMentions);
            }

            if (options.PatternRelations)
            {
                AddCueRelations(s, sentenceMentions, titleEntity, lastPerson);
                AddProfileRelations(s, sentenceMentions);
            }

            foreach (var (_, entity) in sentenceMentions)
            {
                if (entity.Type == EntityTypes.Person)
                {
                    lastPerson = entity;
                }
            }
        }

        return relationOrder;
    }

    private static bool IsValue(EntityInfo entity) => entity.Type is EntityTypes.Date or EntityTypes.Quantity;

    private void AddCoOccurrences(int sentence, List<(Candidate Mention, EntityInfo Entity)> mentions)
    {
        var pairs = new List<(int Gap, int Left, int Right)>();
        for (var i = 0; i < mentions.Count; i++)
        {
            // A window bounds the work on sentences that are long lists; the cap below keeps the closest pairs anyway.
            for (var j = i + 1; j < mentions.Count && j - i <= 30; j++)
            {
                var (a, ea) = mentions[i];
                var (b, eb) = mentions[j];
                if (ea == eb || b.Start < a.End || (IsValue(ea) && IsValue(eb)) || ((IsValue(ea) || IsValue(eb)) && options.DateQuantityCoOccurrenceWeight <= 0))
                {
                    continue;
                }

                pairs.Add((Math.Max(0, b.TokenStart - a.TokenEnd), i, j));
            }
        }

        pairs.Sort(static (x, y) => x.Gap != y.Gap ? x.Gap.CompareTo(y.Gap) : x.Left != y.Left ? x.Left.CompareTo(y.Left) : x.Right.CompareTo(y.Right));
        var taken = 0;
        foreach (var (gap, left, right) in pairs)
        {
            if (taken >= options.MaxCoOccurrencePairsPerSentence)
            {
                break;
            }

            var (a, ea) = mentions[left];
            var (b, eb) = mentions[right];

            // Closer mentions are more likely related: 1 for adjacent mentions, about 0.3 at a 10-token gap.
            var weight = 1.0 / (1.0 + Math.Log(1.0 + gap));
            if (IsValue(ea) || IsValue(eb))
            {
                weight *= options.DateQuantityCoOccurrenceWeight;
            }

            // co_occurs is symmetric: the smaller id is the source so the same pair always has the same relation id.
            var (source, target) = string.CompareOrdinal(ea.Id, eb.Id) <= 0 ? (ea, eb) : (eb, ea);
            if (AddEvidence(source, target, RelationLabels.CoOccurs, sentence, Slice(a.End, b.Start).Trim(), weight))
            {
                taken++;
            }
        }
    }

    /// <summary>
    /// "She was born in Warsaw": the entity a sentence-initial pronoun stands for co-occurs with the sentence's
    /// mentions, weighted by distance from the pronoun like any other pair.
    /// </summary>
    private void AddSubjectCoOccurrences(
        int sentence, (int TokenStart, int TokenEnd, int Start, int End, EntityInfo Entity) subject, List<(Candidate Mention, EntityInfo Entity)> mentions)
    {
        var taken = 0;
        foreach (var (mention, entity) in mentions)
        {
            if (taken >= options.MaxCoOccurrencePairsPerSentence)
            {
                break;
            }

            if (entity == subject.Entity || mention.Nested || mention.Start < subject.End
                || (IsValue(entity) && options.DateQuantityCoOccurrenceWeight <= 0))
            {
                continue;
            }

            var gap = Math.Max(0, mention.TokenStart - subject.TokenEnd);
            var weight = 1.0 / (1.0 + Math.Log(1.0 + gap));
            if (IsValue(entity) || IsValue(subject.Entity))
            {
                weight *= options.DateQuantityCoOccurrenceWeight;
            }

            var (source, target) = string.CompareOrdinal(subject.Entity.Id, entity.Id) <= 0 ? (subject.Entity, entity) : (entity, subject.Entity);
            if (AddEvidence(source, target, RelationLabels.CoOccurs, sentence, Slice(subject.End, mention.Start).Trim(), weight))
            {
                taken++;
            }
        }
    }

    private void AddCueRelations(int sentence, List<(Candidate Mention, EntityInfo Entity)> mentions, EntityInfo? titleEntity, EntityInfo? lastPerson)
    {
        var named = new List<(int TokenStart, int TokenEnd, int Start, int End, EntityInfo Entity)>(mentions.Count + 1);
        var subject = options.PronounSubjects ? PronounSubject(sentence, titleEntity, lastPerson) : null;
        if (subject is { } pronoun && (mentions.Count == 0 || mentions[0].Mention.TokenStart >= pronoun.TokenEnd))
        {
            named.Add(pronoun);
        }

        foreach (var (mention, entity) in mentions)
        {
            if (!IsValue(entity) && !mention.Nested)
            {
                named.Add((mention.TokenStart, mention.TokenEnd, mention.Start, mention.End, entity));
            }
        }

        for (var i = 0; i + 1 < named.Count; i++)
        {
            var a = named[i];
            var b = named[i + 1];

            // "…, published by the University of Texas, was translated …": after a comma the verb belongs to an
            // earlier subject unless the left mention opens the sentence.
            if (i > 0 && IsPunctuation(a.TokenEnd, ',') && b.TokenStart - a.TokenEnd > 1)
            {
                continue;
            }

            // "publishes the Synod's magazine": the second mention only modifies the object.
            if (b.TokenEnd < tokens.Count && tokens[b.TokenEnd].Kind == TokenKind.Possessive)
            {
                continue;
            }

            var cue = ReadCue(a.TokenEnd, b.TokenStart, a.Entity, b.Entity);
            if (cue is not { } found || a.Entity == b.Entity)
            {
                continue;
            }

            // "X is a politician from Y and is a member of Z": the second verb phrase belongs to the sentence's
            // subject, not to the mention just before "and".
            if (i > 0 && StartsCoordinatedPredicate(a.TokenEnd, b.TokenStart))
            {
                a = named[0];
                if (a.Entity == b.Entity)
                {
                    continue;
                }
            }

            if (found.Label == RelationVocabulary.LocatedIn && b.TokenStart - a.TokenEnd == 1 && ContinuesList(b.TokenEnd, b.Entity))
            {
                continue;
            }

            var (source, target) = found.Reverse ? (b.Entity, a.Entity) : (a.Entity, b.Entity);
            if (!RelationCues.Allows(found.Label, source.Type, target.Type))
            {
                continue;
            }

            AddEvidence(source, target, found.Label, sentence, Slice(a.End, b.Start).Trim(), 1.0);

            // "directed by Y and Z", "founded by Y, Z and W": the cue carries over a list — unless the cue was the
            // comma itself, which would turn "Greece, Ireland, Italy" into a chain.
            var commaCue = b.TokenStart - a.TokenEnd == 1 && IsPunctuation(a.TokenEnd, ',');
            for (var j = i + 2; !commaCue && j < named.Count && IsListSeparator(named[j - 1].TokenEnd, named[j].TokenStart); j++)
            {
                var other = named[j].Entity;
                var (s2, t2) = found.Reverse ? (other, a.Entity) : (a.Entity, other);
                if (s2 != t2 && RelationCues.Allows(found.Label, s2.Type, t2.Type))
                {
                    AddEvidence(s2, t2, found.Label, sentence, Slice(a.End, named[j].Start).Trim(), 1.0);
                }
            }
        }
    }

    /// <summary>Reads the cue between two mentions; a lone comma between a place and a state or country is located_in.</summary>
    private (string Label, bool Reverse)? ReadCue(int from, int to, EntityInfo left, EntityInfo right)
    {
        if (to - from > options.MaxRelationPhraseTokens || to < from)
        {
            return null;
        }

        if (to - from == 1 && IsPunctuation(from, ','))
        {
            // "Columbus, Ohio" and "Ohio, United States", but not a list of countries or states ("Greece, Ireland").
            var rightIsState = Lexicon.UsStates.Contains(right.Key);
            var rightIsCountry = Lexicon.Countries.Contains(right.Key);
            var leftIsCountry = Lexicon.Countries.Contains(left.Key);
            var leftIsState = Lexicon.UsStates.Contains(left.Key);
            var ok = left.Type is EntityTypes.Location or EntityTypes.Other && !leftIsCountry
                && (leftIsState ? rightIsCountry : rightIsState || rightIsCountry);
            return ok ? (RelationVocabulary.LocatedIn, false) : null;
        }

        // "France's highest courts are located in Paris" is about the courts, not France.
        if (tokens[from].Kind == TokenKind.Possessive)
        {
            return null;
        }

        Span<int> indexes = stackalloc int[64];
        var count = 0;
        var depth = 0;
        for (var k = from; k < to && count < indexes.Length; k++)
        {
            var token = tokens[k];
            if (token.Kind == TokenKind.Punctuation)
            {
                var ch = text[token.Start];
                if (ch is '(' or '[')
                {
                    depth++;
                }
                else if (ch is ')' or ']')
                {
                    if (depth == 0)
                    {
                        // The left mention sat inside brackets: "… (NBA), as well as a member of …" is not about it.
                        return null;
                    }

                    depth--;
                }
                else if (ch is ';' or ':' or '"' or '\u201C' or '\u201D' && depth == 0)
                {
                    return null;
                }

                continue;
            }

            if (depth == 0 && token.Kind is TokenKind.Word or TokenKind.Number)
            {
                indexes[count++] = k;
            }
        }

        if (count == 0)
        {
            return null;
        }

        var words = new string[count];
        for (var k = 0; k < count; k++)
        {
            words[k] = tokens[indexes[k]].Key;
        }

        return RelationCues.Match(words);
    }

    /// <summary>
    /// "Madagascar, Reunion Island, Comoros and Mayotte" is a list, not a hierarchy; "Columbus, Ohio, United States" is
    /// one: a state may be followed by its country.
    /// </summary>
    private bool ContinuesList(int after, EntityInfo right)
    {
        if (after >= tokens.Count)
        {
            return false;
        }

        if (tokens[after].Kind == TokenKind.Word && tokens[after].Key is "and" or "or")
        {
            return true;
        }

        if (!IsPunctuation(after, ',') || after + 1 >= tokens.Count || !tokens[after + 1].IsNameShaped)
        {
            return false;
        }

        var following = CandidateStartingAt(after + 1);
        var followingIsCountry = following is not null && Lexicon.Countries.Contains(following.Key);
        return !(Lexicon.UsStates.Contains(right.Key) && followingIsCountry) && following is not null && !following.Nested
            && (Lexicon.Countries.Contains(right.Key) || following.Scores.Location >= 3 || followingIsCountry || Lexicon.UsStates.Contains(following.Key));
    }

    private Candidate? CandidateStartingAt(int token)
    {
        var position = tokens[token].Start;
        int lo = 0, hi = candidates.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (candidates[mid].Start < position)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo < candidates.Count && candidates[lo].TokenStart == token ? candidates[lo] : null;
    }

    private bool StartsCoordinatedPredicate(int from, int to)
    {
        var k = from;
        while (k < to && tokens[k].Kind == TokenKind.Punctuation && tokens[k].Length == 1 && text[tokens[k].Start] == ',')
        {
            k++;
        }

        return k + 1 < to && tokens[k].Key == "and"
            && (tokens[k + 1].Key is "is" or "was" or "are" or "were" or "has" or "had" or "became" or "later" or "also" or "then"
                || RelationCues.IsVerbCue(tokens[k + 1].Key));
    }

    private bool IsListSeparator(int from, int to)
    {
        var words = 0;
        for (var k = from; k < to; k++)
        {
            var token = tokens[k];
            if (token.Kind == TokenKind.Punctuation && token.Length == 1 && text[token.Start] is ',' or '&')
            {
                continue;
            }

            if (token.Kind == TokenKind.Word && token.Key is "and" or "or" && words == 0)
            {
                words++;
                continue;
            }

            return false;
        }

        return to > from;
    }

    /// <summary>
    /// A sentence that opens with "He"/"She" (the person the document is about, or the last person named), "It" or
    /// "The film"/"The company" (the document's title entity) lends that entity as the subject of its first cue.
    /// </summary>
    private (int TokenStart, int TokenEnd, int Start, int End, EntityInfo Entity)? PronounSubject(int sentence, EntityInfo? titleEntity, EntityInfo? lastPerson)
    {
        var (start, end) = sentenceTokens[sentence];
        var first = FirstWordIndex(start, end);
        if (first >= end || !tokens[first].Is(TokenShape.Capitalized))
        {
            return null;
        }

        var key = tokens[first].Key;
        EntityInfo? antecedent = null;
        var stop = first + 1;
        if (key is "he" or "she")
        {
            antecedent = titleEntity?.Type == EntityTypes.Person ? titleEntity : lastPerson;
        }
        else if (key == "it" && titleEntity is not null && titleEntity.Type is not (EntityTypes.Person or EntityTypes.Date or EntityTypes.Quantity))
        {
            antecedent = titleEntity;
        }
        else if (key is "the" or "this" && titleEntity is not null && first + 1 < end
            && Lexicon.CategoryNouns.TryGetValue(tokens[first + 1].Key, out var category) && tokens[first + 1].Is(TokenShape.Lower)
            && (category == titleEntity.Type || titleEntity.Type == EntityTypes.Other))
        {
            antecedent = titleEntity;
            stop = first + 2;
        }

        return antecedent is null ? null : (first, stop, tokens[first].Start, tokens[stop - 1].End, antecedent);
    }

    private void AddProfileRelations(int sentence, List<(Candidate Mention, EntityInfo Entity)> mentions)
    {
        var profile = extractor.Profile;
        if (profile is null || profile.RelationPatterns.Count == 0 || mentions.Count < 2)
        {
            return;
        }

        if (mentions.Exists(static m => m.Mention.Nested))
        {
            mentions = mentions.FindAll(static m => !m.Mention.Nested);
        }

        foreach (var pattern in profile.RelationPatterns)
        {
            var definition = pattern.Definition;
            if (definition.Cues.Count > 0)
            {
                for (var i = 0; i + 1 < mentions.Count; i++)
                {
                    var (a, ea) = mentions[i];
                    var (b, eb) = mentions[i + 1];
                    if (ea == eb || b.TokenStart - a.TokenEnd > options.MaxRelationPhraseTokens)
                    {
                        continue;
                    }

                    var phrase = DomainProfile.NormalizeCue(Slice(a.End, b.Start));
                    foreach (var cue in definition.Cues)
                    {
                        if (ContainsWords(phrase, cue))
                        {
                            AddProfileRelation(definition, sentence, ea, eb, Slice(a.End, b.Start).Trim());
                            break;
                        }
                    }
                }
            }

            if (pattern.Regex is not null)
            {
                var span = sentences[sentence];
                Match match;
                try
                {
                    match = pattern.Regex.Match(text, span.Start, span.Length);
                    while (match.Success)
                    {
                        var source = match.Groups["source"];
                        var target = match.Groups["target"];
                        var left = MentionAt(mentions, source.Index + source.Length - 1);
                        var right = MentionAt(mentions, target.Index);
                        if (left is { } l && right is { } r && l.Entity != r.Entity)
                        {
                            var (first, second) = l.Mention.Start <= r.Mention.Start ? (l.Mention, r.Mention) : (r.Mention, l.Mention);
                            AddProfileRelation(definition, sentence, l.Entity, r.Entity, Slice(first.End, Math.Max(first.End, second.Start)).Trim());
                        }

                        match = match.NextMatch();
                    }
                }
                catch (RegexMatchTimeoutException ex)
                {
                    throw new GraphRagException(
                        $"Domain profile '{profile.Name}' relation pattern for '{definition.Label}' exceeded its "
                        + $"{DomainProfile.Describe(profile.RegexTimeout)} time limit on document {document.Id}.",
                        ex);
                }
            }
        }
    }

    private static (Candidate Mention, EntityInfo Entity)? MentionAt(List<(Candidate Mention, EntityInfo Entity)> mentions, int position)
    {
        foreach (var item in mentions)
        {
            if (item.Mention.Start <= position && position < item.Mention.End)
            {
                return item;
            }
        }

        return null;
    }

    private void AddProfileRelation(DomainRelationPattern definition, int sentence, EntityInfo left, EntityInfo right, string phrase)
    {
        var (source, target) = definition.Reverse ? (right, left) : (left, right);
        if ((definition.SourceType is null || definition.SourceType == source.Type) && (definition.TargetType is null || definition.TargetType == target.Type))
        {
            AddEvidence(source, target, definition.Label, sentence, phrase, 1.0);
        }
    }

    private static bool ContainsWords(string phrase, string cue)
    {
        var index = phrase.IndexOf(cue, StringComparison.Ordinal);
        while (index >= 0)
        {
            var before = index == 0 || !char.IsLetterOrDigit(phrase[index - 1]);
            var after = index + cue.Length == phrase.Length || !char.IsLetterOrDigit(phrase[index + cue.Length]);
            if (before && after)
            {
                return true;
            }

            index = phrase.IndexOf(cue, index + 1, StringComparison.Ordinal);
        }

        return false;
    }

    /// <summary>Adds one sentence's evidence to a relation; a relation keeps at most one evidence per sentence.</summary>
    private bool AddEvidence(EntityInfo source, EntityInfo target, string label, int sentence, string phrase, double weight)
    {
        if (!relationsById.TryGetValue((source.Id, label, target.Id), out var relation))
        {
            relation = new RelationBuilder(FastStableId.Create("rel", source.Id, label, target.Id), source.Id, target.Id, label);
            relationsById.Add((source.Id, label, target.Id), relation);
            relationOrder.Add(relation);
        }

        // Sentences are visited in order, so evidence from this sentence can only be the last one added.
        if (relation.Evidence.Count > 0 && relation.Evidence[^1] is var existing && existing.Sentence == sentence)
        {
            if (weight > existing.Weight)
            {
                existing.Weight = weight;
                existing.Phrase = phrase;
            }

            return false;
        }

        relation.Evidence.Add(new EvidenceBuilder(sentence, phrase, weight));
        return true;
    }

    private DocumentGraph Assemble(List<EntityInfo> entities, List<RelationBuilder> relations)
    {
        var mentions = new List<Mention>(candidates.Count);
        var byKey = entities.ToDictionary(e => e.Key, StringComparer.Ordinal);
        var startText = new string[2];
        foreach (var candidate in candidates)
        {
            var entity = byKey[candidate.EntityKey];
            startText[0] = candidate.Start.ToString(CultureInfo.InvariantCulture);
            startText[1] = candidate.End.ToString(CultureInfo.InvariantCulture);
            mentions.Add(new Mention
            {
                Id = FastStableId.Create("men", document.Id, startText[0], startText[1]),
                EntityId = entity.Id,
                Text = Slice(candidate.Start, candidate.End),
                Span = new TextSpan(document.Id, chunks.Find(candidate.Start), candidate.Start, candidate.End),
                Type = entity.Type,
                Resolution = candidate.Resolution,
            });
        }

        var extracted = entities
            .OrderBy(e => e.Mentions.Min(m => m.Start))
            .Select(e => new ExtractedEntity(e.Id, e.Key, e.Name, e.Type))
            .ToList();

        var result = new List<Relation>(relations.Count);
        foreach (var relation in relations)
        {
            var evidence = new List<RelationEvidence>(relation.Evidence.Count);
            var total = 0.0;
            foreach (var item in relation.Evidence)
            {
                var span = sentences[item.Sentence];
                evidence.Add(new RelationEvidence(new TextSpan(document.Id, chunks.Find(span.Start), span.Start, span.End), item.Phrase, item.Weight));
                total += item.Weight;
            }

            result.Add(new Relation
            {
                Id = relation.Id,
                SourceId = relation.SourceId,
                TargetId = relation.TargetId,
                Label = relation.Label,
                Weight = total,
                Evidence = evidence,
            });
        }

        return new DocumentGraph(extracted, mentions, result);
    }

    private sealed class RelationBuilder(string id, string sourceId, string targetId, string label)
    {
        public string Id { get; } = id;

        public string SourceId { get; } = sourceId;

        public string TargetId { get; } = targetId;

        public string Label { get; } = label;

        public List<EvidenceBuilder> Evidence { get; } = [];
    }

    private sealed class EvidenceBuilder(int sentence, string phrase, double weight)
    {
        public int Sentence { get; } = sentence;

        public string Phrase { get; set; } = phrase;

        public double Weight { get; set; } = weight;
    }
}
