using System.Collections.Immutable;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>
/// Candidates for names from capitalisation and shape, the last finder to run: a run of capitalised words with the
/// connectors, particles, numbers and punctuation that may stand inside a name ("Bank of the West", "van Gogh",
/// "Apollo 11", "St. Louis"), less a leading title or nationality ("British Prime Minister Theresa May").
/// </summary>
internal sealed class NameCandidates(TokenizedDocument document, CandidateCollector found, int maxNameTokens)
{
    private readonly ImmutableArray<Token> tokens = document.Tokens;
    private readonly string text = document.Text;

    public void Find(int sentence)
    {
        var (start, end) = document.SentenceTokens[sentence];
        var first = document.FirstWord(sentence);
        var i = start;
        while (i < end)
        {
            if (found.IsCovered(i) || !IsNameStart(i, first, end))
            {
                i++;
                continue;
            }

            var stop = ExtendName(i, end);
            AddName(i, stop, sentence, first, end);
            i = Math.Max(stop, i + 1);
        }
    }

    private bool IsNameStart(int i, int first, int end)
    {
        var token = tokens[i];
        if (token.Kind != TokenKind.Word)
        {
            return false;
        }

        if (token.IsNameShaped)
        {
            // The pronoun "I" (but "Albert I" is reached through ExtendName).
            if (token.Key == "i" && !token.Is(TokenShape.Initial))
            {
                return false;
            }

            return i != first || IsNameAtSentenceStart(i, end);
        }

        // "van Gogh", "de Gaulle", "van der Berg": particles open a name when a capitalised word follows.
        if (token.Is(TokenShape.Lower) && Lexicon.Particles.Contains(token.Key) && (i == 0 || !tokens[i - 1].IsNameShaped))
        {
            var k = i + 1;
            if (k < end && tokens[k].Kind == TokenKind.Word && Lexicon.Particles.Contains(tokens[k].Key) && tokens[k].Is(TokenShape.Lower))
            {
                k++;
            }

            return k < end && !found.IsCovered(k) && tokens[k].IsNameShaped && !Lexicon.FunctionWords.Contains(tokens[k].Key)
                && tokens[k].Is(TokenShape.Capitalized);
        }

        return false;
    }

    /// <summary>
    /// A capitalised first word of a sentence is a name unless it is a function word, or a common word: one the
    /// document also writes in lower case, a built-in common word, or an adverb.
    /// </summary>
    private bool IsNameAtSentenceStart(int i, int end)
    {
        var token = tokens[i];
        var key = token.Key;
        if (token.Is(TokenShape.Initial | TokenShape.Dotted) || (token.Is(TokenShape.AllCaps) && key.Length >= 2 && !Lexicon.FunctionWords.Contains(key)))
        {
            return true;
        }

        if (Lexicon.FunctionWords.Contains(key))
        {
            return false;
        }

        if (Lexicon.Particles.Contains(key) && token.Is(TokenShape.Capitalized))
        {
            // "Van der Berg left …", "De la Vega joined …": a surname's particles, capitalised by the sentence.
            var k = i + 1;
            while (k < end && tokens[k].Kind == TokenKind.Word && tokens[k].Is(TokenShape.Lower) && Lexicon.Particles.Contains(tokens[k].Key))
            {
                k++;
            }

            if (k < end && !found.IsCovered(k) && tokens[k].Is(TokenShape.Capitalized) && !Lexicon.FunctionWords.Contains(tokens[k].Key)
                && (k > i + 1 || tokens[k - 1].Is(TokenShape.SpaceAfter)))
            {
                return true;
            }
        }

        if (Lexicon.GivenNames.Contains(key) || Lexicon.Countries.Contains(key) || Lexicon.UsStates.Contains(key) || Lexicon.Places.Contains(key))
        {
            return true;
        }

        if (IsHeadingWord(i, end))
        {
            // "Ownership", "Highlights", "Page 2": a heading line names something only when the text names it elsewhere.
            return document.MidSentenceNames.Contains(key);
        }

        // "Bank of America reported …", "Battle of Hastings was …": a head word opening an "X of Y" name.
        if (Lexicon.HeadsOf.Contains(key) && i + 2 < end && tokens[i + 1].Key is "of" or "for" or "on"
            && (tokens[i + 2].IsNameShaped || (tokens[i + 2].Key == "the" && i + 3 < end && tokens[i + 3].IsNameShaped)))
        {
            return true;
        }

        var common = Lexicon.CommonWords.Contains(key) || document.LowerWords.Contains(key);
        var followedByName = i + 1 < end && tokens[i + 1].IsNameShaped;
        if (followedByName)
        {
            return !common && !(key.Length > 4 && (key.EndsWith("ing", StringComparison.Ordinal) || key.EndsWith("ly", StringComparison.Ordinal)));
        }

        if (document.MidSentenceNames.Contains(key))
        {
            return true;
        }

        if (common || Lexicon.Demonyms.Contains(key))
        {
            return false;
        }

        // Adverbs, participles and gerunds open sentences ("Featuring the DC Comics character …").
        return !(key.Length > 4 && (key.EndsWith("ly", StringComparison.Ordinal) || key.EndsWith("ing", StringComparison.Ordinal)
            || key.EndsWith("ed", StringComparison.Ordinal)));
    }

