using System.Collections.Immutable;
using System.Globalization;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>
/// Candidates for dates and quantities, each with a canonical name: "12 March 1930" is 1930-03-12 (and mentions the
/// year 1930 too), "1980s", "19th century", "800 BC", "5 million people", "45%", "US$2.5 billion".
/// </summary>
internal sealed class DateQuantityCandidates(TokenizedDocument document, CandidateCollector found)
{
    private readonly ImmutableArray<Token> tokens = document.Tokens;
    private readonly string text = document.Text;

    public void Find(int sentence)
    {
        var (start, end) = document.SentenceTokens[sentence];
        for (var i = start; i < end; i++)
        {
            if (found.IsCovered(i))
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
        if (m - 1 >= start && !found.IsCovered(m - 1) && DayValue(m - 1) is var before and > 0)
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

            if (k < end && document.IsPunctuation(k, ','))
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

        var candidate = found.Add(first, stop, sentence, CandidateKind.Date);
        candidate.FixedType = EntityTypes.Date;
        if (year > 0)
        {
            // "12 March 1930" also mentions the year 1930, which is how questions ("in 1930") and other documents say it.
            var yearToken = stop - 1;
            found.AddInside(new Candidate
            {
                Start = tokens[yearToken].Start,
                End = tokens[yearToken].End,
                TokenStart = yearToken,
                TokenEnd = yearToken + 1,
                Sentence = sentence,
                Kind = CandidateKind.Date,
                FixedType = EntityTypes.Date,
                CanonicalName = document.Slice(tokens[yearToken].Start, tokens[yearToken].End),
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
        if (found.IsCovered(i))
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
        if (found.IsCovered(i) || token.Kind != TokenKind.Number || token.Length != 4)
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
            var decade = found.Add(i, i + 1, sentence, CandidateKind.Date);
            decade.FixedType = EntityTypes.Date;
            decade.CanonicalName = key;
            return i + 1;
        }

        // Centuries: "19th century".
        if (key.Length is >= 3 and <= 4 && char.IsAsciiDigit(key[0]) && (key.EndsWith("th", StringComparison.Ordinal)
            || key.EndsWith("st", StringComparison.Ordinal) || key.EndsWith("nd", StringComparison.Ordinal) || key.EndsWith("rd", StringComparison.Ordinal))
            && i + 1 < end && !found.IsCovered(i + 1) && tokens[i + 1].Key is "century" or "centuries")
        {
            var century = found.Add(i, i + 2, sentence, CandidateKind.Date);
            century.FixedType = EntityTypes.Date;
            century.CanonicalName = key + " century";
            return i + 2;
        }

        return i;
    }

    private int TryNumber(int i, int start, int end, int sentence)
    {
        var token = tokens[i];

        // "HX-7 hydrophones", "F-16 jets": a number joined by a hyphen to a capitalised word is part of a model's name.
        if (i - 2 >= start && tokens[i - 1].Kind == TokenKind.Punctuation && Tokenizer.IsHyphen(text[tokens[i - 1].Start])
            && !token.Is(TokenShape.SpaceBefore) && !tokens[i - 1].Is(TokenShape.SpaceBefore)
            && tokens[i - 2].Kind == TokenKind.Word && (tokens[i - 2].Is(TokenShape.AllCaps) || tokens[i - 2].Is(TokenShape.Capitalized)))
        {
            return i;
        }

        var year = YearValue(i);
        var hasSeparator = text.AsSpan(token.Start, token.Length).IndexOfAny(',', '.') >= 0;
        var next = i + 1 < end && !found.IsCovered(i + 1) ? i + 1 : -1;
        var nextKey = next >= 0 && tokens[next].Kind == TokenKind.Word ? tokens[next].Key : string.Empty;

        // "800 BC", "AD 800".
        if (!hasSeparator && token.Length <= 4 && nextKey is "bc" or "bce" or "ad" or "ce" && tokens[next].Is(TokenShape.AllCaps))
        {
            return AddDate(i, i + 2, sentence, document.Slice(token.Start, tokens[next].End));
        }

        if (!hasSeparator && token.Length <= 4 && i - 1 >= start && !found.IsCovered(i - 1) && tokens[i - 1].Key == "ad" && tokens[i - 1].Is(TokenShape.AllCaps))
        {
            return AddDate(i - 1, i + 1, sentence, document.Slice(tokens[i - 1].Start, token.End));
        }

        var stop = i + 1;
        var scaled = false;
        if (Lexicon.ScaleWords.Contains(nextKey))
        {
            scaled = true;
            stop = next + 1;
        }

        if (stop < end && !found.IsCovered(stop))
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
            return AddDate(i, i + 1, sentence, document.Slice(token.Start, token.End));
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
        if (number >= end || found.IsCovered(number) || tokens[number].Kind != TokenKind.Number)
        {
            return i;
        }

        var first = i;
        var prefix = string.Empty;
        if (i - 1 >= start && !found.IsCovered(i - 1) && tokens[i - 1].Kind == TokenKind.Word && tokens[i - 1].Is(TokenShape.AllCaps | TokenShape.Capitalized)
            && tokens[i - 1].End == tokens[i].Start && tokens[i - 1].Key is "us" or "a" or "c" or "nz" or "hk" or "r" or "s")
        {
            first = i - 1;
            prefix = tokens[i - 1].Key;
        }

        var stop = number + 1;
        if (stop < end && !found.IsCovered(stop) && Lexicon.ScaleWords.Contains(tokens[stop].Key))
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

        var amount = document.Slice(tokens[number].Start, tokens[stop - 1].End);
        return AddQuantity(first, stop, sentence, code + " " + amount);
    }

    private int AddDate(int start, int stop, int sentence, string name)
    {
        var candidate = found.Add(start, stop, sentence, CandidateKind.Date);
        candidate.FixedType = EntityTypes.Date;
        candidate.CanonicalName = name;
        return stop;
    }

    private int AddQuantity(int start, int stop, int sentence, string? name)
    {
        var candidate = found.Add(start, stop, sentence, CandidateKind.Quantity);
        candidate.FixedType = EntityTypes.Quantity;
        candidate.CanonicalName = name;
        return stop;
    }
}
