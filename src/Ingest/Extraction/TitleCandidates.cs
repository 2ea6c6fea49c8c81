using System.Collections.Immutable;
using GraphRag.Graph;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>
/// Candidates for the document title where the text names it: as written, with middle names the title leaves out, or
/// by surname alone in a biography. A disambiguator ("Brand (play)", "Johnnycake, West Virginia") becomes a type hint.
/// </summary>
internal sealed class TitleCandidates(TokenizedDocument document, CandidateCollector found)
{
    private readonly ImmutableArray<Token> tokens = document.Tokens;
    private readonly ImmutableArray<(int Start, int End)> sentenceTokens = document.SentenceTokens;

    /// <summary>Adds the title's candidates; returns the title when the text mentions it, else null.</summary>
    public TitleInfo? Find()
    {
        var raw = document.Title?.Trim();
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        raw = SubjectOfTitle(raw);
        var head = raw;
        string? hint = null;
        var paren = raw.LastIndexOf(" (", StringComparison.Ordinal);
        if (raw.EndsWith(')') && paren > 0)
        {
            // "Brand (play)": the disambiguator says what the entity is but is not part of its name.
            head = raw[..paren].Trim();
            hint = TypeFromHint(raw[(paren + 2)..^1]);
        }
        else
        {
            var comma = raw.LastIndexOf(", ", StringComparison.Ordinal);
            if (comma > 0)
            {
                var qualifier = EntityKey.Normalize(raw[(comma + 1)..]);
                if (Lexicon.UsStates.Contains(qualifier) || Lexicon.Countries.Contains(qualifier) || Lexicon.Places.Contains(qualifier))
                {
                    // "Johnnycake, West Virginia": the place is "Johnnycake", located in the qualifier.
                    head = raw[..comma].Trim();
                    hint = EntityTypes.Location;
                }
            }
        }

        var key = EntityKey.Normalize(head);
        if (key.Length == 0)
        {
            return null;
        }

        var keys = key.Split(' ');
        var info = new TitleInfo(head, key, hint);
        var anchored = false;
        foreach (var (from, stop, sentence) in Anchor(keys))
        {
            AddTitleCandidate(from, stop, sentence, info);
            anchored = true;
        }

        if (!anchored && keys.Length is >= 2 and <= 4)
        {
            anchored = FindWithMiddleNames(keys, info);
        }

        if (!anchored && keys.Length is >= 2 and <= 4 && LooksLikePersonName(keys, hint))
        {
            anchored = FindBySurname(keys, info);
        }

        return anchored ? info : null;
    }

    /// <summary>
    /// Where the text names the title: each match's tokens (with a capitalised "The" before it and a legal form after
    /// it) and sentence, in document order. Matches never overlap.
    /// </summary>
    private List<(int From, int Stop, int Sentence)> Anchor(string[] keys)
    {
        // A one-word title that is also a function word ("It") only counts where it is capitalised mid-sentence.
        var strict = keys.Length == 1 && (Lexicon.FunctionWords.Contains(keys[0]) || Lexicon.Months.Contains(keys[0]));
        var matches = new List<(int, int, int)>();
        for (var s = 0; s < sentenceTokens.Length; s++)
        {
            var (start, end) = sentenceTokens[s];
            for (var i = start; i < end; i++)
            {
                if (!string.Equals(tokens[i].Key, keys[0], StringComparison.Ordinal) || found.IsCovered(i)
                    || (strict && (!tokens[i].IsNameShaped || i == document.FirstWord(s)))
                    || !found.MatchKeys(keys, i, end, allowComma: true, out var stop)
                    || ContinuesName(stop, end))
                {
                    continue;
                }

                // "Corriente Analytics S.L.": the legal form belongs to the mention, not to the key.
                if (stop < end && !found.IsCovered(stop))
                {
                    stop = document.AfterLegalForm(stop, end);
                }

                // "The Prestige": a capitalised article before the match belongs to the name as written.
                var from = i > start && !found.IsCovered(i - 1) && tokens[i - 1].Key == "the" && tokens[i - 1].Is(TokenShape.Capitalized) ? i - 1 : i;
                matches.Add((from, stop, s));
                i = stop - 1;
            }
        }

        return matches;
    }

