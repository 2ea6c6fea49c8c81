using Microsoft.ML.Tokenizers;

namespace GraphRag.Ingest.Chunking;

/// <summary>Counts tokens the way the model that will read the chunks does.</summary>
public interface ITokenCounter
{
    /// <summary>A stable name for the tokenizer; part of the pipeline fingerprint.</summary>
    string Name { get; }

    int CountTokens(ReadOnlySpan<char> text);

    /// <summary>The length of the longest prefix of <paramref name="text"/> that fits in <paramref name="maxTokens"/>.</summary>
    int GetPrefixLength(ReadOnlySpan<char> text, int maxTokens);
}

/// <summary>cl100k_base, the encoding of GPT-4-class models, from the vocabulary bundled in a NuGet package (no download).</summary>
public sealed class TiktokenTokenCounter : ITokenCounter
{
    private static readonly Lazy<Tokenizer> Shared = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    public string Name => "cl100k_base";

    public int CountTokens(ReadOnlySpan<char> text) => Shared.Value.CountTokens(text, considerPreTokenization: true, considerNormalization: false);

    public int GetPrefixLength(ReadOnlySpan<char> text, int maxTokens) =>
        Shared.Value.GetIndexByTokenCount(text, maxTokens, out _, out _, considerPreTokenization: true, considerNormalization: false);
}
