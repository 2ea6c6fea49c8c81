using System.Collections.Frozen;
using System.Collections.Immutable;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>
/// The fourth pass: relations between the resolved entities, sentence by sentence — "alias_of" for defined acronyms and
/// other names, weighted same-sentence co-occurrence, labelled relations from cue phrases between adjacent mentions (a
/// sentence that opens with "He", "It" or "The film", or has "he"/"she"/"it" after a fronted phrase, lends the
/// antecedent as a subject; a predicate after "and" or an apposition goes to the sentence's subject), and a domain
/// profile's relations.
/// </summary>
internal sealed class RelationPass
{
    /// <summary>Participles that open a sentence about its subject: "Born in …, she", "Founded in 1990 by …, it".</summary>
    private static readonly FrozenSet<string> FrontedParticiples = new[]
    {
        "born", "raised", "educated", "founded", "established", "based", "headquartered", "located", "situated",
    }.ToFrozenSet(StringComparer.Ordinal);

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
        ResolvedEntity? previousWork = null;
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

            // Co-occurrence edges take the pronoun only where it opens the sentence; after a fronted phrase ("In 2013, he …")
            // it lends its antecedent to the sentence's cue relations alone, where a cue word confirms the reading.
            if (options.CoOccurrence && options.PronounSubjects && sentenceMentions.Count > 0
                && PronounSubject(s, titleEntity, lastPerson) is { } subject && subject.TokenStart == document.FirstWord(s))
            {
                AddSubjectCoOccurrences(s, subject, sentenceMentions);
            }

            if (options.PatternRelations)
            {
                AddCueRelations(s, sentenceMentions, titleEntity, lastPerson, previousWork);
                profileRelations?.Add(s, sentenceMentions);
            }

