using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Lexical;
using GraphRag.Graph.Persistence;
using GraphRag.Graph.Synonyms;
using System.Diagnostics;
using GraphRag.Graph.Traversal;
using GraphRag.Graph.Vectors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GraphRag.Graph.Rows;

/// <summary>
/// The in-memory side of any store: the lexical index, the vector index and the graph snapshot. On first use they come from the index
/// file beside the store when it is current enough, else from the store's rows; after that they stay current — a
/// commit of this process is applied as it happens (the writer pays), and a read that finds the store ahead (another
/// process wrote) first replays just the documents the store's change log names. Either way the work is in proportion
/// to the change, not to the store. The file is rewritten after a full load and when the indexes are disposed.
/// Thread-safe; one per store.
/// </summary>
public sealed partial class GraphIndexes : ILexicalIndex, IVectorIndex, IStoredVectorReader, ISnapshotSource, IAsyncDisposable
{
    /// <summary>Spans for the graph assembly's own work: loads, catch-ups and saves of the indexes.</summary>
    public static readonly ActivitySource Activity = new("GraphRag.Graph");

    private readonly IGraphRowSource _source;
    private readonly string? _cachePath;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<CommittedChange> _pending = [];
    private int _pendingDocuments;
    private volatile LexicalIndex _lexical = new();
    private volatile VectorIndex _vectors = new();
    private volatile GraphSnapshot _snapshot = GraphSnapshot.Empty();
    private volatile SynonymIndex _synonyms = new();
    private long _savedGeneration = -1;
    private long _savedSynonymGeneration = -1;
    private Task _saving = Task.CompletedTask;
    private Task _applying = Task.CompletedTask;
    private readonly HeapCompaction _compaction = new(TimeProvider.System);

    /// <param name="source">The store's rows.</param>
    /// <param name="feed">The store's commits, when it reports them (the in-process fast path).</param>
    /// <param name="cachePath">Where to keep the index file; null keeps the indexes in memory only.</param>
    /// <param name="logger">Where loads, catch-ups and saves are logged.</param>
    public GraphIndexes(IGraphRowSource source, IChangeFeed? feed = null, string? cachePath = null, ILogger<GraphIndexes>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _cachePath = cachePath;
        _logger = logger ?? NullLogger<GraphIndexes>.Instance;
        feed?.Subscribe(Committed);
    }

    /// <summary>The generation the indexes reflect (-1 before the first load).</summary>
    public long Generation => _snapshot.Generation;

    /// <summary>How the indexes were last loaded: <c>file</c>, <c>rows</c> or <c>none</c> yet.</summary>
    public string LoadedFrom { get; private set; } = "none";

    /// <summary>How many times a read caught up by reading changed documents back from the store (writes of other processes).</summary>
    public int ChangeLogCatchUps { get; private set; }

    /// <summary>How many times applying changes ended with a compacting collection (see <see cref="HeapCompaction"/>).</summary>
    public int HeapCompactions => _compaction.Compactions;

    /// <summary>What those compactions took, all threads stopped.</summary>
    public TimeSpan HeapCompactionPause => _compaction.TotalPause;

