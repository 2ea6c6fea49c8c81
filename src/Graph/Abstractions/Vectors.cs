namespace GraphRag.Graph.Abstractions;

/// <summary>Nearest-neighbour search over chunk embeddings. Implemented by stores once an embedding provider is configured.</summary>
public interface IVectorIndex
{
    Task<IReadOnlyList<VectorHit>> SearchAsync(VectorQuery query, CancellationToken cancellationToken = default);
}

/// <param name="Vector">The query embedding.</param>
/// <param name="Limit">At most this many hits.</param>
public sealed record VectorQuery(ReadOnlyMemory<float> Vector, int Limit = 10)
{
    /// <summary>Restricts the search to these documents when not null (access control and filters).</summary>
    public IReadOnlyCollection<string>? DocumentIds { get; init; }
}

/// <summary>A chunk near the query; <see cref="Similarity"/> is cosine similarity in [-1, 1].</summary>
public sealed record VectorHit(string ChunkId, string DocumentId, double Similarity);

/// <summary>
/// An exact (brute-force) in-memory vector index: correct at any size, fast enough for tens of thousands of chunks,
/// and the reference the approximate indexes of larger stores are checked against. Thread-safe.
/// </summary>
public sealed class InMemoryVectorIndex : IVectorIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string DocumentId, float[] Unit)> _vectors = new(StringComparer.Ordinal);

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

    /// <summary>Adds or replaces a chunk's embedding.</summary>
    public void Upsert(string chunkId, string documentId, ReadOnlySpan<float> vector)
    {
        ArgumentException.ThrowIfNullOrEmpty(chunkId);
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        var unit = Normalise(vector);
        lock (_gate)
        {
            _vectors[chunkId] = (documentId, unit);
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
                .Where(p => p.Value.Unit.Length == probe.Length)
                .Select(p => new VectorHit(p.Key, p.Value.DocumentId, Dot(probe, p.Value.Unit)))
                .OrderByDescending(h => h.Similarity)
                .ThenBy(h => h.ChunkId, StringComparer.Ordinal)
                .Take(Math.Max(0, query.Limit))
                .ToList();
        }

        return Task.FromResult<IReadOnlyList<VectorHit>>(hits);
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
