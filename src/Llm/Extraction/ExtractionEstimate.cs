using GraphRag.Ingest.Pipeline;

namespace GraphRag.Llm.Extraction;

/// <summary>
/// What an ingestion run with a model would cost, before anything is sent (<c>graphrag ingest --llm --dry-run</c>):
/// documents by outcome, the requests (one per chunk whose reply is not cached; a text repeated in another document
/// of the run is counted again, as it may be sent again), input tokens counted with the model's tokenizer over the
/// exact prompts, output tokens estimated by <see cref="ModelGraphExtractor.EstimateOutputTokens"/>, and the price by
/// the price table — estimated, and in the worst case where every reply uses its whole output limit.
/// </summary>
public sealed record ExtractionEstimate
{
    public string Model { get; init; } = string.Empty;

    /// <summary>The tokenizer encoding counted with (<c>o200k_base</c>, <c>cl100k_base</c>).</summary>
    public string Tokenizer { get; init; } = string.Empty;

    /// <summary>True when the model's own tokenizer is unknown here and the counts are an approximation.</summary>
    public bool TokenizerApproximate { get; init; }

    /// <summary>Documents read (added, replaced or unchanged).</summary>
    public int Documents { get; init; }

    public int Added { get; init; }

    public int Replaced { get; init; }

    /// <summary>Stored unchanged under these settings: not re-processed, so they cost nothing.</summary>
    public int Unchanged { get; init; }

    public int Failed { get; init; }

    /// <summary>Chunks of the documents that would be extracted.</summary>
    public int Chunks { get; init; }

    public int Requests { get; init; }

    /// <summary>Chunks whose reply is cached (in the store, or earlier in the same document): nothing is sent for them.</summary>
    public int CachedChunks { get; init; }

    public long InputTokens { get; init; }

    /// <summary>Estimated output tokens.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Output tokens if every reply used its whole limit.</summary>
    public long MaxOutputTokens { get; init; }

    /// <summary>Input and estimated output at the price table's figures; null when the model has no known price.</summary>
    public decimal? EstimatedCostUsd { get; init; }

    /// <summary>Input and the whole output limit of every request; null when the model has no known price.</summary>
    public decimal? WorstCaseCostUsd { get; init; }

    /// <summary>True when the price was configured (<c>GraphRag:Llm:Prices</c>); false for a built-in estimate or an unknown price.</summary>
    public bool PriceConfigured { get; init; }

    /// <summary>The run's token budget (<c>Budget:TokensPerRun</c>), to compare with; null for none.</summary>
    public long? TokensPerRun { get; init; }

    /// <summary>The totals of a dry run's per-document estimates, priced for <paramref name="role"/>'s model of <paramref name="clients"/>.</summary>
    public static ExtractionEstimate From(IEnumerable<IngestEstimate> estimates, LlmClients clients, LlmRole role)
    {
        ArgumentNullException.ThrowIfNull(estimates);
        ArgumentNullException.ThrowIfNull(clients);
        var model = clients.Settings(role)?.Model ?? LlmClientFactory.Resolve(clients.Options, role).Model;
        var tokens = clients.Tokens(role);
        int added = 0, replaced = 0, unchanged = 0, failed = 0, chunks = 0, requests = 0, cached = 0;
        long input = 0, output = 0, worst = 0;
        foreach (var estimate in estimates)
        {
            switch (estimate.Status)
            {
                case IngestStatus.Added: added++; break;
                case IngestStatus.Replaced: replaced++; break;
                case IngestStatus.Unchanged: unchanged++; break;
                default: failed++; break;
            }

            chunks += estimate.Chunks;
            cached += estimate.Cost.CachedChunks;
            foreach (var request in estimate.Cost.Requests)
            {
                requests++;
                input += request.InputTokens;
                output += request.OutputTokens;
                worst += request.MaxOutputTokens;
            }
        }

        return new ExtractionEstimate
        {
            Model = model,
            Tokenizer = tokens.Encoding,
            TokenizerApproximate = tokens.IsApproximation,
            Documents = added + replaced + unchanged,
            Added = added,
            Replaced = replaced,
            Unchanged = unchanged,
            Failed = failed,
            Chunks = chunks,
            Requests = requests,
            CachedChunks = cached,
            InputTokens = input,
            OutputTokens = output,
            MaxOutputTokens = worst,
            EstimatedCostUsd = clients.Prices.Cost(model, input, output),
            WorstCaseCostUsd = clients.Prices.Cost(model, input, worst),
            PriceConfigured = clients.Prices.Find(model)?.Configured ?? false,
            TokensPerRun = clients.Options.Budget.TokensPerRun,
        };
    }
}
