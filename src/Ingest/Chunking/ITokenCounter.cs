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

/// <summary>cl100k_base, the encoding of GPT-4-class models, from the vocabulary bundled in a NuGet package (no download).</summary>
public sealed class TiktokenTokenCounter : ITokenCounter
{
    private static readonly Lazy<Tokenizer> Shared = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    public string Name => "cl100k_base";

    /// <summary>Loads the vocabulary now rather than inside the first document's processing.</summary>
    public static void Warm() => _ = Shared.Value;

    public int CountTokens(ReadOnlySpan<char> text) => Shared.Value.CountTokens(text, considerPreTokenization: true, considerNormalization: false);

    public int[] TokenEnds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = Shared.Value.EncodeToTokens(text, out _, considerPreTokenization: true, considerNormalization: false);
        var ends = new int[tokens.Count];
        for (var i = 0; i < ends.Length; i++)
        {
            ends[i] = tokens[i].Offset.End.GetOffset(text.Length);
        }

        // Multi-token characters (emoji, rare scripts) can repeat an offset; keep the array ascending.
        for (var i = 1; i < ends.Length; i++)
        {
            ends[i] = Math.Max(ends[i], ends[i - 1]);
        }

        return ends;
    }
}
