using System.Collections.Immutable;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>The candidates with their keys and type evidence, places nested in longer names among them, in document order.</summary>
internal sealed record TypedCandidates(IReadOnlyList<Candidate> Candidates, TitleInfo? Title);

/// <summary>
/// The second pass: gives every candidate its key and weighs the evidence for its coarse type — its shape (head words,
/// given names, initials) and its context (cue words before it, an apposition or "is a …" after it). Then places named
/// inside longer names become candidates of their own, which needs the container's type.
/// </summary>
internal sealed class TypingPass
{
    private readonly TokenizedDocument document;
    private readonly ImmutableArray<Token> tokens;
    private readonly string text;

    private TypingPass(TokenizedDocument document)
    {
        this.document = document;
        tokens = document.Tokens;
        text = document.Text;
    }

    public static TypedCandidates Run(TokenizedDocument document, CandidateSet input)
    {
        var pass = new TypingPass(document);
        var candidates = input.Candidates;
        pass.ScoreTypes(candidates);
        var nested = pass.FindNestedPlaces(candidates);
        if (nested.Count > 0)
        {
            var all = new List<Candidate>(candidates.Count + nested.Count);
            all.AddRange(candidates);
            all.AddRange(nested);
            all.Sort(Candidate.ByPosition);
            candidates = all;
        }

        return new TypedCandidates(candidates, input.Title);
    }

    private void ScoreTypes(IReadOnlyList<Candidate> candidates)
    {
        var firstNamed = true;
        for (var c = 0; c < candidates.Count; c++)
        {
            var candidate = candidates[c];
            candidate.Key = Graph.EntityKey.Normalize(document.Slice(candidate.Start, candidate.End));
            if (candidate.FixedType is not null || candidate.Kind is CandidateKind.Date or CandidateKind.Quantity)
            {
                continue;
            }

            var beforeShape = candidate.Scores;
            ScoreShape(candidate);
            candidate.ShapeScores = candidate.Scores;
            candidate.ShapeScores.Subtract(beforeShape);
            ScoreContext(candidate);
            if (firstNamed && candidate.Kind is CandidateKind.Name or CandidateKind.Title)
            {
                // A biography opens with its subject and goes on with "he" or "she".
                firstNamed = false;
                if (document.HasPersonalPronoun && candidate.Scores.Organization < 3 && candidate.Scores.Location < 3 && candidate.Scores.Work < 3)
                {
                    candidate.Scores.Add(EntityTypes.Person, 1.5f);
                }
            }
        }
    }

