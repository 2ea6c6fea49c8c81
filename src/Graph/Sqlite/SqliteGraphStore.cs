using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Rows;
using GraphRag.Graph.Traversal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace GraphRag.Graph.Sqlite;

/// <summary>
/// The embedded backend: one SQLite file (WAL) behind three storage classes — <see cref="Documents"/> (documents,
/// chunks, the graph rows, ACLs, the change log), <see cref="Graph"/> (stored entities, mentions and relations) and
/// <see cref="Security"/> (API keys, the audit log, secrets) — plus the shared in-memory <see cref="Indexes"/> (lexical
/// search and the graph snapshot) fed by the documents' rows and commits. For callers that want one object it forwards
/// every role to the class that owns it; it holds no logic of its own. Thread-safe; dispose it to release the file.
/// </summary>
public sealed class SqliteGraphStore :
    IDocumentWriter, IBulkLoadWriter, IDocumentReader, IStoreStatistics, IAccessIndex, ISensitiveSpanBackfill, IGraphRowSource, IChangeFeed,
    IGraphReader, ISnapshotSource, ILexicalIndex, IVectorIndex, IChunkVectorStore, IApiKeyStore, IAuditLog, IStoreSecrets, IGraphBackend
{
    private readonly SqliteDatabase _db;
    private int _disposed;

    private SqliteGraphStore(SqliteDatabase db, ILoggerFactory? loggers)
    {
        _db = db;
        Documents = new SqliteDocuments(db);
        // The indexes are a cache beside the file: graphrag.db.index. Deleting it only makes the next start slower.
        Indexes = new GraphIndexes(Documents, Documents, db.FilePath + ".index", loggers?.CreateLogger<GraphIndexes>());
        Graph = new SqliteGraphReader(db);
        Security = new SqliteSecurity(db);
    }

    /// <summary>The full path of the database file.</summary>
    public string FilePath => _db.FilePath;

    public SqliteDocuments Documents { get; }

    public SqliteGraphReader Graph { get; }

    public SqliteSecurity Security { get; }

    /// <summary>Lexical search and the graph snapshot, kept current with <see cref="Documents"/>.</summary>
    public GraphIndexes Indexes { get; }

    public string Location => _db.FilePath;

    IDocumentWriter IGraphBackend.Writer => Documents;

    IDocumentReader IGraphBackend.Documents => Documents;

    IStoreStatistics IGraphBackend.Statistics => Documents;

    IAccessIndex IGraphBackend.Access => Documents;

    ISensitiveSpanBackfill IGraphBackend.Backfill => Documents;

    IGraphReader IGraphBackend.Graph => Graph;

    IApiKeyStore IGraphBackend.Keys => Security;

    IAuditLog IGraphBackend.Audit => Security;

    IStoreSecrets IGraphBackend.Secrets => Security;

    IChunkVectorStore? IGraphBackend.Vectors => Documents;

    IExtractionCache? IGraphBackend.ExtractionCache => Documents;

    IGraphExportSource? IGraphBackend.Export => Documents;

    /// <summary>The generation the in-memory indexes reflect (-1 before their first load).</summary>
    internal long LexicalGeneration => Indexes.Generation;

    /// <summary>Opens (creating and migrating when needed) the store at <see cref="SqliteStoreOptions.Path"/>.</summary>
    public static async Task<SqliteGraphStore> OpenAsync(SqliteStoreOptions options, CancellationToken cancellationToken = default) =>
        new(await SqliteDatabase.OpenAsync(options, cancellationToken).ConfigureAwait(false), null);

    /// <summary>Opens the store as <see cref="OpenAsync(SqliteStoreOptions, CancellationToken)"/>, logging through <paramref name="loggers"/>.</summary>
    public static async Task<SqliteGraphStore> OpenAsync(SqliteStoreOptions options, ILoggerFactory? loggers, CancellationToken cancellationToken = default) =>
        new(await SqliteDatabase.OpenAsync(options, cancellationToken).ConfigureAwait(false), loggers);

    internal Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken) => _db.OpenConnectionAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // The index file is written while the store is still open; a write in flight finishes before the lock goes.
        await Indexes.DisposeAsync().ConfigureAwait(false);
        await _db.WriteLock.WaitAsync().ConfigureAwait(false);
        _db.Dispose();
    }

    public Task<WriteOutcome> UpsertAsync(DocumentBundle bundle, CancellationToken cancellationToken = default) => Documents.UpsertAsync(bundle, cancellationToken);

    public Task<IReadOnlyList<WriteOutcome>> UpsertManyAsync(IReadOnlyList<DocumentBundle> bundles, CancellationToken cancellationToken = default) =>
        Documents.UpsertManyAsync(bundles, cancellationToken);

    public Task<bool> DeleteAsync(string documentId, CancellationToken cancellationToken = default) => Documents.DeleteAsync(documentId, cancellationToken);

    public Task<IAsyncDisposable> BeginBulkLoadAsync(CancellationToken cancellationToken = default) => Documents.BeginBulkLoadAsync(cancellationToken);

    public Task<Document?> GetDocumentAsync(string documentId, CancellationToken cancellationToken = default) => Documents.GetDocumentAsync(documentId, cancellationToken);

    public Task<IReadOnlyDictionary<string, DocumentState>> GetDocumentStatesAsync(IReadOnlyCollection<string>? documentIds, CancellationToken cancellationToken = default) =>
        Documents.GetDocumentStatesAsync(documentIds, cancellationToken);

    public Task<IReadOnlyList<DocumentSummary>> ListDocumentsAsync(DocumentListRequest request, CancellationToken cancellationToken = default) =>
        Documents.ListDocumentsAsync(request, cancellationToken);

    public Task<IReadOnlyList<Chunk>> GetChunksAsync(IReadOnlyCollection<string> chunkIds, CancellationToken cancellationToken = default) =>
        Documents.GetChunksAsync(chunkIds, cancellationToken);

    public Task<IReadOnlyList<Chunk>> GetDocumentChunksAsync(string documentId, CancellationToken cancellationToken = default) =>
        Documents.GetDocumentChunksAsync(documentId, cancellationToken);

    public Task<StoreCounts> GetCountsAsync(CancellationToken cancellationToken = default) => Documents.GetCountsAsync(cancellationToken);

    public Task<DocumentAccessList> GetAccessListAsync(CancellationToken cancellationToken = default) => Documents.GetAccessListAsync(cancellationToken);

    public Task<long> GetGenerationAsync(CancellationToken cancellationToken = default) => Documents.GetGenerationAsync(cancellationToken);

    public Task<IReadOnlyList<(string DocumentId, string Text)>> GetUnscannedAsync(int limit, CancellationToken cancellationToken = default) =>
        Documents.GetUnscannedAsync(limit, cancellationToken);

    public Task SetSensitiveAsync(IReadOnlyDictionary<string, IReadOnlyList<SensitiveSpan>> spans, CancellationToken cancellationToken = default) =>
        Documents.SetSensitiveAsync(spans, cancellationToken);

    public Task<IRowReader> OpenReadAsync(CancellationToken cancellationToken = default) => Documents.OpenReadAsync(cancellationToken);

    public void Subscribe(Action<CommittedChange> listener) => Documents.Subscribe(listener);

    public Task<IReadOnlyList<Entity>> GetEntitiesAsync(IReadOnlyCollection<string> entityIds, CancellationToken cancellationToken = default) =>
        Graph.GetEntitiesAsync(entityIds, cancellationToken);

    public Task<IReadOnlyList<Entity>> FindEntitiesAsync(EntitySearch search, CancellationToken cancellationToken = default) =>
        Graph.FindEntitiesAsync(search, cancellationToken);

    public Task<IReadOnlyList<Mention>> GetMentionsAsync(MentionQuery query, CancellationToken cancellationToken = default) =>
        Graph.GetMentionsAsync(query, cancellationToken);

    public Task<IReadOnlyList<Relation>> GetRelationsAsync(RelationQuery query, CancellationToken cancellationToken = default) =>
        Graph.GetRelationsAsync(query, cancellationToken);

    public Task<GraphSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default) => Indexes.GetSnapshotAsync(cancellationToken);

    public Task<IReadOnlyList<LexicalHit>> SearchAsync(LexicalQuery query, CancellationToken cancellationToken = default) =>
        Indexes.SearchAsync(query, cancellationToken);

    public Task<IReadOnlyList<VectorHit>> SearchAsync(VectorQuery query, CancellationToken cancellationToken = default) =>
        Indexes.SearchAsync(query, cancellationToken);

    public Task<VectorModel?> GetVectorModelAsync(CancellationToken cancellationToken = default) => Documents.GetVectorModelAsync(cancellationToken);

    public Task<IReadOnlyDictionary<string, ChunkVector>> GetVectorsByTextHashAsync(IReadOnlyCollection<string> textHashes, CancellationToken cancellationToken = default) =>
        Documents.GetVectorsByTextHashAsync(textHashes, cancellationToken);

    public Task ResetVectorModelAsync(VectorModel model, CancellationToken cancellationToken = default) => Documents.ResetVectorModelAsync(model, cancellationToken);

    public Task<bool> ReplaceVectorsAsync(string documentId, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken = default) =>
        Documents.ReplaceVectorsAsync(documentId, vectors, cancellationToken);

    public Task<bool> AddAsync(ApiKeyRecord key, CancellationToken cancellationToken = default) => Security.AddAsync(key, cancellationToken);

    public Task<ApiKeyRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => Security.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default) => Security.ListAsync(cancellationToken);

    public Task<bool> RevokeAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken = default) =>
        Security.RevokeAsync(id, revokedAt, cancellationToken);

    public Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default) => Security.AppendAsync(entry, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ReadAsync(AuditQuery query, CancellationToken cancellationToken = default) => Security.ReadAsync(query, cancellationToken);

    public Task<ReadOnlyMemory<byte>> GetOrAddAsync(string name, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        Security.GetOrAddAsync(name, value, cancellationToken);

    public Task<ReadOnlyMemory<byte>?> GetValueAsync(string name, CancellationToken cancellationToken = default) =>
        Security.GetValueAsync(name, cancellationToken);
}
