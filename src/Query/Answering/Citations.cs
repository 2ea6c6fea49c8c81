using GraphRag.Graph.Model;
using GraphRag.Query.Analysis;

namespace GraphRag.Query.Answering;

/// <summary>Builds citations whose quote is, by construction, the stored text at the cited span.</summary>
public static class Citations
{
    /// <summary>Cites <c>[start, end)</c> of the document, clipped to the chunk; null when nothing of it lies in the chunk.</summary>
    public static Citation? Cite(Chunk chunk, string documentTitle, int start, int end)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var s = Math.Max(start, chunk.Start);
        var e = Math.Min(end, chunk.End);
        if (e <= s)
        {
            return null;
        }

        return new Citation(chunk.DocumentId, documentTitle, chunk.Id, s, e, chunk.Text[(s - chunk.Start)..(e - chunk.Start)], chunk.Page);
    }

    /// <summary>The sentence of the chunk that shares the most question terms (ties: the earliest).</summary>
    public static Citation BestSentence(Chunk chunk, string documentTitle, IReadOnlyCollection<string> terms)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ArgumentNullException.ThrowIfNull(terms);
        var best = (Start: 0, End: chunk.Text.Length, Score: -1.0);
        foreach (var sentence in Sentences.Split(chunk.Text))
        {
            var words = QueryAnalyzer.Words(chunk.Text[sentence.Start..sentence.End]).Select(w => w.Word.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            var score = terms.Count(words.Contains);
            if (score > best.Score)
            {
                best = (sentence.Start, sentence.End, score);
            }
        }

        return Cite(chunk, documentTitle, chunk.Start + best.Start, chunk.Start + best.End)!;
    }

    /// <summary>The sentence around a character offset of the chunk text.</summary>
    public static (int Start, int End) SentenceAround(string text, int offset)
    {
        foreach (var sentence in Sentences.Split(text))
        {
            if (offset >= sentence.Start && offset < sentence.End)
            {
                return (sentence.Start, sentence.End);
            }
        }

        return (0, text.Length);
    }
}

/// <summary>A light sentence splitter for citation windows: terminal punctuation plus space, or a line break.</summary>
internal static class Sentences
{
    public static IEnumerable<(int Start, int End)> Split(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var end = -1;
            if (text[i] == '\n')
            {
                end = i;
            }
            else if (text[i] is '.' or '!' or '?' && i + 1 < text.Length && text[i + 1] == ' '
                     && i + 2 < text.Length && (char.IsUpper(text[i + 2]) || char.IsDigit(text[i + 2]) || text[i + 2] == '"')
                     && !(i >= 1 && char.IsUpper(text[i - 1]) && (i < 2 || !char.IsLetter(text[i - 2]))))
            {
                end = i + 1;
            }

            if (end >= 0)
            {
                if (end > start && !string.IsNullOrWhiteSpace(text[start..end]))
                {
                    yield return Trim(text, start, end);
                }

                start = end + 1;
            }
        }

        if (start < text.Length && !string.IsNullOrWhiteSpace(text[start..]))
        {
            yield return Trim(text, start, text.Length);
        }
    }

    private static (int, int) Trim(string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return (start, end);
    }
}