    private void ScoreShape(Candidate candidate)
    {
        var key = candidate.Key;
        var firstWord = -1;
        var lastWord = -1;
        var words = 0;
        var initials = false;
        var innerParticle = false;
        var allCaps = true;
        var hasOf = false;
        for (var i = candidate.TokenStart; i < candidate.TokenEnd; i++)
        {
            var token = tokens[i];
            if (token.Kind != TokenKind.Word)
            {
                continue;
            }

            if (token.IsNameShaped)
            {
                if (firstWord < 0)
                {
                    firstWord = i;
                }

                lastWord = i;
                words++;
                initials |= token.Is(TokenShape.Initial | TokenShape.Dotted);
                allCaps &= token.Is(TokenShape.AllCaps);
            }
            else
            {
                if (token.Key is "of" or "for" && lastWord >= 0)
                {
                    // "American Institute of Physics", "Gulf of Mexico", "Battle of Hastings": the word before "of" is the head.
                    var headKey = tokens[lastWord].Key;
                    if (Lexicon.OrganizationHeads.Contains(headKey) || Lexicon.OrganizationLeads.Contains(headKey))
                    {
                        candidate.Scores.Add(EntityTypes.Organization, 2.5f);
                    }
                    else if (Lexicon.LocationHeads.Contains(headKey))
                    {
                        candidate.Scores.Add(EntityTypes.Location, 2.5f);
                    }
                    else if (Lexicon.WorkHeads.Contains(headKey))
                    {
                        candidate.Scores.Add(EntityTypes.Work, 2.5f);
                    }
                    else if (Lexicon.EventHeads.Contains(headKey) || Lexicon.EventLeads.Contains(headKey))
                    {
                        candidate.Scores.Add(EntityTypes.Other, 2.5f);
                    }
                }

                hasOf |= token.Key is "of" or "for";
                innerParticle |= firstWord >= 0 && Lexicon.Particles.Contains(token.Key) && token.Key is not ("of" or "the" or "for" or "and");
            }
        }

        if (firstWord < 0)
        {
            return;
        }

        var firstKey = tokens[firstWord].Key;
        var lastKey = tokens[lastWord].Key;
        // "Tidewater Robotics AS", "Seaborne Systems Group plc": a legal form says company whatever the words before it.
        var legalForm = Lexicon.IsLegalForm(tokens[candidate.TokenEnd - 1]) && candidate.TokenEnd - 1 > firstWord;
        var organizationHead = legalForm || Lexicon.OrganizationHeads.Contains(lastKey);
        var locationHead = Lexicon.LocationHeads.Contains(lastKey);
        var workHead = Lexicon.WorkHeads.Contains(lastKey);
        var eventHead = Lexicon.EventHeads.Contains(lastKey) || (Lexicon.EventLeads.Contains(firstKey) && hasOf);
        // "RV Albatros Nord", "MS Vestrand Star": a ship, not a person.
        var vessel = words >= 2 && tokens[firstWord].Is(TokenShape.AllCaps) && Lexicon.VesselPrefixes.Contains(firstKey);
        var anyHead = organizationHead || locationHead || workHead || eventHead || vessel;
        ref var scores = ref candidate.Scores;
        if (vessel)
        {
            scores.Add(EntityTypes.Other, 4);
        }

        if (Lexicon.Countries.Contains(key) || Lexicon.UsStates.Contains(key) || Lexicon.Places.Contains(key))
        {
            scores.Add(EntityTypes.Location, 4);
        }

        if (organizationHead)
        {
            scores.Add(EntityTypes.Organization, legalForm ? 4 : lastKey is "international" or "global" or "worldwide" or "group" ? 1.5f : 3);
        }

        if (locationHead)
        {
            scores.Add(EntityTypes.Location, 3);
        }

        if (Lexicon.LocationLeads.Contains(firstKey) && words >= 2)
        {
            scores.Add(EntityTypes.Location, 2);
        }

        if (workHead)
        {
            scores.Add(EntityTypes.Work, 3);
        }

        if (eventHead)
        {
            scores.Add(EntityTypes.Other, 3);
        }

        if (!anyHead)
        {
            if (Lexicon.GivenNames.Contains(firstKey) && words is >= 2 and <= 4)
            {
                scores.Add(EntityTypes.Person, 3);
            }
            else if (words == 1 && Lexicon.GivenNames.Contains(firstKey))
            {
                scores.Add(EntityTypes.Person, 1);
            }

            if (initials && words >= 2 && !tokens[lastWord].Is(TokenShape.Initial | TokenShape.Dotted))
            {
                scores.Add(EntityTypes.Person, 3);
            }

            if (innerParticle)
            {
                scores.Add(EntityTypes.Person, 1.5f);
            }

            if (words is 2 or 3 && !allCaps && PlainNameWords(candidate))
            {
                // Two or three plain capitalised words with no institutional head are most often a person.
                scores.Add(EntityTypes.Person, 1f);
            }
        }

        if (words == 1 && allCaps && key.Length >= 2)
        {
            scores.Add(EntityTypes.Organization, 1);
        }
    }

    /// <summary>Only capitalised words (and name particles), none of them a place, nationality or common word.</summary>
    private bool PlainNameWords(Candidate candidate)
    {
        for (var i = candidate.TokenStart; i < candidate.TokenEnd; i++)
        {
            var token = tokens[i];
            if (token.Kind != TokenKind.Word)
            {
                if (token.Kind == TokenKind.Punctuation && Tokenizer.IsHyphen(text[token.Start]))
                {
                    continue;
                }

                return false;
            }

            var key = token.Key;
            if (!token.IsNameShaped)
            {
                if (Lexicon.Particles.Contains(key))
                {
                    continue;
                }

                return false;
            }

            if (token.Is(TokenShape.AllCaps | TokenShape.HasDigit) || Lexicon.CategoryNouns.ContainsKey(key)
                || Lexicon.CommonWords.Contains(key) || Lexicon.Demonyms.Contains(key) || Lexicon.Countries.Contains(key)
                || Lexicon.Weekdays.Contains(key) || Lexicon.Months.Contains(key)
                || Lexicon.UsStates.Contains(key) || Lexicon.Places.Contains(key) || Lexicon.FunctionWords.Contains(key))
            {
                return false;
            }
        }

        return true;
    }

