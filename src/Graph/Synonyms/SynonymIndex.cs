using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Rows;
using GraphRag.Graph.Traversal;
using GraphRag.Graph.Vectors;

namespace GraphRag.Graph.Synonyms;

/// <summary>
/// The name vectors behind the synonym edges, kept current with the snapshot: each eligible entity's key is embedded
/// once, held int8-quantised in a <see cref="VectorIndex"/> (one partition: a name vector is no one's document, and who
/// may walk an edge is decided per query by the caller's mask), and matched against every other key. An edge is any
/// pair above the threshold, so it depends on the two keys alone: an index grown write by write holds the edges a fresh
/// build would (up to <see cref="EntitySynonymOptions.MaxNeighbours"/>), and an entity's removal takes its edges along.
/// One writer (the indexes' gate); publishes immutable <see cref="SynonymEdges"/>.
/// </summary>
internal sealed partial class SynonymIndex : IDisposable
{
    private VectorIndex _names = new();
    // What is embedded: entity id → key.
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _keyUses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, double>> _edges = new(StringComparer.Ordinal);

    /// <summary>The embedding model of the name vectors; empty while there are none.</summary>
    public string ModelId { get; private set; } = string.Empty;

    /// <summary>The settings the edges were matched under (<see cref="Signature"/>).</summary>
    public string Settings { get; private set; } = string.Empty;

    /// <summary>The edges as last made.</summary>
    public SynonymEdges Current { get; private set; } = SynonymEdges.None;

    /// <summary>Name vectors held.</summary>
    public int NameCount => _keys.Count;

    /// <summary>
    /// Brings the name vectors and edges to <paramref name="snapshot"/>: entities gone (or no longer eligible) lose
    /// their vector and edges; new ones are embedded in batches and matched against all. Nothing changes until every
    /// new name is embedded, so a cancelled update leaves the last edges in place.
    /// </summary>
    public async Task<SynonymEdges> UpdateAsync(
        GraphSnapshot snapshot, IEntityNameEmbedder embedder, EntitySynonymOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(options);
        if (ModelId != embedder.ModelId)
        {
            Reset();
        }

        var settings = Signature(options);
        var rematch = Settings != settings;
        var excluded = options.ExcludedTypes.ToHashSet(StringComparer.Ordinal);
        var live = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entity in snapshot.EntityStates)
        {
            if (entity is not null && entity.Key.Length >= options.MinKeyLength && !excluded.Contains(entity.Type))
            {
                live[entity.Id] = entity.Key;
            }
        }

        var removed = _keys.Keys.Where(id => !live.ContainsKey(id)).ToList();
        var added = live.Where(p => !_keys.ContainsKey(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var texts = added.Select(p => p.Value).Distinct(StringComparer.Ordinal).ToList();
        var vectors = new Dictionary<string, ReadOnlyMemory<float>>(StringComparer.Ordinal);
        for (var start = 0; start < texts.Count; start += options.BatchSize)
        {
            var batch = texts.GetRange(start, Math.Min(options.BatchSize, texts.Count - start));
            var embedded = await embedder.EmbedNamesAsync(batch, cancellationToken).ConfigureAwait(false);
            if (embedded.Count != batch.Count)
            {
                throw new InvalidOperationException($"The name embedder returned {embedded.Count} vectors for {batch.Count} names.");
            }

            for (var i = 0; i < batch.Count; i++)
            {
                vectors[batch[i]] = embedded[i];
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        ModelId = embedder.ModelId;
        foreach (var id in removed)
        {
            Forget(id);
        }

        _names.Apply(snapshot.Generation, removed, added.Select(p => Row(p.Key, vectors[p.Value])).ToList());
        foreach (var (id, key) in added)
        {
            _keys[id] = key;
            _keyUses[key] = _keyUses.GetValueOrDefault(key) + 1;
        }

        if (rematch)
        {
            // Other settings: the vectors stand, every edge is matched again.
            _edges.Clear();
            Match(_keys.Keys.Order(StringComparer.Ordinal).Select(id => (id, (ReadOnlyMemory<float>)_names.VectorOf(id)!)).ToList(), options);
            Settings = settings;
        }
        else
        {
            Match(added.Select(p => (p.Key, vectors[p.Value])).ToList(), options);
        }

        return Current = Publish(snapshot.Generation);
    }

    public void Dispose() => _names.Dispose();

    /// <summary>What the edges depend on besides the names: matching under other settings starts over.</summary>
    internal static string Signature(EntitySynonymOptions options) => string.Join(
        '|',
        options.Threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        options.MaxNeighbours.ToString(System.Globalization.CultureInfo.InvariantCulture),
        options.MinKeyLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
        string.Join(',', options.ExcludedTypes.Order(StringComparer.Ordinal)));

    /// <summary>
    /// Finds, for each probe, every other entity above the threshold (nearest first, at most MaxNeighbours, besides
    /// entities of the very same key, which key lookup already joins) and records the edge both ways.
    /// </summary>
    private void Match(List<(string Id, ReadOnlyMemory<float> Vector)> probes, EntitySynonymOptions options)
    {
        var found = new List<VectorHit>[probes.Count];
        Parallel.For(0, probes.Count, i =>
        {
            var (id, vector) = probes[i];
            var key = _keys[id];
            var hits = _names.Search(new VectorQuery(vector, options.MaxNeighbours + _keyUses[key]));
            found[i] = hits.Where(h => h.Similarity >= options.Threshold && _keys[h.ChunkId] != key).Take(options.MaxNeighbours).ToList();
        });

        for (var i = 0; i < probes.Count; i++)
        {
            foreach (var hit in found[i])
            {
                var similarity = Math.Round(hit.Similarity, 4);
                Link(probes[i].Id, hit.ChunkId, similarity);
                Link(hit.ChunkId, probes[i].Id, similarity);
            }
        }
    }

    private void Link(string from, string to, double similarity)
    {
        if (!_edges.TryGetValue(from, out var edges))
        {
            _edges[from] = edges = new Dictionary<string, double>(StringComparer.Ordinal);
        }

        edges[to] = similarity;
    }

    private void Forget(string id)
    {
        var key = _keys[id];
        _keys.Remove(id);
        if (--_keyUses[key] == 0)
        {
            _keyUses.Remove(key);
        }

        if (_edges.Remove(id, out var edges))
        {
            foreach (var other in edges.Keys)
            {
                if (_edges.TryGetValue(other, out var back) && back.Remove(id) && back.Count == 0)
                {
                    _edges.Remove(other);
                }
            }
        }
    }

    private void Reset()
    {
        _names.Dispose();
        _names = new VectorIndex();
        _keys.Clear();
        _keyUses.Clear();
        _edges.Clear();
        Settings = string.Empty;
        Current = SynonymEdges.None;
    }

    private SynonymEdges Publish(long generation) => new(
        generation,
        _edges.ToDictionary(
            p => p.Key,
            p => p.Value.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new SimilarEntity(e.Key, e.Value)).ToArray(),
            StringComparer.Ordinal));

    /// <summary>A name vector as the vector index holds it: a "document" of one "chunk", both the entity id.</summary>
    private static DocumentRows Row(string entityId, ReadOnlyMemory<float> vector) =>
        new(entityId, string.Empty, [], [], [], [], []) { Vectors = [ChunkVector.Create(entityId, string.Empty, vector.Span)] };
}
