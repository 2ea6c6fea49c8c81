using Microsoft.ML.Tokenizers;

namespace GraphRag.Ingest.Chunking;

/// <summary>Counts tokens the way the model that will read the chunks does.</summary>
public interface ITokenCounter
{
    /// <summary>A stable name for the tokenizer; part of the pipeline fingerprint.</summary>
    string Name { get; }

    int CountTokens(ReadOnlySpan<char> text);

    /// <summary>
    /// Tokenises once and returns each token's exclusive end offset, ascending. Lets the chunker count any span of
    /// the text by binary search instead of tokenising every candidate again.
    /// </summary>
    int[] TokenEnds(string text);
}

/// <summary>
/// cl100k_base, the encoding of GPT-4-class models, from the vocabulary bundled in a NuGet package (no download).
/// Byte-pair merging is quadratic in the length of one pre-token, and a run of letters or punctuation is one
/// pre-token however long it is, so a run of non-whitespace longer than <see cref="MaxRun"/> characters is encoded
/// in pieces of at most that length: ordinary text is encoded exactly as before, and 2 MB without a space takes
/// linear time instead of hours.
/// </summary>
public sealed class TiktokenTokenCounter : ITokenCounter
{
    /// <summary>The longest run of non-whitespace encoded in one piece; far longer than any word.</summary>
    public const int MaxRun = 256;

    private static readonly Lazy<Tokenizer> Shared = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    public string Name => "cl100k_base";

    /// <summary>Loads the vocabulary now rather than inside the first document's processing.</summary>
    public static void Warm() => _ = Shared.Value;

    public int CountTokens(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var (start, length) in Pieces(text))
        {
            count += Shared.Value.CountTokens(text.Slice(start, length), considerPreTokenization: true, considerNormalization: false);
        }

        return count;
    }

    public int[] TokenEnds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ends = new List<int>(text.Length / 3);
        foreach (var (start, length) in Pieces(text))
        {
            var piece = text.AsSpan(start, length);
            var tokens = Shared.Value.EncodeToTokens(piece, out _, considerPreTokenization: true, considerNormalization: false);
            foreach (var token in tokens)
            {
                ends.Add(start + token.Offset.End.GetOffset(length));
            }
        }

        // Multi-token characters (emoji, rare scripts) can repeat an offset; keep the array ascending.
        var result = ends.ToArray();
        for (var i = 1; i < result.Length; i++)
        {
            result[i] = Math.Max(result[i], result[i - 1]);
        }

        return result;
    }

    /// <summary>
    /// The pieces to encode, as (start, length): the whole text when no run of non-whitespace exceeds
    /// <see cref="MaxRun"/>; otherwise the text between such runs, and each run cut every <see cref="MaxRun"/>
    /// characters (never inside a surrogate pair).
    /// </summary>
    internal static List<(int Start, int Length)> Pieces(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int, int)>();
        var pieceStart = 0;
        var runStart = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inRun = i < text.Length && !char.IsWhiteSpace(text[i]);
            if (inRun)
            {
                if (runStart < 0)
                {
                    runStart = i;
                }

                continue;
            }

            if (runStart >= 0 && i - runStart > MaxRun)
            {
                if (runStart > pieceStart)
                {
                    pieces.Add((pieceStart, runStart - pieceStart));
                }

                for (var at = runStart; at < i;)
                {
                    var cut = Math.Min(i, at + MaxRun);
                    if (cut < i && char.IsHighSurrogate(text[cut - 1]))
                    {
                        cut--;
                    }

                    pieces.Add((at, cut - at));
                    at = cut;
                }

                pieceStart = i;
            }

            runStart = -1;
        }

        if (pieceStart < text.Length || pieces.Count == 0)
        {
            pieces.Add((pieceStart, text.Length - pieceStart));
        }

        return pieces;
    }
}
