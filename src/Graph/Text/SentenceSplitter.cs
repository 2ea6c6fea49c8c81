using System.Collections.Frozen;

namespace GraphRag.Graph.Text;

/// <summary>A sentence as offsets into the text it was split from; <c>End</c> is exclusive and excludes trailing space.</summary>
public readonly record struct SentenceSpan(int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>
/// Rule-based sentence boundaries: terminal punctuation followed by space and a capital, digit or opening quote, a
/// line break, except after known abbreviations and single initials ("G. Stanley Hall", "Dr. Smith", "U.S. Army").
/// </summary>
public static class SentenceSplitter
{
    private static readonly FrozenSet<string> Abbreviations = new[]
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "lt", "col", "gen", "capt", "sgt", "rev", "hon",
        "inc", "ltd", "co", "corp", "llc", "plc", "bros", "dept", "univ", "assn", "est", "approx", "no", "nos", "vol",
        "vols", "pp", "ed", "eds", "fig", "al", "vs", "etc", "cf", "ca", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
        "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "u.s", "u.k", "u.n", "d.c", "a.m", "p.m", "op", "ave", "blvd",
        "rd", "hwy", "govt", "pres", "gov", "sen", "rep", "fr", "mme", "mlle", "messrs",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Words no sentence ends with: a line that ends in one is wrapped, whatever the next line starts with.</summary>
    private static readonly FrozenSet<string> JoiningWords = new[]
    {
        "and", "or", "nor", "but", "of", "the", "a", "an", "by", "to", "in", "on", "at", "for", "with", "from", "into", "as",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Splits <paramref name="text"/> into sentences; blank space between sentences belongs to none.</summary>
    public static IReadOnlyList<SentenceSpan> Split(string text) => Split(text, 0, text?.Length ?? 0);

    /// <summary>Splits <c>text[start..end]</c>; offsets in the result index <paramref name="text"/>.</summary>
    public static IReadOnlyList<SentenceSpan> Split(string text, int start, int end)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = new List<SentenceSpan>();
        var sentenceStart = SkipSpace(text, start, end);
        var i = sentenceStart;
        while (i < end)
        {
            var c = text[i];
            if (c == '\n' && !IsWrappedLine(text, i, end))
            {
                Add(sentences, text, sentenceStart, i);
                sentenceStart = SkipSpace(text, i + 1, end);
                i = sentenceStart;
                continue;
            }

            if (c is '.' or '!' or '?' or '\u2026')
            {
                var boundary = i + 1;
                // Closing quotes and brackets after the terminal belong to the sentence.
                while (boundary < end && text[boundary] is '"' or '\'' or ')' or ']' or '\u201D' or '\u2019' or '.' or '!' or '?')
                {
                    boundary++;
                }

                if (boundary < end && text[boundary] is ' ' or '\t' && IsSentenceStart(text, boundary, end)
                    && !(c == '.' && IsAbbreviation(text, sentenceStart, i)))
                {
                    Add(sentences, text, sentenceStart, boundary);
                    sentenceStart = SkipSpace(text, boundary, end);
                    i = sentenceStart;
                    continue;
                }

                i = boundary;
                continue;
            }

            i++;
        }

        Add(sentences, text, sentenceStart, end);
        return sentences;
    }

    /// <summary>
    /// A single line break inside a sentence, as hard-wrapped text and PDF lines have it: the line before does not end
    /// a sentence and the next line continues in lower case.
    /// </summary>
    private static bool IsWrappedLine(string text, int newline, int end)
    {
        var next = newline + 1;
        if (next >= end || char.IsWhiteSpace(text[next]))
        {
            return false;
        }

        var previous = newline - 1;
        while (previous >= 0 && text[previous] is ' ' or '\t')
        {
            previous--;
        }

        if (!char.IsLower(text[next]))
        {
            // "written by Henrike Wollmann and\nJ. R. Okafor": a line that ends in a word no sentence ends with goes on.
            return previous >= 0 && EndsWithJoiningWord(text, previous + 1);
        }

        return previous >= 0 && char.IsLetterOrDigit(text[previous]) || (previous >= 0 && text[previous] is ',' or ';' or '-');
    }

    /// <summary>The word before <paramref name="end"/> is one a sentence cannot end with: "and", "of", "the", "by", ….</summary>
    private static bool EndsWithJoiningWord(string text, int end)
    {
        var start = end;
        while (start > 0 && char.IsLetter(text[start - 1]))
        {
            start--;
        }

        return end - start is > 0 and <= 4 && (start == 0 || char.IsWhiteSpace(text[start - 1]))
            && JoiningWords.Contains(text[start..end]);
    }

    private static bool IsSentenceStart(string text, int position, int end)
    {
        var next = SkipSpace(text, position, end);
        if (next >= end)
        {
            return false;
        }

        var c = text[next];
        return char.IsUpper(c) || char.IsDigit(c) || c is '"' or '\'' or '(' or '[' or '\u201C' or '\u2018';
    }

    private static bool IsAbbreviation(string text, int sentenceStart, int dot)
    {
        var wordStart = dot;
        while (wordStart > sentenceStart && (char.IsLetter(text[wordStart - 1]) || text[wordStart - 1] == '.'))
        {
            wordStart--;
        }

        var word = text.AsSpan(wordStart, dot - wordStart);
        if (word.Length == 0)
        {
            return false;
        }

        // A single capital is an initial ("G. Stanley Hall"); dotted acronyms ("U.S.") are handled below.
        if (word.Length == 1 && char.IsUpper(word[0]))
        {
            return true;
        }

        if (word.Contains('.'))
        {
            var parts = word.ToString().Split('.', StringSplitOptions.RemoveEmptyEntries);
            if (parts.All(p => p.Length == 1))
            {
                return true;
            }
        }

        return Abbreviations.Contains(word.ToString());
    }

    private static int SkipSpace(string text, int position, int end)
    {
        while (position < end && char.IsWhiteSpace(text[position]))
        {
            position++;
        }

        return position;
    }

    private static void Add(List<SentenceSpan> sentences, string text, int start, int end)
    {
        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (end > start)
        {
            sentences.Add(new SentenceSpan(start, end));
        }
    }
}
