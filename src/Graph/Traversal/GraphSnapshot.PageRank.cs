using GraphRag.Graph.Model;

namespace GraphRag.Graph.Traversal;

/// <summary>Personalised PageRank over the entity–chunk graph.</summary>
public sealed partial class GraphSnapshot
{
    /// <summary>
    /// Personalised PageRank over the entity–chunk graph (HippoRAG's idea): probability mass starts at the seeds,
    /// spreads along mentions and relations, and returns to the seeds with probability <paramref name="restart"/>.
    /// Computed by local push (Andersen–Chung–Lang), so the work depends on the seeds' neighbourhood, not the graph's
    /// size. Co-occurrence edges count <paramref name="coOccurrenceFactor"/> as much as labelled relations; a synonym edge
    /// (<see cref="Synonyms"/>) weighs its similarity times <paramref name="synonymFactor"/> (0, the default, leaves them
    /// out) and joins only entities the caller sees. Pushes go
    /// in id order and along edges in id order, so the scores never depend on how the snapshot numbered its nodes.
    /// </summary>
    public PageRankScores PersonalizedPageRank(
        IReadOnlyDictionary<string, double> entitySeeds,
        IReadOnlyDictionary<string, double>? chunkSeeds = null,
        Visibility? visibility = null,
        double restart = 0.5,
        double tolerance = 1e-5,
        double coOccurrenceFactor = 0.5,
        double synonymFactor = 0)
    {
        ArgumentNullException.ThrowIfNull(entitySeeds);
        CheckMask(visibility);
        var residual = new Dictionary<WalkNode, double>();
        var total = 0.0;
        foreach (var (id, weight) in entitySeeds)
        {
            if (weight > 0 && TryVisibleEntity(id, visibility, out var entity))
            {
                var node = new WalkNode(entity.Index, false);
                residual[node] = residual.GetValueOrDefault(node) + weight;
                total += weight;
            }
        }

        foreach (var (id, weight) in chunkSeeds ?? new Dictionary<string, double>())
        {
            if (weight > 0 && Chunk(id) is { } chunk && (visibility is null || visibility.Chunks[chunk.Index]))
            {
                var node = new WalkNode(chunk.Index, true);
                residual[node] = residual.GetValueOrDefault(node) + weight;
                total += weight;
            }
        }

        if (total <= 0)
        {
            return new PageRankScores(new Dictionary<string, double>(), new Dictionary<string, double>());
        }

        foreach (var key in residual.Keys.ToList())
        {
            residual[key] /= total;
        }

        var rank = new Dictionary<WalkNode, double>();
        var degrees = new Dictionary<WalkNode, int>();
        // Entities before chunks, each in id order: the order the seeds are pushed in.
        var queue = new Queue<WalkNode>(residual.Keys.OrderBy(n => n.IsChunk).ThenBy(IdOf, StringComparer.Ordinal));
        var queued = new HashSet<WalkNode>(queue);
        var edges = new List<(WalkNode Target, double Weight)>();
        var pushes = 0;
        while (queue.Count > 0 && pushes < 100_000)
        {
            var u = queue.Dequeue();
            queued.Remove(u);
            var mass = residual.GetValueOrDefault(u);
            if (mass <= tolerance)
            {
                continue;
            }

            pushes++;
            residual[u] = 0;
            rank[u] = rank.GetValueOrDefault(u) + (restart * mass);
            WalkEdges(u, visibility, coOccurrenceFactor, synonymFactor, edges);
            var sum = 0.0;
            foreach (var (_, w) in edges)
            {
                sum += w;
            }

            if (sum <= 0)
            {
                // A dead end keeps its mass rather than leaking it.
                rank[u] += (1 - restart) * mass;
                continue;
            }

            var spread = (1 - restart) * mass / sum;
            foreach (var (v, w) in edges)
            {
                var added = residual.GetValueOrDefault(v) + (spread * w);
                residual[v] = added;
                // Push a node once its residual is large for its degree: hubs absorb mass without flooding the queue.
                if (added > tolerance * Math.Max(1, Degree(v, visibility, synonymFactor, degrees)) && queued.Add(v))
                {
                    queue.Enqueue(v);
                }
            }
        }

        var entityScores = new Dictionary<string, double>(StringComparer.Ordinal);
        var chunkScores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (node, score) in rank)
        {
            if (node.IsChunk)
            {
                chunkScores[_chunks[node.Index]!.Id] = score;
            }
            else
            {
                entityScores[_entities[node.Index]!.Id] = score;
            }
        }