    /// <summary>The only word of its line or sentence, give or take numbers and punctuation: a heading.</summary>
    private bool IsHeadingWord(int i, int end)
    {
        var sentence = document.SentenceOfToken(i);
        var start = sentence < 0 ? i : document.SentenceTokens[sentence].Start;
        for (var k = start; k < end; k++)
        {
            if (k != i && tokens[k].Kind == TokenKind.Word)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Extends a name from its first token; returns the exclusive end token.</summary>
    private int ExtendName(int i, int end)
    {
        var last = i;
        var words = 1;
        var hasOf = false;
        var j = i + 1;

        // "Professor Li Yujie of Henan University" is a person of an institution, not one name; "Duke of Wellington" is.
        var honorificThenName = false;
        var leadingHonorific = tokens[i].IsNameShaped && Lexicon.Honorifics.Contains(tokens[i].Key);

        // A leading particle run ("van der") is walked like connectors.
        while (j < end && tokens[i].Is(TokenShape.Lower) && tokens[j].Is(TokenShape.Lower) && Lexicon.Particles.Contains(tokens[j].Key))
        {
            j++;
        }

        if (tokens[i].Is(TokenShape.Lower))
        {
            last = j;
            j++;
        }

        while (j < end && words < maxNameTokens && !found.IsCovered(j))
        {
            var token = tokens[j];

            // A legal form ends the name ("Grauwal Maritime GmbH of Kessrin" is the company in a place), after its period ("Inc.").
            if (Lexicon.IsLegalForm(tokens[last]) && last > i && !(j == last + 1 && document.IsPunctuation(j, '.') && !token.Is(TokenShape.SpaceBefore)))
            {
                break;
            }

            if (token.Kind == TokenKind.Word && token.Is(TokenShape.Lower) && j == last + 1 && Lexicon.IsLegalForm(token) && tokens[last].IsNameShaped)
            {
                // "Seaborne Systems Group plc".
                last = j;
                break;
            }

            if (token.IsNameShaped)
            {
                // "Vice President of the United States Dick Cheney": a given name after an "of" name starts a person.
                if (hasOf && Lexicon.GivenNames.Contains(token.Key) && tokens[j - 1].IsNameShaped && !Lexicon.Honorifics.Contains(tokens[j - 1].Key))
                {
                    break;
                }

                honorificThenName |= leadingHonorific && !Lexicon.Honorifics.Contains(token.Key) && token.Kind == TokenKind.Word;
                last = j;
                words++;
                j++;
                continue;
            }

            if (token.Kind == TokenKind.Number)
            {
                // "Apollo 11", "Boeing B - 29": short numbers continue a name, years and measures do not.
                if (token.Length <= 3 && !text.AsSpan(token.Start, token.Length).ContainsAny(',', '.')
                    && tokens[j - 1].IsNameShaped && !Lexicon.Months.Contains(tokens[j - 1].Key)
                    && !(j + 1 < end && tokens[j + 1].Kind == TokenKind.Word && tokens[j + 1].Is(TokenShape.Lower)))
                {
                    last = j;
                    j++;
                    continue;
                }

                break;
            }

            if (token.Kind == TokenKind.Possessive && !token.Is(TokenShape.SpaceBefore) && j + 1 < end && !found.IsCovered(j + 1) && tokens[j + 1].IsNameShaped)
            {
                // "Men's Studies Press", "Women's World Cup" — but not "Microsoft's Bill Gates": the part after the
                // possessive must end like an institution, place, work or event.
                var stop = ExtendName(j + 1, end);
                if (HasHead(j + 1, stop))
                {
                    return stop;
                }

                break;
            }

            if (token.Kind == TokenKind.Punctuation && token.Length == 1)
            {
                var c = text[token.Start];
                if (c == '.' && !token.Is(TokenShape.SpaceBefore) && Lexicon.NameAbbreviations.Contains(tokens[j - 1].Key) && tokens[j - 1].IsNameShaped)
                {
                    // "St. Louis" goes on; "Apple Inc." and "Martin Luther King Jr." end there, even when no sentence
                    // break follows ("Atari, Inc. The game …").
                    last = j;
                    if (tokens[j - 1].Key is "inc" or "ltd" or "co" or "corp" or "jr" or "sr" or "bros" or "llc" or "plc")
                    {
                        break;
                    }

                    j++;
                    continue;
                }

                var next = j + 1 < end && !found.IsCovered(j + 1) ? j + 1 : -1;
                if (next < 0)
                {
                    break;
                }

                var following = tokens[next];
                if (Tokenizer.IsHyphen(c))
                {
                    var unspaced = !token.Is(TokenShape.SpaceBefore) && !token.Is(TokenShape.SpaceAfter);
                    var previous = tokens[j - 1];
                    if (following.IsNameShaped && (unspaced || previous.IsNameShaped))
                    {
                        j = next;
                        continue;
                    }

                    if (unspaced && following.Kind == TokenKind.Word && following.Is(TokenShape.Lower)
                        && next + 1 < end && !found.IsCovered(next + 1) && tokens[next + 1].IsNameShaped)
                    {
                        // "Latter-day Saints".
                        last = next;
                        j = next + 1;
                        continue;
                    }

                    if (following.Kind == TokenKind.Number && following.Length <= 4
                        && (unspaced || (previous.Kind == TokenKind.Word && previous.Is(TokenShape.AllCaps | TokenShape.Initial)) || previous.Length == 1))
                    {
                        // "B-29", "KAGH-FM" is handled above; "F - 16".
                        last = next;
                        j = next + 1;
                        continue;
                    }

                    break;
                }

                if (c == '&' && following.IsNameShaped)
                {
                    j = next;
                    continue;
                }

                if (c == ',' && following.IsNameShaped && following.Key is "jr" or "sr" or "inc" or "ltd" or "llc" or "plc")
                {
                    last = next;
                    j = next + 1;
                    continue;
                }

                if (c == ',' && hasOf && Lexicon.OrganizationLeads.Contains(tokens[i].Key) && tokens[i].Key is "university" or "college" or "institute"
                    && following.IsNameShaped && following.Is(TokenShape.Capitalized)
                    && !(next + 1 < end && (tokens[next + 1].IsNameShaped
                        || (tokens[next + 1].Kind == TokenKind.Word && tokens[next + 1].Is(TokenShape.Lower) && tokens[next + 1].Key is not ("and" or "in" or "or")))))
                {
                    // "University of California, Berkeley".
                    last = next;
                    j = next + 1;
                    break;
                }

                if (Tokenizer.IsApostrophe(c) && !token.Is(TokenShape.SpaceBefore) && token.Is(TokenShape.SpaceAfter)
                    && tokens[j - 1].Key.EndsWith('s') && following.IsNameShaped)
                {
                    // "World Drivers' Championship".
                    j = next;
                    continue;
                }

                break;
            }

            if (token.Kind == TokenKind.Word && token.Is(TokenShape.Lower))
            {
                // Up to three lower-case connectors between capitalised words: "Bank of the West", "Lucía de la Vega".
                var k = j;
                var hasAnd = false;
                var connectorOf = false;
                var englishOf = false;
                while (k < end && k - j < 3 && tokens[k].Kind == TokenKind.Word && tokens[k].Is(TokenShape.Lower) && Lexicon.Connectors.Contains(tokens[k].Key))
                {
                    hasAnd |= tokens[k].Key is "and";
                    connectorOf |= tokens[k].Key is "of" or "de" or "for";
                    englishOf |= tokens[k].Key is "of" or "for" or "on";
                    k++;
                }

                if (k == j || k >= end || found.IsCovered(k) || !tokens[k].IsNameShaped || Lexicon.FunctionWords.Contains(tokens[k].Key))
                {
                    break;
                }

                // "and" joins inside "X of Y and Z" ("Department of Health and Human Services") or when the whole ends
                // like an institution ("National Aeronautics and Space Administration"); otherwise "Christopher Nolan
                // and Sathish Kalathil" are two people.
                if (hasAnd && (Lexicon.GivenNames.Contains(tokens[k].Key) || EndsWithHead(last)
                    || !(hasOf || (!Lexicon.GivenNames.Contains(tokens[i].Key) && HasHead(k, ExtendName(k, end))))))
                {
                    break;
                }

                if (connectorOf && honorificThenName)
                {
                    break;
                }

                // "University of California", "Battle of Hastings", "Catherine of Aragon" — but "the dominant
                // Anglicanism of Britain" is two names: "of" joins only after a word that heads such names.
                if (englishOf && !hasOf && !Lexicon.HeadsOf.Contains(tokens[last].Key) && !Lexicon.GivenNames.Contains(tokens[last].Key))
                {
                    break;
                }

                hasOf |= connectorOf;
                j = k;
                continue;
            }

            break;
        }

        return last + 1;
    }

    private void AddName(int start, int stop, int sentence, int first, int end)
    {
        // Drop trailing connectors or hyphens the walk may have left (it should not, but spans must end on a word).
        while (stop > start && !(tokens[stop - 1].Kind is TokenKind.Word or TokenKind.Number) && !document.IsPunctuation(stop - 1, '.'))
        {
            stop--;
        }

        if (stop <= start)
        {
            return;
        }

        var personCue = false;

        // "In November BORI published …": a month after a date's preposition is not part of the name that follows.
        if (stop - start >= 2 && start > 0 && Lexicon.Months.Contains(tokens[start].Key) && tokens[start + 1].IsNameShaped
            && tokens[start - 1].Key is "in" or "on" or "since" or "until" or "by" or "during" or "from" or "last" or "next")
        {
            start++;
        }

        // "British Prime Minister Theresa May" → "Theresa May", a person; "General Motors" stays.
        var lead = start;
        var sawHonorific = false;
        while (lead < stop - 1 && tokens[lead].IsNameShaped
            && (Lexicon.Honorifics.Contains(tokens[lead].Key) || Lexicon.Demonyms.Contains(tokens[lead].Key))
            && !(tokens[lead].Is(TokenShape.AllCaps) && Lexicon.VesselPrefixes.Contains(tokens[lead].Key)))
        {
            sawHonorific |= Lexicon.Honorifics.Contains(tokens[lead].Key);
            personCue |= Lexicon.PersonHonorifics.Contains(tokens[lead].Key);
            lead++;
            if (lead < stop && document.IsPunctuation(lead, '.'))
            {
                lead++;
            }
        }

        if (sawHonorific && lead < stop && tokens[lead].IsNameShaped && !Lexicon.Honorifics.Contains(tokens[lead].Key)
            && !HasHead(lead, stop) && !(tokens[lead].Is(TokenShape.Lower)))
        {
            start = lead;
        }
        else
        {
            personCue = false;
        }

        var wordCount = 0;
        var allWeak = true;
        for (var k = start; k < stop; k++)
        {
            var token = tokens[k];
            if (token.Kind != TokenKind.Word || !token.IsNameShaped)
            {
                continue;
            }

            wordCount++;
            var key = token.Key;
            allWeak &= Lexicon.Demonyms.Contains(key) || Lexicon.Honorifics.Contains(key) || Lexicon.FunctionWords.Contains(key)
                || Lexicon.Months.Contains(key) || Lexicon.Weekdays.Contains(key);
        }

        // A lone letter or initial ("C", "D.") names nothing by itself; a lone CJK character may.
        if (wordCount == 0 || (stop - start <= 2 && tokens[start].Key.Length == 1 && tokens[start].Key[0] < 0x80))
        {
            return;
        }

        if (allWeak)
        {
            // Nationalities are entities only as nouns ("translated into Latin"), not as adjectives ("Latin texts").
            var single = stop - start == 1 && Lexicon.Demonyms.Contains(tokens[start].Key);
            var nextIsLowerWord = stop < end && tokens[stop].Kind == TokenKind.Word && tokens[stop].Is(TokenShape.Lower) && tokens[stop].Key != "language";
            var nextIsName = stop < end && (tokens[stop].IsNameShaped || tokens[stop].Kind == TokenKind.Number);
            if (!single || nextIsLowerWord || nextIsName || Lexicon.FunctionWords.Contains(tokens[start].Key)
                || Lexicon.Honorifics.Contains(tokens[start].Key) || start == first)
            {
                return;
            }
        }

        var candidate = found.Add(start, stop, sentence, CandidateKind.Name);
        candidate.SentenceInitial = start == first;
        if (personCue)
        {
            candidate.Scores.Add(EntityTypes.Person, 4);
        }
    }

    private bool EndsWithHead(int last)
    {
        var key = tokens[last].Key;
        return Lexicon.OrganizationHeads.Contains(key) || Lexicon.LocationHeads.Contains(key) || Lexicon.WorkHeads.Contains(key)
            || Lexicon.EventHeads.Contains(key) || key is "monument" or "memorial";
    }

    private bool HasHead(int start, int stop)
    {
        var last = stop - 1;
        while (last > start && tokens[last].Kind != TokenKind.Word)
        {
            last--;
        }

        var key = tokens[last].Key;
        return Lexicon.OrganizationHeads.Contains(key) || Lexicon.LocationHeads.Contains(key) || Lexicon.WorkHeads.Contains(key)
            || Lexicon.EventHeads.Contains(key);
    }
}
