using GraphRag.Graph.Model;

namespace GraphRag.Graph.Abstractions;

/// <summary>Writes whole documents atomically; the only way data enters a store.</summary>
public interface IDocumentWriter
{
    /// <summary>
    /// Stores the bundle in one transaction. The same content and pipeline version again is a no-op
    /// (<see cref="WriteOutcome.Unchanged"/>); changed content replaces every row the old version produced.
    /// </summary>
    Task<WriteOutcome> UpsertAsync(DocumentBundle bundle, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores several bundles in one transaction (each is still wholly present or absent), with the same per-bundle
    /// semantics as <see cref="UpsertAsync"/>. If any bundle fails, none of the batch is written.
    /// </summary>
    Task<IReadOnlyList<WriteOutcome>> UpsertManyAsync(IReadOnlyList<DocumentBundle> bundles, CancellationToken cancellationToken = default);

    /// <summary>Removes a document and only what it alone supports. Returns false when no such document exists.</summary>
    Task<bool> DeleteAsync(string documentId, CancellationToken cancellationToken = default);
}

/// <summary>
/// A writer that can take a run of many writes faster when it knows one is coming: an ingestion run brackets its
/// writes with <see cref="BeginBulkLoadAsync"/> and disposes the scope when the run ends. What the store does inside
/// the scope is its own affair (the embedded store defers the secondary indexes and the entity and relation totals of
/// a load into an empty store); every read and write through the store keeps its meaning throughout (another process
/// reading the same file may see the totals as they were when the load began, until it ends), and a run that dies
/// inside the scope leaves a store that the next writable open completes.
/// </summary>
public interface IBulkLoadWriter
{
    /// <summary>Starts a bulk load; dispose the scope when the run's writes are done.</summary>
    Task<IAsyncDisposable> BeginBulkLoadAsync(CancellationToken cancellationToken = default);
}

/// <summary>Reads documents and chunks.</summary>
public interface IDocumentReader
{
    Task<Document?> GetDocumentAsync(string documentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stored content hashes and pipeline versions of the given documents (all when null); absent ids are missing
    /// from the result. Lets ingestion skip unchanged input without chunking or extracting it.
    /// </summary>
    Task<IReadOnlyDictionary<string, DocumentState>> GetDocumentStatesAsync(
        IReadOnlyCollection<string>? documentIds, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DocumentSummary>> ListDocumentsAsync(DocumentListRequest request, CancellationToken cancellationToken = default);

    /// <summary>The chunks with the given ids that exist, in no particular order.</summary>
    Task<IReadOnlyList<Chunk>> GetChunksAsync(IReadOnlyCollection<string> chunkIds, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Chunk>> GetDocumentChunksAsync(string documentId, CancellationToken cancellationToken = default);
}

/// <summary>Full-text search over chunks.</summary>
public interface ILexicalIndex
{
    Task<IReadOnlyList<LexicalHit>> SearchAsync(LexicalQuery query, CancellationToken cancellationToken = default);
}

/// <summary>Counts of what a store holds.</summary>
public interface IStoreStatistics
{
    Task<StoreCounts> GetCountsAsync(CancellationToken cancellationToken = default);
}

public sealed record DocumentState(string ContentHash, string PipelineVersion);

public sealed record DocumentSummary(string Id, string Title, string Source, string MediaType, int ChunkCount);

/// <param name="Offset">Rows to skip, ordered by id.</param>
/// <param name="Limit">At most this many rows.</param>
public sealed record DocumentListRequest(int Offset = 0, int Limit = 100)
{
    /// <summary>Only these documents (for title lookups and access filters); null for all.</summary>
    public IReadOnlyCollection<string>? Ids { get; init; }
}

/// <summary>A lexical query: terms are OR-ed; phrases must appear as written. All text is passed as parameters.</summary>
/// <param name="Terms">Single words, already analysed (no stop words).</param>
/// <param name="Phrases">Multi-word phrases that score when present verbatim.</param>
/// <param name="Limit">Maximum number of hits.</param>
public sealed record LexicalQuery(IReadOnlyList<string> Terms, IReadOnlyList<string> Phrases, int Limit = 10)
{
    /// <summary>
    /// Restricts the search to these documents when not null, with every statistic taken over them alone (a filter).
    /// </summary>
    public IReadOnlyCollection<string>? DocumentIds { get; init; }

    /// <summary>
    /// Access control: only documents whose ACL this accepts are searched, and every statistic is taken over them
    /// alone, so the result equals a search of a store holding just those documents. Null reads everything.
    /// </summary>
    public Func<IReadOnlyList<string>, bool>? CanReadAcl { get; init; }

    /// <summary>Counts the work this search does, when not null (tests and diagnostics).</summary>
    public LexicalWork? Work { get; init; }
}

/// <summary>
/// The work one lexical search did: access partitions read, postings visited and rows scored. It depends only on what
/// the searcher may read, which is what tests of tenant non-interference assert. Thread-safe.
/// </summary>
public sealed class LexicalWork
{
    private long _partitions;
    private long _postings;
    private long _rows;

    public long Partitions => Interlocked.Read(ref _partitions);

    public long Postings => Interlocked.Read(ref _postings);

    public long Rows => Interlocked.Read(ref _rows);

    public void AddPartition() => Interlocked.Increment(ref _partitions);

    public void AddPostings(long count) => Interlocked.Add(ref _postings, count);

    public void AddRows(long count) => Interlocked.Add(ref _rows, count);
}

/// <summary>A chunk found by full-text search; a higher score is better.</summary>
public sealed record LexicalHit(string ChunkId, string DocumentId, string Title, double Score);

/// <summary>Counts only: no sizes or times, so identical contents give identical counts.</summary>
public sealed record StoreCounts(long Documents, long Chunks, long Entities, long Relations);