    /// <summary>
    /// "Baltic Ocean Research Institute: Annual Review 2022", "Nautilux Sensing B.V. – Company profile": a title made of
    /// a name and what the page is about it names the name. The whole title stays when the text uses it as a name — in a
    /// sentence of its own body, not only as the heading — and when what follows the separator reads as a title itself
    /// ("Atlantis: The Lost Empire"), unless the heading is all the text has of it.
    /// </summary>
    private string SubjectOfTitle(string title)
    {
        var cut = -1;
        var width = 0;
        foreach (var separator in TitleSeparators)
        {
            var at = title.IndexOf(separator, StringComparison.Ordinal);
            if (at > 0 && (cut < 0 || at < cut))
            {
                cut = at;
                width = separator.Length;
            }
        }

        if (cut < 0)
        {
            return title;
        }

        var head = StripHonorifics(title[..cut].Trim());
        var tail = title[(cut + width)..].Trim();
        var headKeys = EntityKey.Normalize(head).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var fullKeys = EntityKey.Normalize(title).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (headKeys.Length == 0 || tail.Length == 0 || fullKeys.Length == 0)
        {
            return title;
        }

        var full = Anchor(fullKeys);
        if (full.Count == 0)
        {
            // Not in the text as a whole: the head is the subject when the rest describes the page ("Company profile").
            return DescribesPage(tail) ? head : title;
        }

        // In the text only as its own heading line: the head is the subject when the body names it.
        foreach (var (from, stop, sentence) in full)
        {
            if (!IsWholeSentence(from, stop, sentence))
            {
                return title;
            }
        }

        return Anchor(headKeys).Exists(m => !full.Exists(f => f.Sentence == m.Sentence)) ? head : title;
    }

    private static readonly string[] TitleSeparators = [": ", " \u2013 ", " \u2014 ", " - ", " | "];

