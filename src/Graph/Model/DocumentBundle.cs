namespace GraphRag.Graph.Model;

/// <summary>
/// Everything derived from one document, written in one transaction: after a crash the document is either wholly
/// present (with its chunks, mentions and relation evidence) or wholly absent.
/// </summary>
/// <param name="Document">The document with its normalised text.</param>
/// <param name="Chunks">Its chunks, in order.</param>
/// <param name="Graph">Entities and relations extracted from it.</param>
/// <param name="PipelineVersion">A fingerprint of the chunking and extraction settings; a change re-processes the document.</param>
public sealed record DocumentBundle(Document Document, IReadOnlyList<Chunk> Chunks, DocumentGraph Graph, string PipelineVersion)
{
    /// <summary>Its chunks' embeddings (some or all chunks; none when embeddings are off), stored with it.</summary>
    public IReadOnlyList<ChunkVector> Vectors { get; init; } = [];

    /// <summary>The model <see cref="Vectors"/> were made with; null when there are none.</summary>
    public VectorModel? VectorModel { get; init; }

    /// <summary>
    /// Language-model replies for its chunks (<c>ingest --llm</c>), stored with it so that text already sent is never
    /// sent again: kept while the document has a chunk of that text, deleted with the document.
    /// </summary>
    public IReadOnlyList<ExtractionCacheEntry> ExtractionCache { get; init; } = [];
}

/// <summary>
/// What a language model replied for one chunk, under the key of everything that decided the reply: the text sent, the
/// model and the prompt version. A store keeps an entry while its document still has a chunk with the same text as
/// <paramref name="ChunkId"/>'s, so re-ingesting unchanged text (under any settings) asks the store, not the model.
/// </summary>
/// <param name="ChunkId">The chunk of the bundle the reply is for.</param>
/// <param name="Key">The cache key: a hash of the text sent, the model and the prompt version.</param>
/// <param name="Reply">The model's reply as received (structured JSON, or whatever came back).</param>
public sealed record ExtractionCacheEntry(string ChunkId, string Key, string Reply);

/// <summary>The graph extracted from one document: a pure function of that document and the extraction settings.</summary>
/// <param name="Entities">The entities the document mentions, resolved within the document.</param>
/// <param name="Mentions">Every occurrence, with its span.</param>
/// <param name="Relations">Relations asserted by the document; each carries only this document's evidence.</param>
public sealed record DocumentGraph(
    IReadOnlyList<ExtractedEntity> Entities,
    IReadOnlyList<Mention> Mentions,
    IReadOnlyList<Relation> Relations)
{
    public static DocumentGraph Empty { get; } = new([], [], []);
}

/// <summary>An entity as one document sees it; the store merges these across documents by <see cref="Id"/>.</summary>
public sealed record ExtractedEntity(string Id, string Key, string Name, string Type);

/// <summary>What a write did to the stored document.</summary>
public enum WriteOutcome
{
    Added,
    Replaced,
    Unchanged,
}
