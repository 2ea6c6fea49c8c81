using GraphRag.Graph.Model;

namespace GraphRag.Llm;

/// <summary>
/// US-dollar prices per million tokens by model, for cost estimates. The built-in figures are <b>estimates</b> of
/// OpenAI's published list prices for well-known models when this table was written; they change, and Azure
/// deployments and local servers are priced differently (a local Ollama model costs nothing per token), so configure
/// <c>GraphRag:Llm:Prices:&lt;model or deployment&gt;</c> for figures you can rely on. A model is found by its exact name,
/// then by the longest built-in or configured name it starts with (<c>gpt-4o-2024-08-06</c> → <c>gpt-4o</c>).
/// </summary>
public sealed class PriceTable
{
    /// <summary>Estimated list prices (input, output) per million tokens; configured prices replace them.</summary>
    public static IReadOnlyDictionary<string, (decimal Input, decimal Output)> BuiltInEstimates { get; } =
        new Dictionary<string, (decimal, decimal)>(StringComparer.OrdinalIgnoreCase)
        {
            ["gpt-4o"] = (2.50m, 10.00m),
            ["gpt-4o-mini"] = (0.15m, 0.60m),
            ["gpt-4.1"] = (2.00m, 8.00m),
            ["gpt-4.1-mini"] = (0.40m, 1.60m),
            ["gpt-4.1-nano"] = (0.10m, 0.40m),
            ["o1"] = (15.00m, 60.00m),
            ["o1-mini"] = (1.10m, 4.40m),
            ["o3"] = (2.00m, 8.00m),
            ["o3-mini"] = (1.10m, 4.40m),
            ["o4-mini"] = (1.10m, 4.40m),
            ["gpt-4-turbo"] = (10.00m, 30.00m),
            ["gpt-4"] = (30.00m, 60.00m),
            ["gpt-3.5-turbo"] = (0.50m, 1.50m),
        };

    private readonly Dictionary<string, (decimal Input, decimal Output, bool Configured)> _prices;

    public PriceTable(IReadOnlyDictionary<string, LlmPrice>? configured = null)
    {
        _prices = BuiltInEstimates.ToDictionary(p => p.Key, p => (p.Value.Input, p.Value.Output, false), StringComparer.OrdinalIgnoreCase);
        foreach (var (model, price) in configured ?? new Dictionary<string, LlmPrice>())
        {
            _prices[model.Trim()] = (price.InputPerMillion, price.OutputPerMillion, true);
        }
    }

    /// <summary>The price of <paramref name="model"/>, and whether it was configured (true) or is a built-in estimate; null when unknown.</summary>
    public (decimal InputPerMillion, decimal OutputPerMillion, bool Configured)? Find(string? model)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return null;
        }

        var name = model.Trim();
        if (_prices.TryGetValue(name, out var exact))
        {
            return exact;
        }

        var prefix = _prices.Keys
            .Where(k => name.StartsWith(k, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(k => k.Length)
            .FirstOrDefault();
        return prefix is null ? null : _prices[prefix];
    }

    /// <summary>The estimated cost of the tokens at <paramref name="model"/>'s price; null when its price is unknown.</summary>
    public decimal? Cost(string? model, long inputTokens, long outputTokens) =>
        Find(model) is { } price
            ? Math.Round(((inputTokens * price.InputPerMillion) + (outputTokens * price.OutputPerMillion)) / 1_000_000m, 8)
            : null;

    /// <summary>A usage of <paramref name="model"/> with its estimated cost.</summary>
    public LlmUsage Usage(string? model, int requests, long inputTokens, long outputTokens, bool countedLocally = false) => new()
    {
        Requests = requests,
        InputTokens = inputTokens,
        OutputTokens = outputTokens,
        EstimatedCostUsd = Cost(model, inputTokens, outputTokens),
        CountedLocally = countedLocally,
    };
}
