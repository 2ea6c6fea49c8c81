using GraphRag.Graph.Model;
using GraphRag.Graph.Traversal;
using GraphRag.Graph.Vectors;

namespace GraphRag.Graph.Synonyms;

/// <summary>
/// The name vectors behind the synonym edges, kept current with the snapshot. Each eligible entity's key is embedded
/// once and held int8-quantised (<see cref="ChunkVector.Quantise"/>, scored with <see cref="Int8Dot"/> as the chunk
/// vectors are). Candidates are the keys whose words contain, or are contained in, one another's ("tidewater" and
/// "tidewater robotics"): on short names arctic-embed-xs scores unrelated pairs above 0.9 by the thousand, while pairs
/// in a word-subset relation above the threshold are mostly one thing named longer or shorter. An edge is any such
/// pair at or above the threshold, so it depends on the two keys alone: an index grown write by write holds the edges a
/// fresh build would, an entity's removal takes its edges along, and the edge says nothing a caller who sees both ends
/// does not already see. One writer (the indexes' gate); publishes immutable <see cref="SynonymEdges"/>.
/// </summary>
internal sealed partial class SynonymIndex
{
    // What is embedded: entity id → key and quantised vector.
    private readonly Dictionary<string, NameVector> _names = new(StringComparer.Ordinal);
    // word → ids of embedded entities whose key has it.
    private readonly Dictionary<string, HashSet<string>> _words = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, double>> _edges = new(StringComparer.Ordinal);

    /// <summary>The embedding model of the name vectors; empty while there are none.</summary>
    public string ModelId { get; private set; } = string.Empty;

    /// <summary>The settings the edges were matched under (<see cref="Signature"/>).</summary>
    public string Settings { get; private set; } = string.Empty;

    /// <summary>The edges as last made.</summary>
    public SynonymEdges Current { get; private set; } = SynonymEdges.None;

    /// <summary>Name vectors held.</summary>
    public int NameCount => _names.Count;

    /// <summary>
    /// Brings the name vectors and edges to <paramref name="snapshot"/>: entities gone (or no longer eligible) lose
    /// their vector and edges; new ones are embedded in batches and matched. Nothing changes until every new name is
    /// embedded, so a cancelled update leaves the last edges in place.
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
        var excluded = options.ExcludedTypes.ToHashSet(StringComparer.Ordinal);
        var live = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entity in snapshot.EntityStates)
        {
            if (entity is not null && entity.Key.Length >= options.MinKeyLength && !excluded.Contains(entity.Type))
            {
                live[entity.Id] = entity.Key;
            }
        }

        var removed = _names.Keys.Where(id => !live.ContainsKey(id)).ToList();
        var added = live.Where(p => !_names.ContainsKey(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var texts = added.Select(p => p.Value).Distinct(StringComparer.Ordinal).ToList();
        var vectors = new Dictionary<string, (sbyte[] Values, float Scale)>(StringComparer.Ordinal);
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
                vectors[batch[i]] = ChunkVector.Quantise(embedded[i].Span);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        ModelId = embedder.ModelId;
        foreach (var id in removed)
        {
            Forget(id);
        }

        foreach (var (id, key) in added)
        {
            var (values, scale) = vectors[key];
            _names[id] = new NameVector(key, values, scale);
            foreach (var word in Words(key))
            {
                if (!_words.TryGetValue(word, out var ids))
                {
                    _words[word] = ids = new HashSet<string>(StringComparer.Ordinal);
                }

                ids.Add(id);
            }
        }

        if (Settings != settings)
        {
            // Other settings: the vectors stand, every edge is matched again.
            _edges.Clear();
            Match([.. _names.Keys.Order(StringComparer.Ordinal)], options);
            Settings = settings;
        }
        else
        {
            Match([.. added.Select(p => p.Key)], options);
        }

        return Current = Publish(snapshot.Generation);
    }

    /// <summary>What the edges depend on besides the names: matching under other settings starts over.</summary>
    internal static string Signature(EntitySynonymOptions options) => string.Join(
        '|',
        "subset",
        options.Threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        options.MinKeyLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
        string.Join(',', options.ExcludedTypes.Order(StringComparer.Ordinal)));

    /// <summary>
    /// For each probe, every entity whose key's words contain the probe's or lie within them (an equal key excepted:
    /// key lookup already joins those), scored by the int8 cosine of the two keys; pairs at or above the threshold
    /// are linked both ways.
    /// </summary>
    private void Match(List<string> probes, EntitySynonymOptions options)
    {
        var found = new List<(string Other, double Similarity)>[probes.Count];
        Parallel.For(0, probes.Count, i =>
        {
            var probe = _names[probes[i]];
            var words = Words(probe.Key);
            var hits = new List<(string, double)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var word in words)
            {
                foreach (var other in _words[word])
                {
                    if (!seen.Add(other) || other == probes[i])
                    {
                        continue;
                    }

                    var candidate = _names[other];
                    if (candidate.Key == probe.Key || !Nested(words, Words(candidate.Key)))
                    {
                        continue;
                    }

                    var similarity = Math.Round(Int8Dot.Dot(probe.Values, candidate.Values) * (double)probe.Scale * candidate.Scale, 4);
                    if (similarity >= options.Threshold)
                    {
                        hits.Add((other, similarity));
                    }
                }
            }

            found[i] = hits;
        });

        for (var i = 0; i < probes.Count; i++)
        {
            foreach (var (other, similarity) in found[i])
            {
                Link(probes[i], other, similarity);
                Link(other, probes[i], similarity);
            }
        }
    }

    /// <summary>True when every word of one key is a word of the other.</summary>
    private static bool Nested(string[] a, string[] b) =>
        a.Length <= b.Length ? a.All(w => Array.IndexOf(b, w) >= 0) : b.All(w => Array.IndexOf(a, w) >= 0);

    private static string[] Words(string key) => key.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();

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
        if (_names.Remove(id, out var name))
        {
            foreach (var word in Words(name.Key))
            {
                if (_words.TryGetValue(word, out var ids) && ids.Remove(id) && ids.Count == 0)
                {
                    _words.Remove(word);
                }
            }
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
        _names.Clear();
        _words.Clear();
        _edges.Clear();
        Settings = string.Empty;
        Current = SynonymEdges.None;
    }

    /// <summary>Each entity's edges most similar first, then by id: the order a walk takes them in.</summary>
    private SynonymEdges Publish(long generation) => new(
        generation,
        _edges.ToDictionary(
            p => p.Key,
            p => p.Value.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).Select(e => new SimilarEntity(e.Key, e.Value)).ToArray(),
            StringComparer.Ordinal));

    private sealed record NameVector(string Key, sbyte[] Values, float Scale);
}
