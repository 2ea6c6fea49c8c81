using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>
/// Extracts entities, mentions and relations from one document. Implementations are pure and deterministic: the
/// same document, chunks and settings always give the same graph, with ids derived from content.
/// </summary>
public interface IGraphExtractor
{
    /// <summary>A fingerprint of the extractor and its settings; a change makes ingestion re-process documents.</summary>
    string Version { get; }

    /// <summary>The relation labels it writes, with the question words that ask along them (queries read the same).</summary>
    RelationVocabulary Vocabulary => RelationVocabulary.BuiltIn;

    DocumentGraph Extract(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same, for extractors that wait on something (a language model). The default runs <see cref="Extract"/>.
    /// </summary>
    ValueTask<DocumentGraph> ExtractAsync(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Extract(document, chunks, cancellationToken));

    /// <summary>
    /// What the ingestion pipeline calls: the graph, with whatever the extractor wants stored beside it (a language
    /// model's replies, cached with the document). The default runs <see cref="ExtractAsync"/> and stores nothing more.
    /// Throw <see cref="ExtractionStoppedException"/> when the run cannot go on (a token budget is spent).
    /// </summary>
    async ValueTask<ExtractionResult> ExtractForStorageAsync(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default) =>
        new(await ExtractAsync(document, chunks, cancellationToken).ConfigureAwait(false));
}

/// <summary>A document's graph and what is stored with it.</summary>
/// <param name="Graph">The extracted graph.</param>
public sealed record ExtractionResult(DocumentGraph Graph)
{
    /// <summary>Language-model replies for the document's chunks, cached with it (<see cref="DocumentBundle.ExtractionCache"/>).</summary>
    public IReadOnlyList<ExtractionCacheEntry> Cache { get; init; } = [];
}

/// <summary>
/// An extractor that sends text to a language model says what a document would cost without sending anything
/// (<c>graphrag ingest --llm --dry-run</c>).
/// </summary>
public interface IExtractionCostEstimator
{
    /// <summary>The requests extracting the document would make (none for chunks whose reply is cached) and their tokens.</summary>
    ValueTask<ExtractionCostEstimate> EstimateAsync(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default);
}

/// <summary>What extracting one document would send.</summary>
/// <param name="Requests">One per chunk whose reply is not cached.</param>
/// <param name="CachedChunks">Chunks whose reply the store already holds: they cost nothing.</param>
public sealed record ExtractionCostEstimate(IReadOnlyList<ExtractionRequestEstimate> Requests, int CachedChunks)
{
    public static ExtractionCostEstimate None { get; } = new([], 0);
}

/// <summary>One request an extraction would make.</summary>
/// <param name="Key">Its cache key: requests of the same key are one request (the second finds the first's reply).</param>
/// <param name="InputTokens">The prompt's tokens, counted with the model's tokenizer.</param>
/// <param name="OutputTokens">The reply's tokens, estimated.</param>
/// <param name="MaxOutputTokens">The most the reply may have: the worst case.</param>
public sealed record ExtractionRequestEstimate(string Key, int InputTokens, int OutputTokens, int MaxOutputTokens);

/// <summary>
/// An extractor cannot go on in this run — a token budget is spent, or the model refuses the key — so the pipeline
/// stops: documents already extracted are stored, the rest are reported not processed, none is half-written.
/// </summary>
public sealed class ExtractionStoppedException : GraphRag.Graph.GraphRagException
{
    public ExtractionStoppedException()
    {
    }

    public ExtractionStoppedException(string message)
        : base(message)
    {
    }

    public ExtractionStoppedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
