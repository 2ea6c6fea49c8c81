using System.Text.Json.Serialization;

namespace GraphRag.Query.Evaluation;

/// <summary>What ingesting an evaluation corpus took, embeddings included.</summary>
public sealed record EvalCorpus
{
    [JsonPropertyName("documents")]
    public int Documents { get; init; }

    [JsonPropertyName("chunks")]
    public int Chunks { get; init; }

    [JsonPropertyName("seconds")]
    public double Seconds { get; init; }

    /// <summary>The embedding model (id and dimensions); null when embeddings were off.</summary>
    [JsonPropertyName("embedding_model")]
    public string? EmbeddingModel { get; init; }

    [JsonPropertyName("embedded_chunks")]
    public int EmbeddedChunks { get; init; }

    [JsonPropertyName("reused_vectors")]
    public int ReusedVectors { get; init; }

    /// <summary>Time spent waiting for the embedding generator, summed over documents.</summary>
    [JsonPropertyName("embedding_seconds")]
    public double EmbeddingSeconds { get; init; }

    [JsonPropertyName("vectors_per_second")]
    public double VectorsPerSecond { get; init; }
}

/// <summary>One dataset run in every available mode: what each channel retrieves alone, and fused. The JSON of <c>graphrag eval --mode all</c>.</summary>
public sealed record EvalComparison
{
    [JsonPropertyName("dataset")]
    public required string Dataset { get; init; }

    [JsonPropertyName("corpus")]
    public required EvalCorpus Corpus { get; init; }

    /// <summary>One report per mode, in the order run (bm25, graph, vector when embeddings are on, hybrid).</summary>
    [JsonPropertyName("modes")]
    public required IReadOnlyList<EvalReport> Modes { get; init; }
}
