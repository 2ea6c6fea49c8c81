using GraphRag.Graph.Model;

namespace GraphRag.Graph.Abstractions;

/// <summary>
/// Nearest-neighbour search over chunk embeddings: the in-memory indexes of any store (<c>GraphIndexes</c>), or the
/// exact <see cref="InMemoryVectorIndex"/> of tests.
/// </summary>
public interface IVectorIndex
{
    Task<IReadOnlyList<VectorHit>> SearchAsync(VectorQuery query, CancellationToken cancellationToken = default);
}

/// <summary>
/// The chunk vectors a store already holds, read back by chunk: a query can build a later round's vector from the
/// evidence it has found (those chunks' vectors) instead of asking the embedding model again.
/// </summary>
public interface IStoredVectorReader
{
    /// <summary>
    /// The stored vectors of <paramref name="chunks"/> (unit length up to quantisation), in the order asked; chunks without
    /// a vector are left out. Callers name only chunks they may read (found by their own scoped searches).
    /// </summary>
    Task<IReadOnlyList<ReadOnlyMemory<float>>> GetVectorsAsync(IReadOnlyList<StoredChunk> chunks, CancellationToken cancellationToken = default);
}

/// <summary>A chunk and the document it belongs to.</summary>
public sealed record StoredChunk(string ChunkId, string DocumentId);

/// <param name="Vector">The query embedding (normalised by the index).</param>
/// <param name="Limit">At most this many hits.</param>
public sealed record VectorQuery(ReadOnlyMemory<float> Vector, int Limit = 10)
{
    /// <summary>Restricts the search to these documents when not null (a filter, or access by document).</summary>
    public IReadOnlyCollection<string>? DocumentIds { get; init; }

    /// <summary>
    /// Access control: only documents whose ACL this accepts are searched, decided per access partition before any
    /// vector is scored, so what the caller cannot read costs it nothing and can never be ranked. Null reads everything.
    /// </summary>
    public Func<IReadOnlyList<string>, bool>? CanReadAcl { get; init; }

    /// <summary>Counts the work this search does, when not null (tests and diagnostics).</summary>
    public VectorWork? Work { get; init; }
}

/// <summary>
/// The work one vector search did: access partitions read and vectors scored. It depends only on what the searcher may
/// read, which is what tests of tenant non-interference assert. Thread-safe.
/// </summary>
public sealed class VectorWork
{
    private long _partitions;
    private long _vectors;

    public long Partitions => Interlocked.Read(ref _partitions);

    /// <summary>Vectors scored against the query.</summary>
    public long Vectors => Interlocked.Read(ref _vectors);

    public void AddPartition() => Interlocked.Increment(ref _partitions);

    public void AddVectors(long count) => Interlocked.Add(ref _vectors, count);
}

/// <summary>
/// A store's chunk vectors, for ingestion and re-embedding. Vectors are written and deleted with their document
/// (<see cref="DocumentBundle.Vectors"/>); these are the few operations beyond that.
/// </summary>
public interface IChunkVectorStore
{
    /// <summary>The model the stored vectors were made with; null while the store holds none.</summary>
    Task<VectorModel?> GetVectorModelAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stored vectors whose embedded text had one of these hashes (one per hash; absent hashes are missing), so
    /// unchanged text is never embedded again. Empty when embeddings are off.
    /// </summary>
    Task<IReadOnlyDictionary<string, ChunkVector>> GetVectorsByTextHashAsync(
        IReadOnlyCollection<string> textHashes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes every stored vector and records <paramref name="model"/> as the store's model, in one transaction: the
    /// first step of re-embedding a store with another model. The indexes drop the vectors on their next read.
    /// </summary>
    Task ResetVectorModelAsync(VectorModel model, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces all vectors of a stored document (of the store's model) in one transaction; false when no such
    /// document exists. Each vector must belong to one of the document's chunks.
    /// </summary>
    Task<bool> ReplaceVectorsAsync(string documentId, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken = default);
}

/// <summary>A chunk near the query; <see cref="Similarity"/> is cosine similarity in [-1, 1].</summary>
public sealed record VectorHit(string ChunkId, string DocumentId, double Similarity);

/// <summary>
/// An exact (brute-force) in-memory vector index: correct at any size, fast enough for tens of thousands of chunks,
/// and the reference the approximate indexes of larger stores are checked against. Thread-safe.
/// </summary>
public sealed class InMemoryVectorIndex : IVectorIndex, IStoredVectorReader
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string DocumentId, IReadOnlyList<string> Acl, float[] Unit)> _vectors = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _vectors.Count;
            }
        }
    }

    /// <summary>Adds or replaces a chunk's embedding; <paramref name="acl"/> is its document's (empty: readable by all).</summary>
    public void Upsert(string chunkId, string documentId, ReadOnlySpan<float> vector, IReadOnlyList<string>? acl = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(chunkId);
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        var unit = Normalise(vector);
        lock (_gate)
        {
            _vectors[chunkId] = (documentId, acl ?? [], unit);
        }
    }

    /// <summary>Removes every embedding of a document.</summary>
    public void RemoveDocument(string documentId)
    {
        lock (_gate)
        {
            foreach (var key in _vectors.Where(p => p.Value.DocumentId == documentId).Select(p => p.Key).ToList())
            {
                _vectors.Remove(key);
            }
        }
    }

    public Task<IReadOnlyList<VectorHit>> SearchAsync(VectorQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var probe = Normalise(query.Vector.Span);
        List<VectorHit> hits;
        lock (_gate)
        {
            hits = _vectors
                .Where(p => query.DocumentIds is null || query.DocumentIds.Contains(p.Value.DocumentId))
                .Where(p => query.CanReadAcl is null || query.CanReadAcl(p.Value.Acl))
                .Where(p => p.Value.Unit.Length == probe.Length)
                .Select(p => new VectorHit(p.Key, p.Value.DocumentId, Dot(probe, p.Value.Unit)))
                .OrderByDescending(h => h.Similarity)
                .ThenBy(h => h.ChunkId, StringComparer.Ordinal)
                .Take(Math.Max(0, query.Limit))
                .ToList();
        }

        return Task.FromResult<IReadOnlyList<VectorHit>>(hits);
    }

    public Task<IReadOnlyList<ReadOnlyMemory<float>>> GetVectorsAsync(IReadOnlyList<StoredChunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var found = new List<ReadOnlyMemory<float>>(chunks.Count);
            foreach (var chunk in chunks)
            {
                if (_vectors.TryGetValue(chunk.ChunkId, out var held) && held.DocumentId == chunk.DocumentId)
                {
                    found.Add(held.Unit.ToArray());
                }
            }

            return Task.FromResult<IReadOnlyList<ReadOnlyMemory<float>>>(found);
        }
    }

    private static float[] Normalise(ReadOnlySpan<float> vector)
    {
        var unit = vector.ToArray();
        var norm = Math.Sqrt(Dot(unit, unit));
        if (norm > 0)
        {
            for (var i = 0; i < unit.Length; i++)
            {
                unit[i] = (float)(unit[i] / norm);
            }
        }

        return unit;
    }

    private static double Dot(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * (double)b[i];
        }

        return sum;
    }
}
