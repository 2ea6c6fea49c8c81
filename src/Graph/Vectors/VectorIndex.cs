using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Lexical;
using GraphRag.Graph.Model;
using GraphRag.Graph.Rows;

namespace GraphRag.Graph.Vectors;

/// <summary>
/// Exact nearest-neighbour search over int8-quantised chunk vectors, in memory, kept apart per access partition as the
/// lexical index keeps its postings: every document with the same ACL lives in one partition, and a search scores only
/// the partitions the caller may read. What another tenant stores therefore changes neither a caller's hits nor the
/// work done for it (<see cref="VectorWork"/> counts the vectors scored). Each partition is one contiguous matrix
/// (row-major, <see cref="Dimensions"/> bytes a row) scored with a SIMD int8 dot product into a bounded heap.
/// Thread-safe: searches share a read lock; changes, applied after each commit, take the write lock.
/// </summary>
public sealed partial class VectorIndex : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, Partition> _partitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Partition> _documents = new(StringComparer.Ordinal);

    /// <summary>The store generation the index reflects.</summary>
    public long Generation { get; private set; } = -1;

    /// <summary>The vectors' length; 0 while the index is empty.</summary>
    public int Dimensions { get; private set; }

    /// <summary>Vectors held.</summary>
    public long Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _partitions.Values.Sum(p => p.LiveRows);
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>
    /// Removes the given documents' vectors, then adds those of <paramref name="added"/> (replacing any of the same
    /// document), and records the generation. A vector whose length differs from the index's is a broken contract.
    /// </summary>
    public void Apply(long generation, IEnumerable<string> removedDocumentIds, IEnumerable<DocumentRows> added)
    {
        ArgumentNullException.ThrowIfNull(removedDocumentIds);
        ArgumentNullException.ThrowIfNull(added);
        _lock.EnterWriteLock();
        try
        {
            foreach (var id in removedDocumentIds)
            {
                Remove(id);
            }

            foreach (var document in added)
            {
                Remove(document.DocumentId);
                if (document.Vectors.Count == 0)
                {
                    continue;
                }

                if (_documents.Count == 0)
                {
                    // An empty index takes the length of whatever comes (after a re-embed with another model, too).
                    Dimensions = document.Vectors[0].Dimensions;
                }

                foreach (var vector in document.Vectors)
                {
                    if (vector.Dimensions != Dimensions)
                    {
                        throw new ArgumentException(
                            $"Chunk {vector.ChunkId} has a vector of {vector.Dimensions} dimensions; the index holds {Dimensions}.", nameof(added));
                    }
                }

                var key = IndexedDocument.AclKeyOf(document.Acl);
                if (!_partitions.TryGetValue(key, out var partition))
                {
                    _partitions[key] = partition = new Partition(document.Acl.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(), Dimensions);
                }

                partition.Add(document.DocumentId, document.Vectors);
                _documents[document.DocumentId] = partition;
            }

            Generation = generation;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// The <see cref="VectorQuery.Limit"/> chunks most similar to the query vector (cosine, from the quantised
    /// vectors), best first, ties by chunk id. Only readable partitions are looked at, before any ranking.
    /// </summary>
    public IReadOnlyList<VectorHit> Search(VectorQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit <= 0)
        {
            return [];
        }

        var (probe, probeScale) = ChunkVector.Quantise(query.Vector.Span);
        _lock.EnterReadLock();
        try
        {
            if (Dimensions == 0)
            {
                return [];
            }

            if (probe.Length != Dimensions)
            {
                throw new ArgumentException(
                    $"The query vector has {probe.Length} dimensions; the index holds vectors of {Dimensions}.", nameof(query));
            }

            IReadOnlySet<string>? filter = query.DocumentIds is null
                ? null
                : query.DocumentIds as IReadOnlySet<string> ?? query.DocumentIds.ToHashSet(StringComparer.Ordinal);
            var top = new TopK(query.Limit);
            foreach (var partition in Readable(query, filter))
            {
                query.Work?.AddPartition();
                var scored = partition.Score(probe, probeScale, filter, top);
                query.Work?.AddVectors(scored);
            }

            return top.Drain();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// The stored vectors of the given chunks, as floats, in the order asked; chunks the index holds no vector for are
    /// left out. Each chunk is looked up in its document's partition only, so the caller names chunks it may read.
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<float>> VectorsOf(IReadOnlyList<StoredChunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        _lock.EnterReadLock();
        try
        {
            var vectors = new List<ReadOnlyMemory<float>>(chunks.Count);
            foreach (var chunk in chunks)
            {
                if (_documents.TryGetValue(chunk.DocumentId, out var partition) && partition.Vector(chunk.ChunkId) is { } vector)
                {
                    vectors.Add(vector);
                }
            }

            return vectors;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Empties the index.</summary>
    public void Clear()
    {
        _lock.EnterWriteLock();
        try
        {
            _partitions.Clear();
            _documents.Clear();
            Dimensions = 0;
            Generation = -1;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>
    /// The partitions the query may read: by ACL under an access filter; only those holding filtered documents under a
    /// document filter (found through the filter, so other partitions are never looked at). Sorted by ACL key so the
    /// order of work never depends on the order documents arrived in.
    /// </summary>
    private IEnumerable<Partition> Readable(VectorQuery query, IReadOnlySet<string>? filter)
    {
        IEnumerable<Partition> candidates = filter is null
            ? _partitions.Values
            : filter.Select(id => _documents.GetValueOrDefault(id)).OfType<Partition>().Distinct();
        if (query.CanReadAcl is { } canRead)
        {
            candidates = candidates.Where(p => canRead(p.Acl));
        }

        return candidates.OrderBy(p => p.AclKey, StringComparer.Ordinal);
    }

    private void Remove(string documentId)
    {
        if (!_documents.Remove(documentId, out var partition))
        {
            return;
        }

        partition.Remove(documentId);
        if (partition.LiveRows == 0)
        {
            _partitions.Remove(partition.AclKey);
        }

        if (_documents.Count == 0)
        {
            Dimensions = 0;
        }
    }

    /// <summary>
    /// The best k (chunk, document, similarity) seen so far: a min-heap whose root is the worst kept, so each further
    /// candidate costs one comparison unless it enters.
    /// </summary>
    private sealed class TopK(int k)
    {
        private readonly PriorityQueue<VectorHit, VectorHit> _heap = new(Math.Min(k, 4096), WorstFirst.Instance);

        public bool Accepts(double similarity) => _heap.Count < k || similarity >= _heap.Peek().Similarity;

        public void Offer(VectorHit hit)
        {
            if (_heap.Count < k)
            {
                _heap.Enqueue(hit, hit);
            }
            else if (WorstFirst.Instance.Compare(hit, _heap.Peek()) > 0)
            {
                _heap.EnqueueDequeue(hit, hit);
            }
        }

        public List<VectorHit> Drain()
        {
            var hits = new List<VectorHit>(_heap.Count);
            while (_heap.TryDequeue(out var hit, out _))
            {
                hits.Add(hit);
            }

            hits.Reverse();
            return hits;
        }

        /// <summary>Lower similarity first; among equals, the later chunk id (so the earlier one is kept).</summary>
        private sealed class WorstFirst : IComparer<VectorHit>
        {
            public static readonly WorstFirst Instance = new();

            public int Compare(VectorHit? x, VectorHit? y)
            {
                var bySimilarity = x!.Similarity.CompareTo(y!.Similarity);
                return bySimilarity != 0 ? bySimilarity : string.CompareOrdinal(y.ChunkId, x.ChunkId);
            }
        }
    }
}