    public async Task<GraphSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default)
    {
        await EnsureCurrentAsync(cancellationToken).ConfigureAwait(false);
        await EnsureSynonymsAsync(cancellationToken).ConfigureAwait(false);
        return _snapshot;
    }

    public async Task<IReadOnlyList<LexicalHit>> SearchAsync(LexicalQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await EnsureCurrentAsync(cancellationToken).ConfigureAwait(false);
        return _lexical.Search(query);
    }

    /// <summary>Exact search over the chunk vectors, scoped by ACL partition before anything is scored.</summary>
    public async Task<IReadOnlyList<VectorHit>> SearchAsync(VectorQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await EnsureCurrentAsync(cancellationToken).ConfigureAwait(false);
        return _vectors.Search(query);
    }

    public async Task<IReadOnlyList<ReadOnlyMemory<float>>> GetVectorsAsync(IReadOnlyList<StoredChunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        await EnsureCurrentAsync(cancellationToken).ConfigureAwait(false);
        return _vectors.VectorsOf(chunks);
    }

    /// <summary>How many chunk vectors the indexes hold (after catching up with the store).</summary>
    public async Task<long> CountVectorsAsync(CancellationToken cancellationToken = default)
    {
        await EnsureCurrentAsync(cancellationToken).ConfigureAwait(false);
        return _vectors.Count;
    }

    /// <summary>Brings the indexes to the store's current generation: a load the first time, a replay after.</summary>
    public async Task EnsureCurrentAsync(CancellationToken cancellationToken = default)
    {
        var generation = await _source.GetGenerationAsync(cancellationToken).ConfigureAwait(false);
        if (_snapshot.Generation >= generation)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ApplyPending();
            if (_snapshot.Generation >= generation)
            {
                return;
            }

            var reader = await _source.OpenReadAsync(cancellationToken).ConfigureAwait(false);
            await using var dispose = reader.ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            if (_snapshot.Generation < 0)
            {
                using var fileActivity = Activity.StartActivity("indexes.load-file");
                await TryLoadFileAsync(reader, cancellationToken).ConfigureAwait(false);
                if (_snapshot.Generation >= 0)
                {
                    LogLoaded(_logger, "file", _snapshot.Generation, clock.ElapsedMilliseconds);
                }
            }

            var current = _snapshot;
            var changed = current.Generation < 0 ? null : await reader.ChangedSinceAsync(current.Generation, cancellationToken).ConfigureAwait(false);
            if (changed is null)
            {
                using (Activity.StartActivity("indexes.load-rows"))
                {
                    await LoadAsync(reader, cancellationToken).ConfigureAwait(false);
                }

                LogLoaded(_logger, "rows", _snapshot.Generation, clock.ElapsedMilliseconds);
                ApplyPending();
                // The next process starts from the file, not from the rows.
                _saving = Task.Run(() => SaveAsync(CancellationToken.None), CancellationToken.None);
                return;
            }

            using var activity = Activity.StartActivity("indexes.catch-up");
            var rows = new List<DocumentRows>();
            await foreach (var document in reader.ReadAsync(changed, cancellationToken).ConfigureAwait(false))
            {
                rows.Add(document);
            }

            Apply(reader.Generation, changed, rows);
            ChangeLogCatchUps++;
            LogCaughtUp(_logger, changed.Count, reader.Generation, clock.ElapsedMilliseconds);
            ApplyPending();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Writes the index file when the indexes moved on since it was last written (or read).</summary>
    public async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        if (_cachePath is null)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ApplyPending();
            var snapshot = _snapshot;
            var synonymGeneration = _synonyms.Current.Generation;
            if (snapshot.Generation < 0 || (snapshot.Generation == _savedGeneration && synonymGeneration == _savedSynonymGeneration))
            {
                return;
            }

            var reader = await _source.OpenReadAsync(cancellationToken).ConfigureAwait(false);
            await using var dispose = reader.ConfigureAwait(false);
            if (await reader.FingerprintAsync(snapshot.Generation, cancellationToken).ConfigureAwait(false) is not { } fingerprint)
            {
                return;
            }

            try
            {
                using var activity = Activity.StartActivity("indexes.save");
                var clock = Stopwatch.StartNew();
                IndexFile.Save(_cachePath, fingerprint, snapshot, _lexical, _vectors, _synonyms);
                _savedGeneration = snapshot.Generation;
                _savedSynonymGeneration = synonymGeneration;
                LogSaved(_logger, _cachePath, snapshot.Generation, clock.ElapsedMilliseconds);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A cache that cannot be written (read-only folder, full disk) only costs the next start a full load.
                LogNotSaved(_logger, ex, _cachePath);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Takes the index file when it belongs to this store at a generation the change log still covers.</summary>
    private async Task TryLoadFileAsync(IRowReader reader, CancellationToken cancellationToken)
    {
        if (_cachePath is null || IndexFile.Peek(_cachePath) is not { } saved || saved.Generation > reader.Generation
            || await reader.FingerprintAsync(saved.Generation, cancellationToken).ConfigureAwait(false) != saved.Fingerprint)
        {
            return;
        }

        try
        {
            var (snapshot, lexical, vectors, synonyms) = IndexFile.Load(_cachePath);
            if (snapshot.Generation != saved.Generation || lexical.Generation != saved.Generation || vectors.Generation != saved.Generation)
            {
                return;
            }

            _lexical = lexical;
            _vectors = vectors;
            _synonyms = synonyms;
            _snapshot = snapshot;
            _savedGeneration = saved.Generation;
            _savedSynonymGeneration = synonyms.Current.Generation;
            LoadedFrom = "file";
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or IndexOutOfRangeException)
        {
            // A damaged file is ignored; the rows are the truth.
            LogIgnored(_logger, ex, _cachePath);
        }
    }

    /// <summary>Reads every document, a batch at a time, into fresh indexes.</summary>
    private async Task LoadAsync(IRowReader reader, CancellationToken cancellationToken)
    {
        const int Batch = 2048;
        var lexical = new LexicalIndex();
        var vectors = new VectorIndex();
        var snapshot = GraphSnapshot.Empty();
        var batch = new List<DocumentRows>(Batch);
        await foreach (var document in reader.ReadAsync(null, cancellationToken).ConfigureAwait(false))
        {
            batch.Add(document);
            if (batch.Count == Batch)
            {
                lexical.Apply(-1, [], Analyse(batch));
                vectors.Apply(-1, [], batch);
                snapshot = snapshot.Apply(-1, [], batch);
                batch.Clear();
                Compact();
            }
        }

        lexical.Apply(reader.Generation, [], Analyse(batch));
        vectors.Apply(reader.Generation, [], batch);
        _lexical = lexical;
        _vectors = vectors;
        // The name vectors held so far stay: the next synonym update keeps those of entities still live.
        _snapshot = snapshot.Apply(reader.Generation, [], batch).WithSynonyms(_synonyms.Current);
        LoadedFrom = "rows";
    }

    /// <summary>How many documents this process's commits may change before the writer applies them to the indexes.</summary>
    private const int PendingLimit = 512;

    /// <summary>
    /// A commit of this process. Commits are gathered and applied together — on the thread pool once they change
    /// <see cref="PendingLimit"/> documents, or by the next read or save before it — so a bulk load rebuilds a busy
    /// entity once per few hundred documents rather than once per small batch, and no read ever needs the change log
    /// for what this process wrote. The committing writer does not wait for the indexes: on two cores the apply runs
    /// beside the next batch's SQL (it was about a sixth of the writer's time in a bulk load).
    /// </summary>
    private void Committed(CommittedChange change)
    {
        int pending;
        lock (_pending)
        {
            _pending.Add(change);
            pending = _pendingDocuments += change.Written.Count + change.Removed.Count;
            if (pending < PendingLimit || !_applying.IsCompleted)
            {
                // A running apply takes these too when it finishes, or the next commit over the limit starts one.
                return;
            }

            _applying = Task.Run(ApplyInBackgroundAsync);
        }
    }

    private async Task ApplyInBackgroundAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            ApplyPending();
        }
        catch (Exception ex)
        {
            // The commits stay in the store and its change log: the next read that finds the indexes behind catches up.
            LogApplyFailed(_logger, ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Applies the gathered commits that follow on from the indexes' generation, as one change: each document as its
    /// last commit left it. Commits already in the indexes are skipped; after a gap (a commit the indexes never saw)
    /// the rest wait for a read to catch up from the change log. Callers hold the gate.
    /// </summary>
    private void ApplyPending()
    {
        List<CommittedChange> changes;
        lock (_pending)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            changes = [.. _pending];
            _pending.Clear();
            _pendingDocuments = 0;
        }

        var generation = _snapshot.Generation;
        if (generation < 0)
        {
            // Not loaded yet: the load reads whatever these commits wrote.
            return;
        }

        var after = generation;
        var removed = new HashSet<string>(StringComparer.Ordinal);
        var written = new Dictionary<string, Model.DocumentBundle>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (change.After <= after)
            {
                continue;
            }

            if (change.Before != after)
            {
                break;
            }

            foreach (var id in change.Removed)
            {
                removed.Add(id);
                written.Remove(id);
            }

            foreach (var bundle in change.Written)
            {
                written[bundle.Document.Id] = bundle;
            }

            after = change.After;
        }

        if (after > generation)
        {
            Apply(after, removed, written.Values.Select(DocumentRows.From).ToList());
        }
    }

    private void Apply(long generation, IReadOnlyCollection<string> removed, IReadOnlyList<DocumentRows> written)
    {
        _lexical.Apply(generation, removed, Analyse(written));
        _vectors.Apply(generation, removed, written);
        _snapshot = _snapshot.Apply(generation, removed, written);
        Compact();
    }

    private void Compact()
    {
        if (_compaction.AfterChange() is { } report)
        {
            LogCompacted(_logger, report.HeapBeforeMb, report.HeapAfterMb, (long)report.Pause.TotalMilliseconds);
        }
    }

    private static IndexedDocument[] Analyse(IReadOnlyList<DocumentRows> documents)
    {
        var analysed = new IndexedDocument[documents.Count];
        Parallel.For(0, documents.Count, i =>
        {
            var rows = documents[i];
            analysed[i] = IndexedDocument.Create(rows.DocumentId, rows.Title, rows.Acl, rows.Chunks.Select(c => (c.ChunkId, c.Text)));
        });
        return analysed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Compacted the heap after applying a change: {BeforeMb} MB to {AfterMb} MB in {Milliseconds} ms")]
    private static partial void LogCompacted(ILogger logger, long beforeMb, long afterMb, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Indexes loaded from {Source} at generation {Generation} in {Milliseconds} ms")]
    private static partial void LogLoaded(ILogger logger, string source, long generation, long milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Indexes caught up with {Documents} changed documents to generation {Generation} in {Milliseconds} ms")]
    private static partial void LogCaughtUp(ILogger logger, int documents, long generation, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Index file {Path} written at generation {Generation} in {Milliseconds} ms")]
    private static partial void LogSaved(ILogger logger, string path, long generation, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Applying this process's commits to the indexes failed; the next read catches up from the store")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index file {Path} could not be written; the next start reads the rows")]
    private static partial void LogNotSaved(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index file {Path} is damaged and was ignored; the rows are read instead")]
    private static partial void LogIgnored(ILogger logger, Exception exception, string path);

    /// <summary>Finishes a save under way and writes the file if the indexes moved on since.</summary>
    public async ValueTask DisposeAsync()
    {
        Task applying;
        lock (_pending)
        {
            applying = _applying;
        }

        await applying.ConfigureAwait(false);
        await _saving.ConfigureAwait(false);
        await SaveAsync().ConfigureAwait(false);
        _lexical.Dispose();
        _vectors.Dispose();
        _gate.Dispose();
    }
}