            previousWork = null;
            foreach (var (mention, entity) in sentenceMentions)
            {
                if (entity.Type == EntityTypes.Person)
                {
                    lastPerson = entity;
                }
                else if (entity.Type == EntityTypes.Work && !mention.Nested)
                {
                    previousWork = entity;
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

    private void AddCueRelations(
        int sentence, List<ResolvedMention> mentions, ResolvedEntity? titleEntity, ResolvedEntity? lastPerson, ResolvedEntity? previousWork)
    {
        var named = new List<(int TokenStart, int TokenEnd, int Start, int End, ResolvedEntity Entity)>(mentions.Count + 1);
        var subject = options.PronounSubjects ? PronounSubject(sentence, titleEntity, lastPerson) : null;
        foreach (var (mention, entity) in mentions)
        {
            if (!IsValue(entity) && !mention.Nested)
            {
                named.Add((mention.TokenStart, mention.TokenEnd, mention.Start, mention.End, entity));
            }
        }

        if (subject is { } pronoun)
        {
            // In its place among the mentions: first, or after a fronted phrase's mentions.
            var at = named.FindIndex(m => m.TokenStart >= pronoun.TokenEnd);
            if (at < 0)
            {
                at = named.Count;
            }

            if (at == 0 || named[at - 1].TokenEnd <= pronoun.TokenStart)
            {
                named.Insert(at, pronoun);
            }
        }

        if (subject is { } fronted && FrontedClause(sentence, fronted) is { } clause)
        {
            // "Born in Aberlow in 1965, he trained …": the fronted participle's relations are the subject's.
            AddFrontedClauseRelations(sentence, clause, fronted, named);
        }

        // The sentence's subject: the pronoun standing for it, else the first name.
        var head = subject ?? (named.Count > 0 ? named[0] : default);
        for (var i = 0; i + 1 < named.Count; i++)
        {
            var a = named[i];
            var b = named[i + 1];

            // "publishes the Synod's magazine": the second mention only modifies the object.
            if (b.TokenEnd < tokens.Length && tokens[b.TokenEnd].Kind == TokenKind.Possessive)
            {
                continue;
            }

            // The cue is read from the end of the left mention, unless the predicate belongs to the sentence's subject.
            var from = a.TokenEnd;
            if (i > 0 && CoordinatedPredicate(a.TokenEnd, b.TokenStart) is var and && and >= 0)
            {
                // "X is a port city on the coast of Y and the capital of Z", "X received an award in 2014 and is a
                // member of Z": the second predicate belongs to the sentence's subject, not to the mention before "and" —
                // unless that mention is the subject of a relative clause ("Y, whose daughter X was born in … and later
                // founded Z": X founded Z).
                if (!RelativeClause(head.TokenEnd, a.TokenStart))
                {
                    a = head;
                }

                from = and + 1;
            }
            else if (i > 0 && document.IsPunctuation(a.TokenEnd, ',') && b.TokenStart - a.TokenEnd > 1)
            {
                var next = a.TokenEnd + 1;
                if (IsAppositionOrParticiple(next))
                {
                    // "Magnus Eide, a co-founder of Tidewater Robotics", "the report X, written by Y": about the mention before the comma.
                }
                else if (head.Entity != a.Entity && document.IsPunctuation(head.TokenEnd, ',') && StartsPredicate(next))
                {
                    // "Magnus Eide, co-founder of Tidewater Robotics, was born on Skorøy": the verb after the apposition is the subject's.
                    a = head;
                    from = next;
                }
                else
                {
                    // "…, published by the University of Texas, was translated …": the verb belongs to an earlier subject.
                    continue;
                }
            }
            else if (IsNounModifier(a.TokenStart, a.TokenEnd, b.TokenStart))
            {
                // "the investigation report into the Brennsund collision are published by NSMAB": Brennsund only modifies
                // "collision". A financing round is the exception: "X raised €5 million in a Series B round led by Y" is
                // about the sentence's subject.
                if (head.Entity == a.Entity
                    || ReadCues(a.TokenEnd, b.TokenStart, a.Entity, b.Entity) is not [{ Label: RelationVocabulary.FundedBy }, ..])
                {
                    continue;
                }

                a = head;
            }

            var cues = a.Entity == b.Entity ? [] : ReadCues(from, b.TokenStart, a.Entity, b.Entity);
            if (cues.Count == 0)
            {
                continue;
            }

            var found = cues[0];

            if (found.Label == RelationVocabulary.LocatedIn && b.TokenStart - a.TokenEnd == 1 && ContinuesList(b.TokenEnd, b.Entity))
            {
                continue;
            }

            var (source, target) = found.Reverse ? (b.Entity, a.Entity) : (a.Entity, b.Entity);
            if (!RelationCues.Allows(found.Label, source.Type, target.Type))
            {
                continue;
            }

            // "It was designed by …" on a company's page is about something the company makes: a company is founded,
            // not designed, written or directed, so the pronoun stands for the work the sentence before named, if any.
            if (subject is { } it && a == it && source == it.Entity && it.Entity.Type == EntityTypes.Organization && RelationCues.MakesAWork(found.Label))
            {
                if (previousWork is null || previousWork == target)
                {
                    continue;
                }

                source = previousWork;
            }

            drafts.Add(source, target, found.Label, sentence, document.Slice(a.End, b.Start).Trim(), 1.0);

            // "X, the co-founder and chief executive of Y": each coordinated relation noun states its own relation.
            foreach (var other in cues.Skip(1))
            {
                var (s3, t3) = other.Reverse ? (b.Entity, a.Entity) : (a.Entity, b.Entity);
                if (RelationCues.Allows(other.Label, s3.Type, t3.Type))
                {
                    drafts.Add(s3, t3, other.Label, sentence, document.Slice(a.End, b.Start).Trim(), 1.0);
                }
            }

            // "directed by Y and Z", "founded by Y, Z and W": the cue carries over a list — unless the cue was the
            // comma itself, which would turn "Greece, Ireland, Italy" into a chain.
            var commaCue = b.TokenStart - a.TokenEnd == 1 && document.IsPunctuation(a.TokenEnd, ',');
            for (var j = i + 2; !commaCue && j < named.Count && IsListSeparator(named[j - 1].TokenEnd, named[j].TokenStart); j++)
            {
                // "born in Kessrin, Germany": the country after a place is where the place lies, not a second birthplace.
                if (ReadCues(named[j - 1].TokenEnd, named[j].TokenStart, named[j - 1].Entity, named[j].Entity) is [{ Label: RelationVocabulary.LocatedIn }, ..])
                {
                    break;
                }

                var other = named[j].Entity;
                var (s2, t2) = found.Reverse ? (other, a.Entity) : (a.Entity, other);
                if (s2 != t2 && RelationCues.Allows(found.Label, s2.Type, t2.Type))
                {
                    drafts.Add(s2, t2, found.Label, sentence, document.Slice(a.End, named[j].Start).Trim(), 1.0);
                }
            }
        }
    }

    /// <summary>
    /// Reads the cues between two mentions, the main one first; a lone comma between a place and a state or country is
    /// located_in. Empty when the words state no relation.
    /// </summary>
    private IReadOnlyList<(string Label, bool Reverse)> ReadCues(int from, int to, ResolvedEntity left, ResolvedEntity right)
    {
        if (to < from || PhraseLength(from, to) > options.MaxRelationPhraseTokens)
        {
            return [];
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
            return ok ? [(RelationVocabulary.LocatedIn, false)] : [];
        }

        // "France's highest courts are located in Paris" is about the courts, not France; "Acme's founder was Y" is about Acme.
        var possessive = tokens[from].Kind == TokenKind.Possessive;

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
                        return [];
                    }

                    depth--;
                }
                else if (ch is '"' or '\u201C' or '\u201D' && depth == 0 && (k == from || k == to - 1))
                {
                    // The quotes of a title: "\"The Quiet Fleet\" (2020), directed by", "wrote the report \"Blue Data Commons\"".
                    continue;
                }
                else if (ch is ';' or ':' or '"' or '\u201C' or '\u201D' && depth == 0)
                {
                    return [];
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
            return [];
        }

        var words = new string[count];
        for (var k = 0; k < count; k++)
        {
            words[k] = tokens[indexes[k]].Key;
        }

        return possessive && !RelationCues.IsRoleCopula(words) ? [] : RelationCues.MatchAll(words);
    }