    private void ScoreContext(Candidate candidate)
    {
        var (sentenceStart, sentenceEnd) = document.SentenceTokens[candidate.Sentence];
        ref var scores = ref candidate.Scores;
        var p1 = candidate.TokenStart - 1;
        if (p1 >= sentenceStart && tokens[p1].Kind == TokenKind.Word && tokens[p1].Is(TokenShape.Lower))
        {
            var k1 = tokens[p1].Key;
            var k2 = p1 - 1 >= sentenceStart && tokens[p1 - 1].Kind == TokenKind.Word ? tokens[p1 - 1].Key : string.Empty;
            if (Lexicon.CategoryNouns.TryGetValue(k1, out var category))
            {
                // "the 1994 film X", "psychologist Carl Rogers", "the American company X".
                scores.Add(category, 3);
            }
            else if (k1 is "in" or "at" or "of" or "to" && k2 is "born" or "died" or "located" or "based" or "situated" or "raised"
                or "capital" or "native" or "moved" or "city" or "town" or "village" or "county" or "state" or "province" or "headquartered"
                or "lives" or "lived" or "grew" or "island" or "isle")
            {
                scores.Add(EntityTypes.Location, 2);
            }
            else if (k1 is "founded" or "cofounded" or "found" or "joined" or "join" or "acquired" or "acquire" or "bought" or "buy" or "purchased")
            {
                // "founded Nautilux Sensing", "to join Tidewater Robotics": what one founds, joins or buys is an organisation.
                scores.Add(EntityTypes.Organization, 2);
            }
            else if (k1 == "of" && Lexicon.OrganizationRoles.Contains(k2))
            {
                // "the chief engineer of Tidewater Robotics", "a co-founder of X".
                scores.Add(EntityTypes.Organization, 2);
            }
            else if (k1 is "in" or "near" or "from")
            {
                scores.Add(EntityTypes.Location, 0.7f);
            }
            else if (k1 == "by")
            {
                // "founded in 2020 by X": the participle may stand before a date or place.
                k2 = ParticipleBefore(p1, sentenceStart) ?? k2;
                if (k2 is "directed" or "written" or "composed" or "painted" or "performed" or "sung" or "narrated" or "illustrated" or "authored" or "founded" or "created" or "invented" or "designed")
                {
                    scores.Add(EntityTypes.Person, 1.5f);
                }
                else if (k2 is "published" or "owned" or "acquired" or "operated" or "distributed" or "manufactured" or "released" or "sponsored"
                    or "made" or "built" or "funded")
                {
                    scores.Add(EntityTypes.Organization, 1.5f);
                }
            }
            else if (k1 is "married" or "starring" or "featuring" or "actor" or "actress")
            {
                scores.Add(EntityTypes.Person, 2);
            }
        }

        var n = candidate.TokenEnd;
        if (p1 >= sentenceStart && tokens[p1].Key == "the" && n < sentenceEnd && tokens[n].Kind == TokenKind.Word && tokens[n].Is(TokenShape.Lower)
            && Lexicon.CategoryNouns.TryGetValue(tokens[n].Key, out var classifier))
        {
            // "the Kessriner Werft shipyard", "the Hudson river": a noun after the name says what it is.
            scores.Add(classifier, 2);
        }

        if (ItsFollows(n, sentenceEnd))
        {
            // "Tidewater Robotics shows its first vehicle": what "its" refers back to is not a person.
            scores.Add(EntityTypes.Organization, 1.5f);
        }

        if (n < sentenceEnd && tokens[n].Kind == TokenKind.Possessive)
        {
            n++;
        }

        if (n < sentenceEnd && document.IsPunctuation(n, '('))
        {
            // "X ( born 30 July 1970 )", "X (1900 – 1980)".
            var close = n + 1;
            var born = false;
            while (close < sentenceEnd && close - n < 30 && !document.IsPunctuation(close, ')'))
            {
                born |= tokens[close].Key is "born" or "nee" or "died";
                close++;
            }

            if (born && close - n <= 12)
            {
                scores.Add(EntityTypes.Person, 4);
            }

            n = close < sentenceEnd ? close + 1 : close;
        }

        if (n + 1 < sentenceEnd && document.IsPunctuation(n, ',') && tokens[n + 1].IsNameShaped
            && (Lexicon.Countries.Contains(tokens[n + 1].Key) || Lexicon.UsStates.Contains(tokens[n + 1].Key)))
        {
            // "Aberlow, Scotland", "Columbus, Ohio": a place in its country or state.
            scores.Add(EntityTypes.Location, 2);
        }

        if (n < sentenceEnd && document.IsPunctuation(n, ','))
        {
            // Apposition: "X, an American actor, …".
            if (n + 1 < sentenceEnd && tokens[n + 1].Key is "a" or "an" or "the" && CategoryAfter(n + 1, sentenceEnd) is { } apposition)
            {
                scores.Add(apposition, 2);
            }

            return;
        }

        if (n < sentenceEnd && tokens[n].Key is "is" or "was" or "are" or "were")
        {
            if (n + 1 < sentenceEnd && tokens[n + 1].Key == "born")
            {
                scores.Add(EntityTypes.Person, 4);
            }
            else if (n + 1 < sentenceEnd && tokens[n + 1].Key == "headquartered")
            {
                scores.Add(EntityTypes.Organization, 2);
            }
            else if (CategoryAfter(n, sentenceEnd) is { } category)
            {
                // "X is a 1994 film": strong for the subject of the sentence, weaker elsewhere.
                var subject = candidate.TokenStart == document.FirstWord(candidate.Sentence)
                    || (candidate.TokenStart > sentenceStart && document.FirstWord(candidate.Sentence) == candidate.TokenStart - 1 && tokens[candidate.TokenStart - 1].Key == "the");
                scores.Add(category, subject ? 3 : 1.5f);
            }
        }
    }

