namespace GraphRag.Query.Evaluation;

/// <summary>What ingesting an evaluation corpus took, embeddings included.</summary>
public sealed record EvalCorpus
{
    public int Documents { get; init; }

    public int Chunks { get; init; }

    public double Seconds { get; init; }

    /// <summary>The embedding model (id and dimensions); null when embeddings were off.</summary>
    public string? EmbeddingModel { get; init; }

    public int EmbeddedChunks { get; init; }

    public int ReusedVectors { get; init; }

    /// <summary>Time spent waiting for the embedding generator, summed over documents.</summary>
    public double EmbeddingSeconds { get; init; }

    public double VectorsPerSecond { get; init; }
}

/// <summary>One dataset run in every available mode: what each channel retrieves alone, and fused. The JSON of <c>graphrag eval --mode all</c>.</summary>
public sealed record EvalComparison
{
    public required string Dataset { get; init; }

    public required EvalCorpus Corpus { get; init; }

    /// <summary>One report per mode, in the order run (bm25, graph, vector when embeddings are on, hybrid).</summary>
    public required IReadOnlyList<EvalReport> Modes { get; init; }
}