    /// <summary>The tokens between two mentions, less a bracketed aside ("Ada Berg (born 1971) is the founder of …").</summary>
    private int PhraseLength(int from, int to)
    {
        var length = 0;
        var depth = 0;
        for (var k = from; k < to; k++)
        {
            var token = tokens[k];
            var bracket = token.Kind == TokenKind.Punctuation ? text[token.Start] : '\0';
            if (bracket is '(' or '[')
            {
                depth++;
            }
            else if (bracket is ')' or ']' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                length++;
            }

            if (k - from > 4 * options.MaxRelationPhraseTokens)
            {
                return int.MaxValue;
            }
        }

        return length;
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

    /// <summary>
    /// The last "and" between two mentions that opens a second predicate ("and is", "and was founded", "and the capital
    /// of"), outside brackets and quotes; -1 when there is none.
    /// </summary>
    private int CoordinatedPredicate(int from, int to)
    {
        var found = -1;
        var depth = 0;
        for (var k = from; k < to; k++)
        {
            var token = tokens[k];
            if (token.Kind == TokenKind.Punctuation)
            {
                var ch = text[token.Start];
                depth += ch is '(' or '[' ? 1 : ch is ')' or ']' ? -1 : 0;
                continue;
            }

            if (depth == 0 && token.Key == "and" && k + 1 < to && tokens[k + 1].Kind == TokenKind.Word
                && (StartsPredicate(k + 1)
                    || (tokens[k + 1].Key is "the" or "a" or "an" && k + 2 < to && RelationNounFollows(k + 2, to))))
            {
                found = k;
            }
        }

        return found;
    }

    /// <summary>A relative pronoun ("who", "whose", "which") between two tokens: a clause with its own subject opens there.</summary>
    private bool RelativeClause(int from, int to)
    {
        for (var k = from; k < to; k++)
        {
            if (tokens[k].Kind == TokenKind.Word && tokens[k].Key is "who" or "whose" or "whom" or "which")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A verb phrase starts at <paramref name="k"/>: an auxiliary, "became", "later", or a relation's verb.</summary>
    private bool StartsPredicate(int k) =>
        k < tokens.Length && tokens[k].Kind == TokenKind.Word
        && (tokens[k].Key is "is" or "was" or "are" or "were" or "has" or "had" or "have" or "became" or "later" or "also" or "then"
            || RelationCues.IsVerbCue(tokens[k].Key));

    /// <summary>After a comma: an apposition ("a co-founder of", "the chief engineer of") or a participle ("written by", "based in").</summary>
    private bool IsAppositionOrParticiple(int k)
    {
        if (k >= tokens.Length || tokens[k].Kind != TokenKind.Word || !tokens[k].Is(TokenShape.Lower))
        {
            return false;
        }

        var key = tokens[k].Key;
        if (key is "a" or "an" or "the")
        {
            return true;
        }

        // "co-founder of" is written in three tokens.
        if (key == "co" && k + 2 < tokens.Length && tokens[k + 1].Kind == TokenKind.Punctuation && Tokenizer.IsHyphen(text[tokens[k + 1].Start]))
        {
            key = tokens[k + 2].Key;
        }

        // "chief executive of", "managing director of".
        return RelationCues.IsParticiple(key) || RelationCues.IsRelationalNoun(key) || RelationNounFollows(k, tokens.Length);
    }

    /// <summary>
    /// "the Brennsund collision", "a Marrenhaven firm": a name between a determiner and a common noun only modifies that
    /// noun, so it is not the subject of a verb that follows (a category noun, "the X shipyard", is the name itself).
    /// </summary>
    private bool IsNounModifier(int start, int end, int next)
    {
        if (start == 0 || end >= next - 1 || tokens[start - 1].Key is not ("the" or "a" or "an" or "its" or "his" or "her" or "their"))
        {
            return false;
        }

        var noun = tokens[end];
        var key = noun.Key;
        return noun.Kind == TokenKind.Word && noun.Is(TokenShape.Lower) && !Lexicon.FunctionWords.Contains(key)
            && !Lexicon.CategoryNouns.ContainsKey(key) && !RelationCues.IsVerbCue(key) && !RelationCues.IsRelationalNoun(key)
            && !key.EndsWith("ed", StringComparison.Ordinal);
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

        if (tokens[first].Key is not ("he" or "she" or "it" or "its" or "the" or "this"))
        {
            // "In 2009 she co-founded …", "Born in Aberlow in 1965, he trained …": the pronoun after a fronted phrase.
            first = PronounAfterFrontedPhrase(first, end);
            if (first < 0)
            {
                return null;
            }
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
        else if (key == "its" && titleEntity?.Type is EntityTypes.Organization && RelationNounFollows(first + 1, end))
        {
            // "Its chief executive is X": the organisation the document is about.
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

    /// <summary>A relation noun among the next three lower-case words: "chief executive", "founder".</summary>
    private bool RelationNounFollows(int from, int end)
    {
        // The hyphen of "co-founder" is not a word.
        for (var k = from; k < end && k < from + 4; k++)
        {
            if (tokens[k].Kind == TokenKind.Punctuation && Tokenizer.IsHyphen(text[tokens[k].Start]))
            {
                continue;
            }

            if (tokens[k].Kind != TokenKind.Word || !tokens[k].Is(TokenShape.Lower))
            {
                return false;
            }

            if (RelationCues.IsRelationalNoun(tokens[k].Key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The "he", "she" or "it" that is the subject after a fronted phrase: a date adverbial ("In 2009 she", "In March
    /// 2020, it") or a participle clause closed by a comma ("Born in Aberlow in 1965, he"); -1 when there is none.
    /// </summary>
    private int PronounAfterFrontedPhrase(int first, int end)
    {
        var opener = tokens[first].Key;
        var participle = FrontedParticiples.Contains(opener);
        if (!participle && opener is not ("in" or "on" or "at" or "after" or "before" or "during" or "since" or "by" or "until" or "from"
            or "following" or "later" or "then" or "today"))
        {
            return -1;
        }

        for (var k = first + 1; k < end && k <= first + 12; k++)
        {
            var token = tokens[k];
            if (token.Kind == TokenKind.Word && token.Is(TokenShape.Lower) && token.Key is "he" or "she" or "it")
            {
                var comma = document.IsPunctuation(k - 1, ',');
                return comma || (!participle && DateOnly(first + 1, k)) ? k : -1;
            }

            if (token.Kind == TokenKind.Punctuation && text[token.Start] is not (',' or '-' or '\u2013'))
            {
                return -1;
            }
        }

        return -1;

        bool DateOnly(int from, int to)
        {
            for (var k = from; k < to; k++)
            {
                if (!(tokens[k].Kind == TokenKind.Number || Lexicon.Months.Contains(tokens[k].Key) || tokens[k].Key is "the" or "early" or "late" or "mid"))
                {
                    return false;
                }
            }

            return to > from;
        }
    }

    /// <summary>
    /// A sentence that opens with a participle clause ("Born in Aberlow in 1965, he …"): the tokens of the clause, from
    /// its participle to the comma before the subject; null for other sentences.
    /// </summary>
    private (int Start, int End)? FrontedClause(int sentence, (int TokenStart, int TokenEnd, int Start, int End, ResolvedEntity Entity) subject)
    {
        var first = document.FirstWord(sentence);
        return first < subject.TokenStart && FrontedParticiples.Contains(tokens[first].Key) && document.IsPunctuation(subject.TokenStart - 1, ',')
            ? (first, subject.TokenStart - 1)
            : null;
    }

    /// <summary>The first mention in a fronted participle clause that the participle relates to the sentence's subject.</summary>
    private void AddFrontedClauseRelations(
        int sentence,
        (int Start, int End) clause,
        (int TokenStart, int TokenEnd, int Start, int End, ResolvedEntity Entity) subject,
        List<(int TokenStart, int TokenEnd, int Start, int End, ResolvedEntity Entity)> named)
    {
        foreach (var mention in named)
        {
            if (mention.TokenStart <= clause.Start || mention.TokenEnd > clause.End || mention.Entity == subject.Entity)
            {
                continue;
            }

            if (ReadCues(clause.Start, mention.TokenStart, subject.Entity, mention.Entity) is [var found, ..])
            {
                var (source, target) = found.Reverse ? (mention.Entity, subject.Entity) : (subject.Entity, mention.Entity);
                if (RelationCues.Allows(found.Label, source.Type, target.Type))
                {
                    drafts.Add(source, target, found.Label, sentence, document.Slice(tokens[clause.Start].Start, mention.Start).Trim(), 1.0);
                }
            }

            return;
        }
    }
}
