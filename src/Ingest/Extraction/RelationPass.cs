using System.Collections.Immutable;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>
/// The fourth pass: relations between the resolved entities, sentence by sentence — "alias_of" for defined acronyms and other names,
/// weighted same-sentence co-occurrence, labelled relations from cue phrases between adjacent mentions (a sentence that
/// opens with "He", "It" or "The film" lends the antecedent as a subject), and a domain profile's relations.
/// </summary>
internal sealed class RelationPass
{
    private readonly TokenizedDocument document;
    private readonly ImmutableArray<Token> tokens;
    private readonly string text;
    private readonly ResolvedEntities resolved;
    private readonly ExtractionOptions options;
    private readonly RelationDrafts drafts = new();

    private RelationPass(TokenizedDocument document, ResolvedEntities resolved, ExtractionOptions options)
    {
        this.document = document;
        tokens = document.Tokens;
        text = document.Text;
        this.resolved = resolved;
        this.options = options;
    }

    /// <summary>The document's relations in the order they were first found, each with its evidence per sentence.</summary>
    public static IReadOnlyList<Relation> Run(TokenizedDocument document, ResolvedEntities resolved, ExtractionOptions options, DomainProfile? profile)
    {
        var pass = new RelationPass(document, resolved, options);
        pass.FindRelations(profile);
        return pass.drafts.ToRelations(document);
    }

    private void FindRelations(DomainProfile? profile)
    {
        foreach (var definition in resolved.AliasDefinitions)
        {
            var (alias, from, full, to) = definition;
            if (from != to)
            {
                var (left, right) = alias.Start < full.Start ? (alias, full) : (full, alias);
                drafts.Add(from, to, RelationLabels.AliasOf, alias.Sentence, document.Slice(left.End, right.Start).Trim(), 1.0);
            }
        }

        var profileRelations = options.PatternRelations && profile is not null && profile.RelationPatterns.Count > 0
            ? new ProfileRelations(document, profile, options.MaxRelationPhraseTokens, drafts)
            : null;
        var titleEntity = resolved.TitleEntity;
        var mentions = resolved.Mentions;
        ResolvedEntity? lastPerson = null;
        var sentenceMentions = new List<ResolvedMention>();
        var c = 0;
        for (var s = 0; s < document.SentenceTokens.Length; s++)
        {
            sentenceMentions.Clear();
            while (c < mentions.Length && mentions[c].Candidate.Sentence < s)
            {
                c++;
            }

            while (c < mentions.Length && mentions[c].Candidate.Sentence == s)
            {
                sentenceMentions.Add(mentions[c]);
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
                profileRelations?.Add(s, sentenceMentions);
            }

            foreach (var (_, entity) in sentenceMentions)
            {
                if (entity.Type == EntityTypes.Person)
                {
                    lastPerson = entity;
                }
            }
        }
    }

    private static bool IsValue(ResolvedEntity entity) => entity.Type is EntityTypes.Date or EntityTypes.Quantity;

    private void AddCoOccurrences(int sentence, List<ResolvedMention> mentions)
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
            if (drafts.Add(source, target, RelationLabels.CoOccurs, sentence, document.Slice(a.End, b.Start).Trim(), weight))
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
        int sentence, (int TokenStart, int TokenEnd, int Start, int End, ResolvedEntity Entity) subject, List<ResolvedMention> mentions)
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
            if (drafts.Add(source, target, RelationLabels.CoOccurs, sentence, document.Slice(subject.End, mention.Start).Trim(), weight))
            {
                taken++;
            }
        }
    }

    private void AddCueRelations(int sentence, List<ResolvedMention> mentions, ResolvedEntity? titleEntity, ResolvedEntity? lastPerson)
    {
        var named = new List<(int TokenStart, int TokenEnd, int Start, int End, ResolvedEntity Entity)>(mentions.Count + 1);
        var subject = options.PronounSubjects ? PronounSubject(sentence, titleEntity, lastPerson) : null;
        if (subject is { } pronoun && (mentions.Count == 0 || mentions[0].Candidate.TokenStart >= pronoun.TokenEnd))
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
            if (i > 0 && document.IsPunctuation(a.TokenEnd, ',') && b.TokenStart - a.TokenEnd > 1)
            {
                continue;
            }

            // "publishes the Synod's magazine": the second mention only modifies the object.
            if (b.TokenEnd < tokens.Length && tokens[b.TokenEnd].Kind == TokenKind.Possessive)
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

            drafts.Add(source, target, found.Label, sentence, document.Slice(a.End, b.Start).Trim(), 1.0);

            // "directed by Y and Z", "founded by Y, Z and W": the cue carries over a list — unless the cue was the
            // comma itself, which would turn "Greece, Ireland, Italy" into a chain.
            var commaCue = b.TokenStart - a.TokenEnd == 1 && document.IsPunctuation(a.TokenEnd, ',');
            for (var j = i + 2; !commaCue && j < named.Count && IsListSeparator(named[j - 1].TokenEnd, named[j].TokenStart); j++)
            {
                var other = named[j].Entity;
                var (s2, t2) = found.Reverse ? (other, a.Entity) : (a.Entity, other);
                if (s2 != t2 && RelationCues.Allows(found.Label, s2.Type, t2.Type))
                {
                    drafts.Add(s2, t2, found.Label, sentence, document.Slice(a.End, named[j].Start).Trim(), 1.0);
                }
            }
        }
    }

    /// <summary>Reads the cue between two mentions; a lone comma between a place and a state or country is located_in.</summary>
    private (string Label, bool Reverse)? ReadCue(int from, int to, ResolvedEntity left, ResolvedEntity right)
    {
        if (to - from > options.MaxRelationPhraseTokens || to < from)
        {
            return null;
        }

        if (to - from == 1 && document.IsPunctuation(from, ','))
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
    private bool ContinuesList(int after, ResolvedEntity right)
    {
        if (after >= tokens.Length)
        {
            return false;
        }

        if (tokens[after].Kind == TokenKind.Word && tokens[after].Key is "and" or "or")
        {
            return true;
        }

        if (!document.IsPunctuation(after, ',') || after + 1 >= tokens.Length || !tokens[after + 1].IsNameShaped)
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
        var mentions = resolved.Mentions;
        int lo = 0, hi = mentions.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (mentions[mid].Candidate.Start < position)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo < mentions.Length && mentions[lo].Candidate.TokenStart == token ? mentions[lo].Candidate : null;
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
    private (int TokenStart, int TokenEnd, int Start, int End, ResolvedEntity Entity)? PronounSubject(int sentence, ResolvedEntity? titleEntity, ResolvedEntity? lastPerson)
    {
        var end = document.SentenceTokens[sentence].End;
        var first = document.FirstWord(sentence);
        if (first >= end || !tokens[first].Is(TokenShape.Capitalized))
        {
            return null;
        }

        var key = tokens[first].Key;
        ResolvedEntity? antecedent = null;
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
}
