using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Lexical;
using GraphRag.Graph.Traversal;

namespace GraphRag.Graph.Rows;

/// <summary>
/// The in-memory side of any store: the lexical index and the graph snapshot, loaded from the store's rows on first
/// use and kept current after that — a commit of this process is applied as it happens (the writer pays), and a read
/// that finds the store ahead (another process wrote) first replays just the documents its change log names. Either
/// way the work is in proportion to the change, not to the store. Thread-safe; one per store.
/// </summary>
public sealed class GraphIndexes : ILexicalIndex, ISnapshotSource, IDisposable
{
    private readonly IGraphRowSource _source;
    private readonly LexicalIndex _lexical = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile GraphSnapshot _snapshot = GraphSnapshot.Empty();

    public GraphIndexes(IGraphRowSource source, IChangeFeed? feed = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        feed?.Subscribe(Committed);
    }

    /// <summary>The generation the indexes reflect (-1 before the first load).</summary>
    public long Generation => _snapshot.Generation;

    public async Task<GraphSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default)
    {
        await EnsureCurrentAsync(cancellationToken).ConfigureAwait(false);
        return _snapshot;
    }

    public async Task<IReadOnlyList<LexicalHit>> SearchAsync(LexicalQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await EnsureCurrentAsync(cancellationToken).ConfigureAwait(false);
        return _lexical.Search(query);
    }

    /// <summary>Brings the indexes to the store's current generation: a full load the first time, a replay after.</summary>
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
            if (_snapshot.Generation >= generation)
            {
                return;
            }

            var reader = await _source.OpenReadAsync(cancellationToken).ConfigureAwait(false);
            await using var dispose = reader.ConfigureAwait(false);
            var current = _snapshot;
            var changed = current.Generation < 0 ? null : await reader.ChangedSinceAsync(current.Generation, cancellationToken).ConfigureAwait(false);
            if (changed is null)
            {
                await LoadAsync(reader, cancellationToken).ConfigureAwait(false);
                return;
            }

            var rows = new List<DocumentRows>();
            await foreach (var document in reader.ReadAsync(changed, cancellationToken).ConfigureAwait(false))
            {
                rows.Add(document);
            }

            Apply(reader.Generation, changed, rows);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads every document, a batch at a time, into fresh indexes.</summary>
    private async Task LoadAsync(IRowReader reader, CancellationToken cancellationToken)
    {
        const int Batch = 2048;
        _lexical.Clear();
        var snapshot = GraphSnapshot.Empty();
        var batch = new List<DocumentRows>(Batch);
        await foreach (var document in reader.ReadAsync(null, cancellationToken).ConfigureAwait(false))
        {
            batch.Add(document);
            if (batch.Count == Batch)
            {
                snapshot = Load(snapshot, batch);
                batch.Clear();
            }
        }

        snapshot = Load(snapshot, batch);
        _lexical.Apply(reader.Generation, [], []);
        _snapshot = snapshot.Apply(reader.Generation, [], []);
    }

    private GraphSnapshot Load(GraphSnapshot snapshot, List<DocumentRows> batch)
    {
        _lexical.Apply(-1, [], Analyse(batch));
        return snapshot.Apply(-1, [], batch);
    }

    /// <summary>A commit of this process: applied at once when the indexes were current before it.</summary>
    private void Committed(CommittedChange change)
    {
        if (_snapshot.Generation != change.Before || !_gate.Wait(0))
        {
            return;
        }

        try
        {
            if (_snapshot.Generation == change.Before)
            {
                Apply(change.After, change.Removed, change.Written.Select(DocumentRows.From).ToList());
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Apply(long generation, IReadOnlyCollection<string> removed, IReadOnlyList<DocumentRows> written)
    {
        _lexical.Apply(generation, removed, Analyse(written));
        _snapshot = _snapshot.Apply(generation, removed, written);
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

    public void Dispose()
    {
        _lexical.Dispose();
        _gate.Dispose();
    }
}