    /// <summary>The participle before "by" at <paramref name="by"/>, past a date or place between them ("founded in 2020 by").</summary>
    private string? ParticipleBefore(int by, int sentenceStart)
    {
        for (var k = by - 1; k >= sentenceStart && k >= by - 5; k--)
        {
            var token = tokens[k];
            if (token.Kind == TokenKind.Number || (token.Kind == TokenKind.Punctuation && text[token.Start] == ',')
                || (token.Kind == TokenKind.Word && (token.Key is "in" or "on" or "at" or "during" || Lexicon.Months.Contains(token.Key))))
            {
                continue;
            }

            return token.Kind == TokenKind.Word && token.Is(TokenShape.Lower) && k < by - 1 ? token.Key : null;
        }

        return null;
    }

    /// <summary>"its" among the next three words, with no punctuation or other name before it.</summary>
    private bool ItsFollows(int from, int end)
    {
        for (var k = from; k < end && k < from + 4; k++)
        {
            var token = tokens[k];
            if (token.Kind != TokenKind.Word || !token.Is(TokenShape.Lower))
            {
                return false;
            }

            if (token.Key == "its")
            {
                return k > from;
            }
        }

        return false;
    }

    /// <summary>The category of the first noun phrase after a copula or article: "is an English film director" → Person.</summary>
    private string? CategoryAfter(int from, int end)
    {
        for (var k = from + 1; k < end && k <= from + 9; k++)
        {
            var token = tokens[k];
            if (token.Kind == TokenKind.Punctuation)
            {
                if (Tokenizer.IsHyphen(text[token.Start]))
                {
                    continue;
                }

                return null;
            }

            if (token.Kind != TokenKind.Word || !token.Is(TokenShape.Lower))
            {
                continue;
            }

            if (Lexicon.CategoryNouns.TryGetValue(token.Key, out var category))
            {
                // The head of a compound is its last noun: "film director", "rock band", "ocean-data company".
                for (var j = k + 1; j < end && j <= k + 4; j++)
                {
                    var next = tokens[j];
                    if (next.Kind == TokenKind.Punctuation && Tokenizer.IsHyphen(text[next.Start]))
                    {
                        continue;
                    }

                    if (next.Kind != TokenKind.Word || !next.Is(TokenShape.Lower) || Lexicon.FunctionWords.Contains(next.Key))
                    {
                        break;
                    }

                    if (Lexicon.CategoryNouns.TryGetValue(next.Key, out var head))
                    {
                        category = head;
                    }
                }

                return category;
            }

            if (token.Key is "of" or "in" or "by" or "from" or "who" or "which" or "that" or "and" or "with" or "for")
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Places named inside longer names become mentions of their own, overlapping the container: "Ellis Island" in
    /// "Ellis Island Immigration Museum", "New Jersey" in "New Jersey Nets", "California" in "University of California".
    /// </summary>
    private List<Candidate> FindNestedPlaces(IReadOnlyList<Candidate> candidates)
    {
        var nested = new List<Candidate>();
        for (var c = 0; c < candidates.Count; c++)
        {
            var container = candidates[c];
            // People are not containers ("Virginia Woolf" does not mention Virginia), nor are places that are
            // themselves known or merely directional ("West Virginia", "Middle Atlantic", "Southern United States").
            if (container.Kind is not (CandidateKind.Name or CandidateKind.Title) || container.TokenEnd - container.TokenStart < 2
                || container.Scores.Best() == EntityTypes.Person
                || Lexicon.Countries.Contains(container.Key) || Lexicon.UsStates.Contains(container.Key) || Lexicon.Places.Contains(container.Key)
                || tokens[container.TokenStart].Key is "north" or "south" or "east" or "west" or "northern" or "southern" or "eastern"
                    or "western" or "central" or "middle" or "upper" or "lower" or "greater" or "midwestern" or "northeastern"
                    or "northwestern" or "southeastern" or "southwestern")
            {
                continue;
            }

            var added = false;

            // A run of capitalised words that ends like a place: "Ellis Island | Immigration Museum", "New York City | Ballet".
            for (var k = container.TokenEnd - 2; k > container.TokenStart && !added; k--)
            {
                if (tokens[k].Kind == TokenKind.Word && tokens[k].IsNameShaped && Lexicon.LocationHeads.Contains(tokens[k].Key)
                    && tokens[k + 1].IsNameShaped)
                {
                    var first = k;
                    while (first > container.TokenStart && tokens[first - 1].Kind == TokenKind.Word && tokens[first - 1].IsNameShaped)
                    {
                        first--;
                    }

                    // Oceans are few and known: "Baltic Ocean Research Institute" names no "Baltic Ocean".
                    if (first < k && (!Lexicon.ClosedPlaceHeads.Contains(tokens[k].Key)))
                    {
                        added = AddNested(nested, container, first, k + 1);
                    }
                }
            }

            // A known place inside: "New Jersey Nets", "University of California"; not "George Washington University".
            for (var w = container.TokenStart; w < container.TokenEnd && !added; w++)
            {
                if (!tokens[w].IsNameShaped || (w > container.TokenStart && Lexicon.GivenNames.Contains(tokens[w - 1].Key)))
                {
                    continue;
                }

                for (var length = Math.Min(3, container.TokenEnd - w); length >= 1 && !added; length--)
                {
                    var stop = w + length;
                    if ((w == container.TokenStart && stop == container.TokenEnd) || !tokens[stop - 1].IsNameShaped)
                    {
                        continue;
                    }

                    var key = KeyOfTokens(w, stop);
                    if (Lexicon.Countries.Contains(key) || Lexicon.UsStates.Contains(key) || Lexicon.Places.Contains(key))
                    {
                        added = AddNested(nested, container, w, stop);
                    }
                }
            }
        }

        return nested;
    }

    private bool AddNested(List<Candidate> found, Candidate container, int start, int stop)
    {
        var nested = new Candidate
        {
            Start = tokens[start].Start,
            End = tokens[stop - 1].End,
            TokenStart = start,
            TokenEnd = stop,
            Sentence = container.Sentence,
            Kind = CandidateKind.Name,
            Nested = true,
        };
        nested.Key = Graph.EntityKey.Normalize(document.Slice(nested.Start, nested.End));
        if (nested.Key.Length == 0 || nested.Key == container.Key)
        {
            return false;
        }

        nested.Scores.Add(EntityTypes.Location, 4);
        found.Add(nested);
        return true;
    }

    private string KeyOfTokens(int start, int stop)
    {
        if (stop - start == 1)
        {
            return tokens[start].Key;
        }

        var parts = new List<string>(stop - start);
        for (var i = start; i < stop; i++)
        {
            if (tokens[i].Kind is TokenKind.Word or TokenKind.Number && tokens[i].Key.Length > 0)
            {
                parts.Add(tokens[i].Key);
            }
        }

        return string.Join(' ', parts);
    }
}
