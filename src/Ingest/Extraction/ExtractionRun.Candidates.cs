using System.Globalization;
using System.Text.RegularExpressions;
using GraphRag.Graph;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

internal sealed partial class ExtractionRun
{
    private void FindProfileMatches()
    {
        var gazetteer = extractor.Gazetteer;
        if (!gazetteer.IsEmpty)
        {
            for (var s = 0; s < sentenceTokens.Length; s++)
            {
                var (start, end) = sentenceTokens[s];
                for (var i = start; i < end; i++)
                {
                    var token = tokens[i];
                    if (covered[i] || token.Kind is not (TokenKind.Word or TokenKind.Number)
                        || !gazetteer.ByFirstKey.TryGetValue(token.Key, out var entries))
                    {
                        continue;
                    }

                    foreach (var entry in entries)
                    {
                        if (!MatchKeys(entry.Keys, i, end, allowComma: false, out var stop)
                            || (!entry.CaseInsensitive && !SameLetters(tokens[i].Start, tokens[stop - 1].End, entry.Surface)))
                        {
                            continue;
                        }

                        var candidate = AddCandidate(i, stop, s, CandidateKind.Profile);
                        candidate.FixedType = entry.Type;
                        if (entry.CanonicalName is not null)
                        {
                            candidate.CanonicalName = entry.CanonicalName;
                            candidate.Resolution = string.Equals(entry.CanonicalKey, Graph.EntityKey.Normalize(entry.Surface), StringComparison.Ordinal)
                                ? "exact"
                                : "alias:synonym";
                        }
                        else
                        {
                            // A gazetteer phrase names its entity as the profile writes it, in every document.
                            candidate.CanonicalName = entry.Surface;
                        }

                        i = stop - 1;
                        break;
                    }
                }
            }
        }

        var profile = extractor.Profile;
        if (profile is null)
        {
            return;
        }

        foreach (var pattern in profile.TypePatterns)
        {
            try
            {
                foreach (var match in pattern.Regex.EnumerateMatches(text))
                {
                    AddPatternMatch(pattern.Type, match.Index, match.Index + match.Length);
                }
            }
            catch (RegexMatchTimeoutException ex)
            {
                throw new GraphRagException(
                    $"Domain profile '{profile.Name}' pattern '{pattern.Pattern}' for type {pattern.Type} exceeded its "
                    + $"{DomainProfile.Describe(profile.RegexTimeout)} time limit on document {document.Id}.",
                    ex);
            }
        }
    }

    private void AddPatternMatch(string type, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (end <= start)
        {
            return;
        }

        // Snap to the tokens the match touches so coverage stays token-based; the mention keeps the exact match.
        var first = LowerBoundToken(start);
        var last = first;
        while (last < tokens.Count && tokens[last].Start < end)
        {
            last++;
        }

        if (first >= last || AnyCovered(first, last) || Graph.EntityKey.Normalize(text[start..end]).Length == 0)
        {
            return;
        }

        var sentence = SentenceOfToken(first);
        if (sentence < 0 || last > sentenceTokens[sentence].End)
        {
            return;
        }

        var candidate = AddCandidate(first, last, sentence, CandidateKind.Profile);
        candidate.Start = start;
        candidate.End = end;
        candidate.FixedType = type;
    }

    private int LowerBoundToken(int position)
    {
        int lo = 0, hi = tokens.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (tokens[mid].End <= position)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private int SentenceOfToken(int token)
    {
        int lo = 0, hi = sentenceTokens.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var (start, end) = sentenceTokens[mid];
            if (token < start)
            {
                hi = mid - 1;
            }
            else if (token >= end)
            {
                lo = mid + 1;
            }
            else
            {
                return mid;
            }
        }

        return -1;
    }

    private bool SameLetters(int start, int end, string surface)
    {
        var k = 0;
        for (var i = start; i < end; i++)
        {
            if (!char.IsLetterOrDigit(text[i]))
            {
                continue;
            }

            while (k < surface.Length && !char.IsLetterOrDigit(surface[k]))
            {
                k++;
            }

            if (k >= surface.Length || surface[k] != text[i])
            {
                return false;
            }

            k++;
        }

        while (k < surface.Length && !char.IsLetterOrDigit(surface[k]))
        {
            k++;
        }

        return k == surface.Length;
    }

    // ---- The document title ----

