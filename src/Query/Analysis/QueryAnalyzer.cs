namespace GraphRag.Query.Analysis;

/// <summary>What the lexical channel takes from a question.</summary>
/// <param name="Terms">Lower-case content words, stop words removed, in order of first appearance.</param>
/// <param name="Phrases">Quoted phrases and runs of capitalised words ("Journal of Psychotherapy Integration").</param>
public sealed record AnalyzedQuery(string Text, IReadOnlyList<string> Terms, IReadOnlyList<string> Phrases);

/// <summary>Splits a question into terms and phrases for lexical search.</summary>
public static class QueryAnalyzer
{
    public static AnalyzedQuery Analyze(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = Words(text);
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (word, _, _) in words)
        {
            var lower = word.ToLowerInvariant();
            if (!StopWords.English.Contains(lower) && (lower.Length > 1 || char.IsDigit(lower[0])) && seen.Add(lower))
            {
                terms.Add(lower);
            }
        }

        return new AnalyzedQuery(text, terms, Phrases(text, words));
    }

    /// <summary>Words as (text, start, end): runs of letters and digits, with inner apostrophes and hyphens kept.</summary>
    public static List<(string Word, int Start, int End)> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<(string, int, int)>();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i])
                || (text[i] is '\'' or '\u2019' or '-' && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]))))
            {
                i++;
            }

            var word = text[start..i];
            // Possessive 's is not part of the word.
            if (word.EndsWith("'s", StringComparison.OrdinalIgnoreCase) || word.EndsWith("\u2019s", StringComparison.OrdinalIgnoreCase))
            {
                word = word[..^2];
            }

            // Each part's offset is where the previous part ended plus its hyphen: searching for the part's text would
            // find an earlier, equal part ("11-1", "so-so") and give overlapping spans.
            var partStart = 0;
            while (partStart < word.Length)
            {
                var hyphen = word.IndexOf('-', partStart);
                var partEnd = hyphen < 0 ? word.Length : hyphen;
                if (partEnd > partStart)
                {
                    words.Add((word[partStart..partEnd], start + partStart, start + partEnd));
                }

                partStart = partEnd + 1;
            }
        }

        return words;
    }

    private static List<string> Phrases(string text, List<(string Word, int Start, int End)> words)
    {
        var phrases = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        // Quoted phrases.
        var quote = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '"' or '\u201C' or '\u201D')
            {
                if (quote < 0)
                {
                    quote = i;
                }
                else
                {
                    var inner = text[(quote + 1)..i].Trim();
                    if (inner.Contains(' ', StringComparison.Ordinal) && seen.Add(inner))
                    {
                        phrases.Add(inner);
                    }

                    quote = -1;
                }
            }
        }

        // Runs of capitalised words, allowing lower-case connectors inside ("Journal of Mathematical Physics").
        var run = new List<(string Word, int Start, int End)>();
        for (var i = 0; i <= words.Count; i++)
        {
            var word = i < words.Count ? words[i] : default;
            var capitalised = i < words.Count && word.Word.Length > 0 && (char.IsUpper(word.Word[0]) || char.IsDigit(word.Word[0]));
            var connector = i < words.Count && run.Count > 0 && word.Word is "of" or "the" or "de" or "van" or "von" or "der" or "la" or "and" or "for" or "du" or "del";
            var adjacent = run.Count == 0 || (i < words.Count && OnlySpacesBetween(text, run[^1].End, word.Start));
            if (i < words.Count && adjacent && (capitalised || connector) && !(run.Count == 0 && IsQuestionOpener(word.Word, word.Start, text)))
            {
                run.Add(word);
                continue;
            }

            AddRun(text, run, phrases, seen);
            run.Clear();
            if (i < words.Count && capitalised && !IsQuestionOpener(word.Word, word.Start, text))
            {
                run.Add(word);
            }
        }

        return phrases;
    }

    private static void AddRun(string text, List<(string Word, int Start, int End)> run, List<string> phrases, HashSet<string> seen)
    {
        // Trailing connectors are not part of the name.
        var count = run.Count;
        while (count > 0 && char.IsLower(run[count - 1].Word[0]))
        {
            count--;
        }

        if (count < 2)
        {
            return;
        }

        var phrase = text[run[0].Start..run[count - 1].End];
        if (seen.Add(phrase))
        {
            phrases.Add(phrase);
        }
    }

    private static bool OnlySpacesBetween(string text, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (text[i] is not (' ' or '-' or '\'' or '\u2019' or 's' or '.'))
            {
                return false;
            }
        }

        return end - start <= 3;
    }

    /// <summary>Question words and sentence-initial function words are capitalised but name nothing.</summary>
    private static bool IsQuestionOpener(string word, int start, string text)
    {
        var lower = word.ToLowerInvariant();
        if (!StopWords.English.Contains(lower) && lower is not ("name" or "list" or "give" or "tell"))
        {
            return false;
        }

        var before = text.AsSpan(0, start).TrimEnd();
        return before.Length == 0 || before[^1] is '.' or '?' or '!' or ':' or '"' or '(' || StopWords.English.Contains(lower);
    }
}
