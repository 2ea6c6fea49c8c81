namespace GraphRag.Embeddings;

/// <summary>
/// What a generator's vectors are: a stable <paramref name="Id"/> that changes whenever vectors stop being comparable
/// (model, dimensions, token limit, quantisation), their length when known, and the text a query must start with.
/// </summary>
/// <param name="Id">For example <c>onnx/snowflake-arctic-embed-xs/256/int8</c> or <c>openai/text-embedding-3-small/512</c>.</param>
/// <param name="Dimensions">The vector length, when known before the first call.</param>
/// <param name="QueryPrefix">Prepended to questions (not passages) by asymmetric models; null when none.</param>
public sealed record EmbeddingModelInfo(string Id, int? Dimensions, string? QueryPrefix);