        return new PageRankScores(entityScores, chunkScores);
    }

    private string IdOf(WalkNode node) => node.IsChunk ? _chunks[node.Index]!.Id : _entities[node.Index]!.Id;

    /// <summary>
    /// The weighted walk edges of a node as the caller sees them: an entity's mentions (chunk id order) then its
    /// relations (traversal order, weighted log(1 + weight) of what the caller sees), then its most similar visible
    /// synonyms (similarity order, weighted similarity × factor); a chunk's entities (id order).
    /// </summary>
    private void WalkEdges(WalkNode node, Visibility? visibility, double coOccurrenceFactor, double synonymFactor, List<(WalkNode, double)> edges)
    {
        edges.Clear();
        if (node.IsChunk)
        {
            foreach (var (e, count) in _chunks[node.Index]!.Entities)
            {
                if (visibility is null || visibility.Entities[e])
                {
                    edges.Add((new WalkNode(e, false), count));
                }
            }

            return;
        }

        var entity = _entities[node.Index]!;
        foreach (var (c, count) in entity.Chunks)
        {
            if (visibility is null || visibility.Chunks[c])
            {
                edges.Add((new WalkNode(c, true), count));
            }
        }

        foreach (var relation in RelationsOf(entity, visibility))
        {
            // Stored as float, as the walk graph always has been, so scores match across releases.
            var weight = (float)Math.Log(1 + WeightOf(relation, visibility)) * (relation.Label == RelationLabels.CoOccurs ? coOccurrenceFactor : 1.0);
            if (weight > 0)
            {
                edges.Add((new WalkNode(relation.Source == node.Index ? relation.Target : relation.Source, false), weight));
            }
        }

        if (synonymFactor > 0)
        {
            var walked = 0;
            foreach (var similar in Synonyms.Of(entity.Id))
            {
                if (walked == SynonymsWalked)
                {
                    break;
                }

                if (VisibleSynonym(similar.EntityId, visibility) is { } other)
                {
                    edges.Add((new WalkNode(other, false), similar.Similarity * synonymFactor));
                    walked++;
                }
            }
        }
    }

    /// <summary>The slot of a synonym's entity when it is live and the caller sees it; null otherwise.</summary>
    private int? VisibleSynonym(string entityId, Visibility? visibility) =>
        Tables.Entities.TryGet(entityId, out var slot) && slot < _entities.Length && _entities[slot] is not null
            && (visibility is null || visibility.Entities[slot])
            ? slot
            : null;

    /// <summary>A node's degree in the walk graph the caller sees.</summary>
    private int Degree(WalkNode node, Visibility? visibility, double synonymFactor, Dictionary<WalkNode, int> cache)
    {
        if (cache.TryGetValue(node, out var degree))
        {
            return degree;
        }

        if (node.IsChunk)
        {
            var entities = _chunks[node.Index]!.Entities;
            degree = visibility is null ? entities.Length : entities.Count(m => visibility.Entities[m.Entity]);
        }
        else
        {
            var entity = _entities[node.Index]!;
            degree = (visibility is null ? entity.Chunks.Length : entity.Chunks.Count(m => visibility.Chunks[m.Chunk]))
                + RelationsOf(entity, visibility).Length;
            if (synonymFactor > 0)
            {
                var walked = 0;
                foreach (var similar in Synonyms.Of(entity.Id))
                {
                    walked += walked < SynonymsWalked && VisibleSynonym(similar.EntityId, visibility) is not null ? 1 : 0;
                }

                degree += walked;
            }
        }

        cache[node] = degree;
        return degree;
    }

    /// <summary>
    /// Most synonym edges one entity spreads along: its most similar visible ones. Counted among visible edges only,
    /// so a caller's walk never depends on how many names it cannot see crowd an entity.
    /// </summary>
    private const int SynonymsWalked = 16;

    /// <summary>A node of the walk graph: an entity slot or a chunk slot.</summary>
    private readonly record struct WalkNode(int Index, bool IsChunk);
}