    /// <summary>Words after a title's separator that describe the page rather than name a work: some are lower case.</summary>
    private static bool DescribesPage(string tail)
    {
        foreach (var word in tail.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (char.IsLower(word[0]) && !Lexicon.FunctionWords.Contains(word) && !Lexicon.Connectors.Contains(word))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsWholeSentence(int from, int stop, int sentence)
    {
        var (start, end) = sentenceTokens[sentence];
        if (from != start)
        {
            return false;
        }

        for (var k = stop; k < end; k++)
        {
            if (tokens[k].Kind != TokenKind.Punctuation)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>"Prof. Dr. Henrike Wollmann" names Henrike Wollmann.</summary>
    private static string StripHonorifics(string name)
    {
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var lead = 0;
        while (lead < words.Length - 1 && Lexicon.Honorifics.Contains(EntityKey.Normalize(words[lead])))
        {
            lead++;
        }

        return string.Join(' ', words[lead..]);
    }

    /// <summary>
    /// True when a match is only the start of a longer capitalised name ("Nolan" inside "Nolan Bushnell" is fine, but
    /// a title "New York" should not claim "New York Times", nor "Brennsund" the "Brennsund Technical University").
    /// </summary>
    private bool ContinuesName(int stop, int end)
    {
        if (stop >= end || !tokens[stop].IsNameShaped || tokens[stop - 1].Kind != TokenKind.Word || !tokens[stop - 1].IsNameShaped
            || Lexicon.IsLegalForm(tokens[stop]))
        {
            return false;
        }

        // "Brennsund Technical University", "Kessrin Film Festival": the capitalised run after the match ends a longer name.
        for (var k = stop; k < end && k < stop + 4 && tokens[k].IsNameShaped; k++)
        {
            var key = tokens[k].Key;
            if (Lexicon.OrganizationHeads.Contains(key) || Lexicon.WorkHeads.Contains(key) || Lexicon.LocationHeads.Contains(key)
                || Lexicon.EventHeads.Contains(key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"Christopher Nolan" as "Christopher Edward Nolan": first and last name with up to two names between.</summary>
    private bool FindWithMiddleNames(string[] keys, TitleInfo info)
    {
        var anchored = false;
        for (var s = 0; s < sentenceTokens.Length; s++)
        {
            var (start, end) = sentenceTokens[s];
            for (var i = start; i < end; i++)
            {
                if (found.IsCovered(i) || !tokens[i].IsNameShaped || !string.Equals(tokens[i].Key, keys[0], StringComparison.Ordinal))
                {
                    continue;
                }

                // Walk name-shaped tokens; the inner title keys must appear in order, the last one last.
                var k = 1;
                var j = i + 1;
                var extra = 0;
                var expanded = false;
                while (j < end && !found.IsCovered(j) && k < keys.Length && extra <= 2)
                {
                    if (document.IsPunctuation(j, '-') && !tokens[j].Is(TokenShape.SpaceBefore) && j + 1 < end && tokens[j + 1].IsNameShaped)
                    {
                        // "Kerry-Anne Saxby-Junna" for "Kerry Saxby-Junna".
                        j++;
                        continue;
                    }

                    if (!tokens[j].IsNameShaped)
                    {
                        break;
                    }

                    if (string.Equals(tokens[j].Key, keys[k], StringComparison.Ordinal))
                    {
                        k++;
                    }
                    else if (keys[k].Length == 1 && tokens[j].Key.Length > 1 && tokens[j].Key[0] == keys[k][0])
                    {
                        // "Hyman Bernard Samuels" for "Hyman B. Samuels".
                        k++;
                        expanded = true;
                    }
                    else
                    {
                        extra++;
                    }

                    j++;
                }

                if (k == keys.Length && (extra is > 0 and <= 2 || expanded) && !(j < end && tokens[j].IsNameShaped))
                {
                    AddTitleCandidate(i, j, s, info);
                    anchored = true;
                    i = j - 1;
                }
            }
        }

        return anchored;
    }

    private static bool LooksLikePersonName(string[] keys, string? hint)
    {
        if (hint is not null && hint != EntityTypes.Person)
        {
            return false;
        }

        foreach (var key in keys)
        {
            if (Lexicon.OrganizationHeads.Contains(key) || Lexicon.LocationHeads.Contains(key) || Lexicon.WorkHeads.Contains(key)
                || Lexicon.EventHeads.Contains(key) || Lexicon.CommonWords.Contains(key) || Lexicon.FunctionWords.Contains(key)
                || key.Any(char.IsDigit))
            {
                return false;
            }
        }

        return hint == EntityTypes.Person || Lexicon.GivenNames.Contains(keys[0]);
    }

    /// <summary>
    /// A biography that names its subject only by surname ("Hayek earned doctorates …" under "Friedrich Hayek") still
    /// mentions the title person — unless another full name in the document ends with the same surname.
    /// </summary>
    private bool FindBySurname(string[] keys, TitleInfo info)
    {
        var surname = keys[^1] is "ii" or "iii" or "jr" or "sr" && keys.Length > 2 ? keys[^2] : keys[^1];
        var occurrences = new List<(int Token, int Sentence)>();
        for (var s = 0; s < sentenceTokens.Length; s++)
        {
            var (start, end) = sentenceTokens[s];
            for (var i = start; i < end; i++)
            {
                if (!tokens[i].IsNameShaped || !string.Equals(tokens[i].Key, surname, StringComparison.Ordinal))
                {
                    continue;
                }

                var partOfLongerName = (i > start && tokens[i - 1].IsNameShaped) || (i + 1 < end && tokens[i + 1].IsNameShaped)
                    || (i > start + 1 && tokens[i - 1].Is(TokenShape.Lower) && Lexicon.Particles.Contains(tokens[i - 1].Key));
                if (partOfLongerName)
                {
                    return false;
                }

                if (!found.IsCovered(i))
                {
                    occurrences.Add((i, s));
                }
            }
        }

        foreach (var (token, sentence) in occurrences)
        {
            var candidate = AddTitleCandidate(token, token + 1, sentence, info);
            candidate.Resolution = "alias:surname";
            candidate.Scores.Add(EntityTypes.Person, 3);
        }

        return occurrences.Count > 0;
    }

    private Candidate AddTitleCandidate(int start, int stop, int sentence, TitleInfo info)
    {
        var candidate = found.Add(start, stop, sentence, CandidateKind.Title);
        candidate.CanonicalName = info.Name;
        candidate.Resolution = "title";
        if (info.TypeHint is not null)
        {
            candidate.Scores.Add(info.TypeHint, 6);
        }

        return candidate;
    }

    private static string? TypeFromHint(string hint)
    {
        var words = EntityKey.Normalize(hint).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = words.Length - 1; i >= 0; i--)
        {
            if (Lexicon.CategoryNouns.TryGetValue(words[i], out var type))
            {
                return type;
            }
        }

        var key = string.Join(' ', words);
        return Lexicon.UsStates.Contains(key) || Lexicon.Countries.Contains(key) || Lexicon.Places.Contains(key)
            ? EntityTypes.Location
            : null;
    }
}