    private void FindTitle()
    {
        var raw = document.Title?.Trim();
        if (!options.TitleEntities || string.IsNullOrEmpty(raw))
        {
            return;
        }

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
                var qualifier = Graph.EntityKey.Normalize(raw[(comma + 1)..]);
                if (Lexicon.UsStates.Contains(qualifier) || Lexicon.Countries.Contains(qualifier) || Lexicon.Places.Contains(qualifier))
                {
                    // "Johnnycake, West Virginia": the place is "Johnnycake", located in the qualifier.
                    head = raw[..comma].Trim();
                    hint = EntityTypes.Location;
                }
            }
        }

        var key = Graph.EntityKey.Normalize(head);
        if (key.Length == 0)
        {
            return;
        }

        var keys = key.Split(' ');
        var info = new TitleInfo(head, key, hint);

        // A one-word title that is also a function word ("It") only counts where it is capitalised mid-sentence.
        var strict = keys.Length == 1 && (Lexicon.FunctionWords.Contains(key) || Lexicon.Months.Contains(key));
        var found = false;
        for (var s = 0; s < sentenceTokens.Length; s++)
        {
            var (start, end) = sentenceTokens[s];
            for (var i = start; i < end; i++)
            {
                if (!string.Equals(tokens[i].Key, keys[0], StringComparison.Ordinal) || covered[i]
                    || (strict && (!tokens[i].IsNameShaped || i == FirstWordIndex(start, end)))
                    || !MatchKeys(keys, i, end, allowComma: true, out var stop)
                    || ContinuesName(stop, end))
                {
                    continue;
                }

                // "The Prestige": a capitalised article before the match belongs to the name as written.
                var from = i > start && !covered[i - 1] && tokens[i - 1].Key == "the" && tokens[i - 1].Is(TokenShape.Capitalized) ? i - 1 : i;
                AddTitleCandidate(from, stop, s, info);
                found = true;
                i = stop - 1;
            }
        }

        if (!found && keys.Length is >= 2 and <= 4)
        {
            found = FindTitleWithMiddleNames(keys, info);
        }

        if (!found && keys.Length is >= 2 and <= 4 && LooksLikePersonName(keys, hint))
        {
            found = FindTitleBySurname(keys, info);
        }

        if (found)
        {
            title = info;
        }
    }

    /// <summary>
    /// True when a match is only the start of a longer capitalised name ("Nolan" inside "Nolan Bushnell" is fine, but
    /// a title "New York" should not claim "New York Times").
    /// </summary>
    private bool ContinuesName(int stop, int end)
    {
        if (stop >= end || !tokens[stop].IsNameShaped || tokens[stop - 1].Kind != TokenKind.Word || !tokens[stop - 1].IsNameShaped)
        {
            return false;
        }

        var key = tokens[stop].Key;
        return Lexicon.OrganizationHeads.Contains(key) || Lexicon.WorkHeads.Contains(key) || Lexicon.LocationHeads.Contains(key);
    }

    /// <summary>"Christopher Nolan" as "Christopher Edward Nolan": first and last name with up to two names between.</summary>
    private bool FindTitleWithMiddleNames(string[] keys, TitleInfo info)
    {
        var found = false;
        for (var s = 0; s < sentenceTokens.Length; s++)
        {
            var (start, end) = sentenceTokens[s];
            for (var i = start; i < end; i++)
            {
                if (covered[i] || !tokens[i].IsNameShaped || !string.Equals(tokens[i].Key, keys[0], StringComparison.Ordinal))
                {
                    continue;
                }

                // Walk name-shaped tokens; the inner title keys must appear in order, the last one last.
                var k = 1;
                var j = i + 1;
                var extra = 0;
                var expanded = false;
                while (j < end && !covered[j] && k < keys.Length && extra <= 2)
                {
                    if (IsPunctuation(j, '-') && !tokens[j].Is(TokenShape.SpaceBefore) && j + 1 < end && tokens[j + 1].IsNameShaped)
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
                    found = true;
                    i = j - 1;
                }
            }
        }

        return found;
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
    private bool FindTitleBySurname(string[] keys, TitleInfo info)
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

                if (!covered[i])
                {
                    occurrences.Add((i, s));
                }
            }
        }

        foreach (var (token, sentence) in occurrences)
        {
            AddTitleCandidate(token, token + 1, sentence, info);
            candidates[^1].Resolution = "alias:surname";
            candidates[^1].Scores.Add(EntityTypes.Person, 3);
        }

        return occurrences.Count > 0;
    }

    private void AddTitleCandidate(int start, int stop, int sentence, TitleInfo info)
    {
        var candidate = AddCandidate(start, stop, sentence, CandidateKind.Title);
        candidate.CanonicalName = info.Name;
        candidate.Resolution = "title";
        if (info.TypeHint is not null)
        {
            candidate.Scores.Add(info.TypeHint, 6);
        }
    }

    private static string? TypeFromHint(string hint)
    {
        var words = Graph.EntityKey.Normalize(hint).Split(' ', StringSplitOptions.RemoveEmptyEntries);
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

    // ---- Quoted titles of works ----

    private void FindQuotedWorks(int sentence)
    {
        var (start, end) = sentenceTokens[sentence];
        var open = -1;
        var openChar = '\0';
        for (var i = start; i < end; i++)
        {
            var token = tokens[i];
            if (token.Kind != TokenKind.Punctuation)
            {
                continue;
            }

            var c = text[token.Start];
            var isPair = token.Length == 2;
            if (open < 0)
            {
                if (c == '\u201C' || (c == '`' && isPair) || (c == '"' && !isPair))
                {
                    open = i;
                    openChar = c;
                }
            }
            else
            {
                var closes = openChar switch
                {
                    '\u201C' => c == '\u201D',
                    '`' => c == '\'' && isPair,
                    _ => c == '"' && !isPair,
                };
                if (closes)
                {
                    TryQuotedWork(open + 1, i, sentence);
                    open = -1;
                }
            }
        }
    }

    private void TryQuotedWork(int start, int end, int sentence)
    {
        // Trailing punctuation inside the quotes ("Adolescence in 1904.") is not part of the title.
        while (end > start && tokens[end - 1].Kind == TokenKind.Punctuation && CharAt(end - 1) is '.' or ',' or '!' or '?' or ';' or ':')
        {
            end--;
        }

        if (end <= start || tokens[start].Kind is not (TokenKind.Word or TokenKind.Number) || AnyCovered(start, end))
        {
            return;
        }

        var words = 0;
        var content = 0;
        var capitalised = 0;
        for (var i = start; i < end; i++)
        {
            var token = tokens[i];
            if (token.Kind is TokenKind.Word or TokenKind.Number)
            {
                words++;
                if (token.Kind == TokenKind.Word && (Lexicon.Connectors.Contains(token.Key) || Lexicon.FunctionWords.Contains(token.Key)) && !token.IsNameShaped)
                {
                    continue;
                }

                content++;
                if (token.IsNameShaped || token.Kind == TokenKind.Number)
                {
                    capitalised++;
                }
            }
        }

        var firstShaped = tokens[start].IsNameShaped || tokens[start].Kind == TokenKind.Number;
        if (words is 0 or > 12 || !firstShaped || capitalised * 10 < content * 6)
        {
            return;
        }

        // A nickname inside a name (Nicholas Lofton "Nick" Hexum) is not a work.
        if (words == 1 && start >= 2 && tokens[start - 2].IsNameShaped && end + 1 < tokens.Count && tokens[end + 1].IsNameShaped)
        {
            return;
        }

        var candidate = AddCandidate(start, end, sentence, CandidateKind.Quoted);
        candidate.Scores.Add(EntityTypes.Work, 3);
    }

    // ---- Dates and quantities ----

    private void FindDatesAndQuantities(int sentence)
    {
        var (start, end) = sentenceTokens[sentence];
        for (var i = start; i < end; i++)
        {
            if (covered[i])
            {
                continue;
            }

            var token = tokens[i];
            var stop = token.Kind switch
            {
                TokenKind.Word when token.IsNameShaped && Lexicon.Months.Contains(token.Key) => TryMonthDate(i, start, end, sentence),
                TokenKind.Word when token.Is(TokenShape.HasDigit) => TryDigitWord(i, end, sentence),
                TokenKind.Number => TryNumber(i, start, end, sentence),
                TokenKind.Currency => TryMoney(i, start, end, sentence),
                _ => i,
            };
            if (stop > i + 1)
            {
                i = stop - 1;
            }
        }
    }

    private int TryMonthDate(int m, int start, int end, int sentence)
    {
        var month = MonthNumber(tokens[m].Key);
        if (month == 0)
        {
            return m;
        }

        var first = m;
        var stop = m + 1;
        var day = 0;
        var year = 0;
        if (m - 1 >= start && !covered[m - 1] && DayValue(m - 1) is var before and > 0)
        {
            day = before;
            first = m - 1;
        }

        var k = m + 1;
        if (day == 0 && k < end && DayValue(k) is var after and > 0)
        {
            day = after;
            k++;
            stop = k;

            // A range of days: "March 21–22, 1932" is dated by its first day.
            if (k + 1 < end && tokens[k].Kind == TokenKind.Punctuation && Tokenizer.IsHyphen(text[tokens[k].Start]) && DayValue(k + 1) > 0)
            {
                k += 2;
                stop = k;
            }

            if (k < end && IsPunctuation(k, ','))
            {
                k++;
            }
        }

        if (k < end && YearValue(k) is var y and > 0)
        {
            year = y;
            stop = k + 1;
        }

        if (day == 0 && year == 0)
        {
            return m;
        }

        var candidate = AddCandidate(first, stop, sentence, CandidateKind.Date);
        candidate.FixedType = EntityTypes.Date;
        if (year > 0)
        {
            // "12 March 1930" also mentions the year 1930, which is how questions ("in 1930") and other documents say it.
            var yearToken = stop - 1;
            candidates.Add(new Candidate
            {
                Start = tokens[yearToken].Start,
                End = tokens[yearToken].End,
                TokenStart = yearToken,
                TokenEnd = yearToken + 1,
                Sentence = sentence,
                Kind = CandidateKind.Date,
                FixedType = EntityTypes.Date,
                CanonicalName = Slice(tokens[yearToken].Start, tokens[yearToken].End),
            });
        }

        var monthName = MonthNames[month - 1];
        candidate.CanonicalName = (day, year) switch
        {
            ( > 0, > 0) => string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}-{day:D2}"),
            (0, > 0) => string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{monthName} {day}"),
        };
        return stop;
    }

    private static readonly string[] MonthNames =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static int MonthNumber(string key) => key switch
    {
        "january" or "jan" => 1,
        "february" or "feb" => 2,
        "march" or "mar" => 3,
        "april" or "apr" => 4,
        "may" => 5,
        "june" or "jun" => 6,
        "july" or "jul" => 7,
        "august" or "aug" => 8,
        "september" or "sep" or "sept" => 9,
        "october" or "oct" => 10,
        "november" or "nov" => 11,
        "december" or "dec" => 12,
        _ => 0,
    };

    private int DayValue(int i)
    {
        var token = tokens[i];
        if (covered[i])
        {
            return 0;
        }

        // "12" or the ordinal "12th".
        if ((token.Kind == TokenKind.Number && token.Length <= 2)
            || (token.Kind == TokenKind.Word && token.Is(TokenShape.HasDigit) && token.Key.Length is 3 or 4
                && (token.Key.EndsWith("th", StringComparison.Ordinal) || token.Key.EndsWith("st", StringComparison.Ordinal)
                    || token.Key.EndsWith("nd", StringComparison.Ordinal) || token.Key.EndsWith("rd", StringComparison.Ordinal))))
        {
            var digits = token.Key.AsSpan().TrimEnd("stndrh");
            if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 31)
            {
                return value;
            }
        }

        return 0;
    }

    private int YearValue(int i)
    {
        var token = tokens[i];
        if (covered[i] || token.Kind != TokenKind.Number || token.Length != 4)
        {
            return 0;
        }

        return int.TryParse(text.AsSpan(token.Start, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            && value is >= 1000 and <= 2100 ? value : 0;
    }

    private int TryDigitWord(int i, int end, int sentence)
    {
        var key = tokens[i].Key;

        // Decades: "1980s".
        if (key.Length == 5 && key[4] == 's' && key[3] == '0' && char.IsAsciiDigit(key[0]) && char.IsAsciiDigit(key[1]) && char.IsAsciiDigit(key[2]))
        {
            var decade = AddCandidate(i, i + 1, sentence, CandidateKind.Date);
            decade.FixedType = EntityTypes.Date;
            decade.CanonicalName = key;
            return i + 1;
        }

        // Centuries: "19th century".
        if (key.Length is >= 3 and <= 4 && char.IsAsciiDigit(key[0]) && (key.EndsWith("th", StringComparison.Ordinal)
            || key.EndsWith("st", StringComparison.Ordinal) || key.EndsWith("nd", StringComparison.Ordinal) || key.EndsWith("rd", StringComparison.Ordinal))
            && i + 1 < end && !covered[i + 1] && tokens[i + 1].Key is "century" or "centuries")
        {
            var century = AddCandidate(i, i + 2, sentence, CandidateKind.Date);
            century.FixedType = EntityTypes.Date;
            century.CanonicalName = key + " century";
            return i + 2;
        }

        return i;
    }

    private int TryNumber(int i, int start, int end, int sentence)
    {
        var token = tokens[i];
        var year = YearValue(i);
        var hasSeparator = text.AsSpan(token.Start, token.Length).IndexOfAny(',', '.') >= 0;
        var next = i + 1 < end && !covered[i + 1] ? i + 1 : -1;
        var nextKey = next >= 0 && tokens[next].Kind == TokenKind.Word ? tokens[next].Key : string.Empty;

        // "800 BC", "AD 800".
        if (!hasSeparator && token.Length <= 4 && nextKey is "bc" or "bce" or "ad" or "ce" && tokens[next].Is(TokenShape.AllCaps))
        {
            return AddDate(i, i + 2, sentence, Slice(token.Start, tokens[next].End));
        }

        if (!hasSeparator && token.Length <= 4 && i - 1 >= start && !covered[i - 1] && tokens[i - 1].Key == "ad" && tokens[i - 1].Is(TokenShape.AllCaps))
        {
            return AddDate(i - 1, i + 1, sentence, Slice(tokens[i - 1].Start, token.End));
        }

        var stop = i + 1;
        var scaled = false;
        if (Lexicon.ScaleWords.Contains(nextKey))
        {
            scaled = true;
            stop = next + 1;
        }

        if (stop < end && !covered[stop])
        {
            var unit = tokens[stop];
            var unitKey = unit.Kind == TokenKind.Word ? unit.Key : string.Empty;
            if (unit.Kind == TokenKind.Punctuation && text[unit.Start] == '%' && !unit.Is(TokenShape.SpaceBefore))
            {
                return AddQuantity(i, stop + 1, sentence, null);
            }

            if (unitKey == "per" && stop + 1 < end && tokens[stop + 1].Key == "cent")
            {
                return AddQuantity(i, stop + 2, sentence, null);
            }

            if (unit.Kind == TokenKind.Word && unit.Is(TokenShape.Lower)
                && (Lexicon.CurrencyWords.Contains(unitKey) || Lexicon.Units.Contains(unitKey)
                    || ((year == 0 || scaled) && IsPluralNoun(unitKey))))
            {
                return AddQuantity(i, stop + 1, sentence, null);
            }
        }

        if (scaled)
        {
            return AddQuantity(i, stop, sentence, null);
        }

        if (year > 0)
        {
            return AddDate(i, i + 1, sentence, Slice(token.Start, token.End));
        }

        if (hasSeparator)
        {
            return AddQuantity(i, i + 1, sentence, null);
        }

        return i;
    }

    private static bool IsPluralNoun(string key) =>
        key.Length >= 4 && key[^1] == 's' && key[^2] != 's' && !key.EndsWith("ous", StringComparison.Ordinal)
        && !Lexicon.FunctionWords.Contains(key) && !Lexicon.Connectors.Contains(key);

    private int TryMoney(int i, int start, int end, int sentence)
    {
        var number = i + 1;
        if (number >= end || covered[number] || tokens[number].Kind != TokenKind.Number)
        {
            return i;
        }

        var first = i;
        var prefix = string.Empty;
        if (i - 1 >= start && !covered[i - 1] && tokens[i - 1].Kind == TokenKind.Word && tokens[i - 1].Is(TokenShape.AllCaps | TokenShape.Capitalized)
            && tokens[i - 1].End == tokens[i].Start && tokens[i - 1].Key is "us" or "a" or "c" or "nz" or "hk" or "r" or "s")
        {
            first = i - 1;
            prefix = tokens[i - 1].Key;
        }

        var stop = number + 1;
        if (stop < end && !covered[stop] && Lexicon.ScaleWords.Contains(tokens[stop].Key))
        {
            stop++;
        }

        var code = (prefix, text[tokens[i].Start]) switch
        {
            ("a", '$') => "AUD",
            ("c", '$') => "CAD",
            ("nz", '$') => "NZD",
            ("hk", '$') => "HKD",
            ("s", '$') => "SGD",
            (_, '$') => "USD",
            (_, '€') => "EUR",
            (_, '£') => "GBP",
            (_, '¥') => "JPY",
            (_, '₹') => "INR",
            (_, '₩') => "KRW",
            (_, '₽') => "RUB",
            _ => "XXX",
        };

        var amount = Slice(tokens[number].Start, tokens[stop - 1].End);
        return AddQuantity(first, stop, sentence, code + " " + amount);
    }

    private int AddDate(int start, int stop, int sentence, string name)
    {
        var candidate = AddCandidate(start, stop, sentence, CandidateKind.Date);
        candidate.FixedType = EntityTypes.Date;
        candidate.CanonicalName = name;
        return stop;
    }

    private int AddQuantity(int start, int stop, int sentence, string? name)
    {
        var candidate = AddCandidate(start, stop, sentence, CandidateKind.Quantity);
        candidate.FixedType = EntityTypes.Quantity;
        candidate.CanonicalName = name;
        return stop;
    }
}
