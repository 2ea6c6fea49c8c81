using System.Text.Json;
using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Rows;
using Microsoft.Extensions.Logging;

namespace GraphRag.Neo4j;

/// <summary>
/// A GraphRag store in Neo4j, over the transactional HTTP endpoint, in the graph model of <c>cypher/MODEL.md</c>: what
/// the embedded SQLite store keeps in tables, as <c>Document</c>, <c>Chunk</c> and <c>Entity</c> nodes joined by
/// <c>HAS_CHUNK</c>, <c>MENTIONS</c>, <c>DESCRIBES</c> and <c>RELATES</c>, with the bookkeeping under <c>GraphRag*</c>
/// labels. Storage only: the vote, the snapshot, BM25 and vectors are the shared core's (<see cref="Indexes"/>), fed by
/// this store's rows and commits exactly as the SQLite store feeds them. Thread-safe.
/// </summary>
public sealed partial class Neo4jGraphStore : IGraphBackend, IDocumentReader, IStoreStatistics, IAccessIndex, ISensitiveSpanBackfill
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Neo4jHttp _http;
    private readonly Neo4jStoreOptions _options;
    private readonly string _store;
    private readonly string _storeId;

    /// <summary>Writes of this process, one at a time (the meta node's lock orders them against other processes).</summary>
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly RelationSources _relationSources = new();
    private int _disposed;

    private Neo4jGraphStore(Neo4jHttp http, Neo4jStoreOptions options, string storeId, ILoggerFactory? loggers)
    {
        _http = http;
        _options = options;
        _store = options.Store;
        _storeId = storeId;
        Location = options.Describe();
        Graph = new Neo4jGraphReader(http, options.Store, _relationSources);
        Security = new Neo4jSecurity(http, options.Store);
        Indexes = new GraphIndexes(this, this, CachePath(options, storeId), loggers?.CreateLogger<GraphIndexes>());
    }

    /// <summary>The server's version, as <c>dbms.components()</c> reports it.</summary>
    public string ServerVersion => _http.Version;

    public string Location { get; }

    public GraphIndexes Indexes { get; }

    public Neo4jGraphReader Graph { get; }

    public Neo4jSecurity Security { get; }

    IDocumentWriter IGraphBackend.Writer => this;

    IDocumentReader IGraphBackend.Documents => this;

    IStoreStatistics IGraphBackend.Statistics => this;

    IAccessIndex IGraphBackend.Access => this;

    ISensitiveSpanBackfill IGraphBackend.Backfill => this;

    IGraphReader IGraphBackend.Graph => Graph;

    IApiKeyStore IGraphBackend.Keys => Security;

    IAuditLog IGraphBackend.Audit => Security;

    IStoreSecrets IGraphBackend.Secrets => Security;

    IChunkVectorStore? IGraphBackend.Vectors => this;

    /// <summary>
    /// Connects (discovery document, version check), creates the schema for the server's version, and opens the store
    /// named <see cref="Neo4jStoreOptions.Store"/>, creating its bookkeeping on first use. Fails with one line naming the
    /// problem: unreachable, authentication failed, unsupported version, another embedding model.
    /// </summary>
    public static async Task<Neo4jGraphStore> OpenAsync(
        Neo4jStoreOptions options, ILoggerFactory? loggers = null, HttpMessageHandler? handler = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var http = await Neo4jHttp.ConnectAsync(options, handler, null, loggers?.CreateLogger<Neo4jHttp>(), cancellationToken).ConfigureAwait(false);
        try
        {
            // Schema statements cannot share a transaction with writes; each is idempotent on its server version.
            foreach (var statement in Cypher.Schema(http.Major))
            {
                await http.RunAsync([new Statement(statement, Neo4jHttp.Empty)], cancellationToken).ConfigureAwait(false);
            }

            var init = await http.RunAsync(
                [
                    Cypher.Statement("meta-init", options.Store, ("storeId", Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)))),
                    Cypher.Statement("sequence-init", options.Store),
                ],
                cancellationToken).ConfigureAwait(false);
            var meta = init[0].Rows[0];
            if (options.VectorModel is { } model && options.CheckVectorModel && ReadModel(meta[2], meta[3]) is { } stored && stored != model)
            {
                throw new VectorModelMismatchException(options.Describe(), stored, model);
            }

            return new Neo4jGraphStore(http, options, meta[1].GetString()!, loggers);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>The cache file of the in-memory indexes: one per server, database and store, or none.</summary>
    private static string? CachePath(Neo4jStoreOptions options, string storeId)
    {
        if (string.IsNullOrWhiteSpace(options.IndexCacheFolder))
        {
            return null;
        }

        Directory.CreateDirectory(options.IndexCacheFolder);
        // The store id (random, made with the store) names the file, so a cache is never taken for another store's.
        return Path.Combine(options.IndexCacheFolder, $"neo4j-{storeId}.index");
    }

    internal static VectorModel? ReadModel(JsonElement id, JsonElement dimensions) =>
        id.ValueKind == JsonValueKind.String ? new VectorModel(id.GetString()!, dimensions.GetInt32()) : null;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await Indexes.DisposeAsync().ConfigureAwait(false);
        await _writeLock.WaitAsync().ConfigureAwait(false);
        _http.Dispose();
        _writeLock.Dispose();
    }

    /// <summary>Removes every node this store wrote, bookkeeping included (tests; dropping a store).</summary>
    public static async Task ClearAsync(Neo4jStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var http = await Neo4jHttp.ConnectAsync(options, null, null, null, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var result = await http.RunAsync([Cypher.Statement("store-clear", options.Store, ("batch", 10_000))], cancellationToken).ConfigureAwait(false);
            if (result[0].Rows[0][0].GetInt64() == 0)
            {
                return;
            }
        }
    }

    private Task<IReadOnlyList<StatementResult>> RunAsync(CancellationToken cancellationToken, params Statement[] statements) =>
        _http.RunAsync(statements, cancellationToken);

    private Statement Q(string name, params (string Name, object? Value)[] parameters) => Cypher.Statement(name, _store, parameters);

    public async Task<Document?> GetDocumentAsync(string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        var rows = (await RunAsync(cancellationToken, Q("document-get", ("id", documentId))).ConfigureAwait(false))[0].Rows;
        if (rows.Count == 0)
        {
            return null;
        }

        var r = rows[0];
        return new Document
        {
            Id = r[0].GetString()!,
            Source = r[1].GetString()!,
            Title = r[2].GetString()!,
            MediaType = r[3].GetString()!,
            ContentHash = r[4].GetString()!,
            Metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(r[5].GetString()!, Json) ?? [],
            Regions = JsonSerializer.Deserialize<List<DocumentRegion>>(r[6].GetString()!, Json) ?? [],
            Acl = Strings(r[7]),
            Text = r[8].GetString()!,
            Sensitive = r[9].ValueKind == JsonValueKind.String ? ReadSensitive(r[9].GetString()!) : null,
        };
    }

    public async Task<IReadOnlyDictionary<string, DocumentState>> GetDocumentStatesAsync(
        IReadOnlyCollection<string>? documentIds, CancellationToken cancellationToken = default)
    {
        var statement = documentIds is null ? Q("document-states-all") : Q("document-states", ("ids", documentIds.Distinct(StringComparer.Ordinal).ToList()));
        var rows = (await RunAsync(cancellationToken, statement).ConfigureAwait(false))[0].Rows;
        var states = new Dictionary<string, DocumentState>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            states[r[0].GetString()!] = new DocumentState(r[1].GetString()!, r[2].GetString()!);
        }

        return states;
    }

    public async Task<IReadOnlyList<DocumentSummary>> ListDocumentsAsync(DocumentListRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        (string, object?) limit = ("limit", Math.Clamp(request.Limit, 0, 10_000));
        (string, object?) offset = ("offset", Math.Max(0, request.Offset));
        var statement = request.Ids is null ? Q("document-list", limit, offset) : Q("document-list-ids", ("ids", request.Ids), limit, offset);
        var rows = (await RunAsync(cancellationToken, statement).ConfigureAwait(false))[0].Rows;
        return rows.Select(r => new DocumentSummary(r[0].GetString()!, r[1].GetString()!, r[2].GetString()!, r[3].GetString()!, r[4].GetInt32())).ToList();
    }

    public async Task<IReadOnlyList<Chunk>> GetChunksAsync(IReadOnlyCollection<string> chunkIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunkIds);
        if (chunkIds.Count == 0)
        {
            return [];
        }

        var rows = (await RunAsync(cancellationToken, Q("chunk-get", ("ids", chunkIds.Distinct(StringComparer.Ordinal).ToList()))).ConfigureAwait(false))[0].Rows;
        return rows.Select(ReadChunk).ToList();
    }

    public async Task<IReadOnlyList<Chunk>> GetDocumentChunksAsync(string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        var rows = (await RunAsync(cancellationToken, Q("chunk-of-document", ("id", documentId))).ConfigureAwait(false))[0].Rows;
        return rows.Select(ReadChunk).ToList();
    }

    private static Chunk ReadChunk(JsonElement[] r) => new()
    {
        Id = r[0].GetString()!,
        DocumentId = r[1].GetString()!,
        Ordinal = r[2].GetInt32(),
        Start = r[3].GetInt32(),
        End = r[4].GetInt32(),
        TokenCount = r[5].GetInt32(),
        Page = r[6].ValueKind == JsonValueKind.Number ? r[6].GetInt32() : null,
        Section = r[7].ValueKind == JsonValueKind.String ? r[7].GetString() : null,
        Text = r[8].GetString()!,
    };

    public async Task<StoreCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        var r = (await RunAsync(cancellationToken, Q("counts")).ConfigureAwait(false))[0].Rows[0];
        return new StoreCounts(r[0].GetInt64(), r[1].GetInt64(), r[2].GetInt64(), r[3].GetInt64());
    }

    public async Task<DocumentAccessList> GetAccessListAsync(CancellationToken cancellationToken = default)
    {
        // Generation first: ACLs read afterwards are at least that new, and a newer write shows up as a newer generation.
        var results = await RunAsync(cancellationToken, Q("meta-read"), Q("document-access")).ConfigureAwait(false);
        var generation = results[0].Rows[0][0].GetInt64();
        var documents = results[1].Rows
            .Select(r => new DocumentAccess(
                r[0].GetString()!,
                Strings(r[1]),
                PiiPolicy(r[2].GetString()!),
                r[3].ValueKind == JsonValueKind.String ? ReadSensitive(r[3].GetString()!) : null))
            .OrderBy(d => d.DocumentId, StringComparer.Ordinal)
            .ToList();
        return new DocumentAccessList(generation, documents);
    }

    private static string? PiiPolicy(string metadata) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(metadata, Json) is { } values && values.TryGetValue("pii.policy", out var policy) ? policy : null;

    public async Task<long> GetGenerationAsync(CancellationToken cancellationToken = default) =>
        (await RunAsync(cancellationToken, Q("meta-read")).ConfigureAwait(false))[0].Rows[0][0].GetInt64();

    public async Task<IReadOnlyList<(string DocumentId, string Text)>> GetUnscannedAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var rows = (await RunAsync(cancellationToken, Q("document-unscanned", ("limit", limit))).ConfigureAwait(false))[0].Rows;
        return rows.Select(r => (r[0].GetString()!, r[1].GetString()!)).ToList();
    }

    public async Task SetSensitiveAsync(IReadOnlyDictionary<string, IReadOnlyList<SensitiveSpan>> spans, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0)
        {
            return;
        }

        var rows = spans.Select(p => new Dictionary<string, object?> { ["id"] = p.Key, ["sensitive"] = JsonSerializer.Serialize(p.Value, Json) }).ToList();
        await WriteAsync(
            async tx =>
            {
                await tx.RunAsync([Q("meta-lock", ("token", Token())), Q("document-set-sensitive", ("rows", rows)), Q("generation-bump-unlogged")], cancellationToken)
                    .ConfigureAwait(false);
                return 0;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One write transaction of this process at a time, retried whole on a transient failure.</summary>
    private async Task<T> WriteAsync<T>(Func<Neo4jTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _http.InTransactionAsync(work, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Written to the meta node by each write: any value takes its write lock.</summary>
    private static string Token() => Guid.NewGuid().ToString("N");

    internal static IReadOnlyList<SensitiveSpan> ReadSensitive(string json) =>
        json == "[]" ? [] : JsonSerializer.Deserialize<List<SensitiveSpan>>(json, Json) ?? [];

    internal static List<string> Strings(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetString()!).ToList() : [];
}
