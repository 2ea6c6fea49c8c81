using GraphRag.Graph.Model;
using GraphRag.Graph.Text;
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
        foreach (var sentence in SentenceSplitter.Split(chunk.Text))
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
        foreach (var sentence in SentenceSplitter.Split(text))
        {
            if (offset >= sentence.Start && offset < sentence.End)
            {
                return (sentence.Start, sentence.End);
            }
        }

        return (0, text.Length);
    }
}
