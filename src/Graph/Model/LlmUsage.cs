namespace GraphRag.Graph.Model;

/// <summary>
/// What calls to a language model cost: requests, tokens in and out, and the price they come to by the configured price
/// table. Defined beside the domain records because query results (GraphRag.Query) and ingestion results
/// (GraphRag.Ingest) both carry it, and neither references the model connectors (GraphRag.Llm).
/// </summary>
public sealed record LlmUsage
{
    public static LlmUsage None { get; } = new();

    /// <summary>Requests sent to the provider (a retried request counts once).</summary>
    public int Requests { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>
    /// An estimate in US dollars from the price table (<c>GraphRag:Llm:Prices</c> or the built-in estimates); null when
    /// a model that was called has no known price.
    /// </summary>
    public decimal? EstimatedCostUsd { get; init; } = 0m;

    /// <summary>True when some tokens were counted here with the model's tokenizer because the server reported none.</summary>
    public bool CountedLocally { get; init; }

    /// <summary>The sum of two usages; the cost is unknown when either is.</summary>
    public LlmUsage Add(LlmUsage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new LlmUsage
        {
            Requests = Requests + other.Requests,
            InputTokens = InputTokens + other.InputTokens,
            OutputTokens = OutputTokens + other.OutputTokens,
            EstimatedCostUsd = EstimatedCostUsd is { } a && other.EstimatedCostUsd is { } b ? a + b : null,
            CountedLocally = CountedLocally || other.CountedLocally,
        };
    }
}
