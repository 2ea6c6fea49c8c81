using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace GraphRag.Llm;

/// <summary>
/// Counts tokens the way a model's tokenizer does (Tiktoken, from Microsoft.ML.Tokenizers), for dry-run estimates,
/// budgets, and usage when a server reports none. gpt-4o, gpt-4.1, gpt-4.5 and the o-series use o200k_base; gpt-4 and
/// gpt-3.5 cl100k_base. Any other model (Llama, Mistral, Qwen on Ollama or vLLM) is counted with o200k_base and
/// <see cref="IsApproximation"/> says so. Thread-safe; the encodings are loaded once per process.
/// </summary>
public sealed class TokenCounter
{
    public const string Auto = "Auto";
    public const string O200kBase = "o200k_base";
    public const string Cl100kBase = "cl100k_base";

    /// <summary>OpenAI's accounting of a chat message's framing: about 3 tokens per message and 3 to prime the reply.</summary>
    private const int TokensPerMessage = 3;
    private const int ReplyPriming = 3;

    private static readonly ConcurrentDictionary<string, Lazy<Tokenizer>> Encodings = new(StringComparer.Ordinal);

    private readonly Tokenizer _tokenizer;

    private TokenCounter(string encoding, bool approximation)
    {
        Encoding = encoding;
        IsApproximation = approximation;
        _tokenizer = Encodings.GetOrAdd(encoding, e => new Lazy<Tokenizer>(() => TiktokenTokenizer.CreateForEncoding(e))).Value;
    }

    /// <summary>The encoding's name (<c>o200k_base</c>, <c>cl100k_base</c>).</summary>
    public string Encoding { get; }

    /// <summary>True when the model's own tokenizer is not known here and counts are an approximation.</summary>
    public bool IsApproximation { get; }

    /// <summary>The counter for <paramref name="model"/>, or for the encoding <paramref name="tokenizer"/> names (other than Auto).</summary>
    public static TokenCounter For(string? model, string? tokenizer = Auto)
    {
        if (!string.IsNullOrWhiteSpace(tokenizer) && !string.Equals(tokenizer, Auto, StringComparison.OrdinalIgnoreCase))
        {
            return IsKnownEncoding(tokenizer)
                ? new TokenCounter(tokenizer.ToLowerInvariant(), approximation: EncodingOf(model) is null)
                : throw new ArgumentException($"Unknown tokenizer '{tokenizer}': use Auto, {O200kBase} or {Cl100kBase}.", nameof(tokenizer));
        }

        var known = EncodingOf(model);
        return new TokenCounter(known ?? O200kBase, approximation: known is null);
    }

    internal static bool IsKnownEncoding(string name) =>
        string.Equals(name, O200kBase, StringComparison.OrdinalIgnoreCase) || string.Equals(name, Cl100kBase, StringComparison.OrdinalIgnoreCase);

    /// <summary>The encoding OpenAI documents for a model family, or null for a model it does not know.</summary>
    internal static string? EncodingOf(string? model)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return null;
        }

        // Fine-tunes and dated snapshots keep their base model's tokenizer: ft:gpt-4o-mini:org::id, gpt-4o-2024-08-06.
        var name = model.Trim().ToLowerInvariant();
        if (name.StartsWith("ft:", StringComparison.Ordinal))
        {
            name = name[3..];
        }

        if (name.StartsWith("gpt-4o", StringComparison.Ordinal) || name.StartsWith("gpt-4.1", StringComparison.Ordinal)
            || name.StartsWith("gpt-4.5", StringComparison.Ordinal) || name.StartsWith("gpt-5", StringComparison.Ordinal)
            || name.StartsWith("chatgpt-4o", StringComparison.Ordinal) || IsOSeries(name))
        {
            return O200kBase;
        }

        return name.StartsWith("gpt-4", StringComparison.Ordinal) || name.StartsWith("gpt-3.5", StringComparison.Ordinal)
            || name.StartsWith("gpt-35", StringComparison.Ordinal) || name.StartsWith("text-embedding-", StringComparison.Ordinal)
            ? Cl100kBase
            : null;
    }

    private static bool IsOSeries(string name) =>
        name.Length >= 2 && name[0] == 'o' && char.IsAsciiDigit(name[1]);

    public int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : _tokenizer.CountTokens(text);

    /// <summary>A prompt's tokens: each message's text with its framing, and the reply's priming.</summary>
    public int Count(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var total = ReplyPriming;
        foreach (var message in messages)
        {
            total += TokensPerMessage + Count(message.Role.Value) + Count(message.Text);
        }

        return total;
    }
}
