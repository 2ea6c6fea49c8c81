using System.Buffers;
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
        // Nodes are numbered entity slots first, then chunk slots, and the walk's state lives in arrays over them that
        // are rented per call and cleared where touched: the push does the same arithmetic in the same order as with
        // dictionaries, without hashing a node for every read and write.
        var entityCount = _entities.Length;
        using var walk = new WalkState(entityCount + _chunks.Length);
        var total = 0.0;
        foreach (var (id, weight) in entitySeeds)
        {
            if (weight > 0 && TryVisibleEntity(id, visibility, out var entity))
            {
                walk.Add(entity.Index, weight);
                total += weight;
            }
        }

        foreach (var (id, weight) in chunkSeeds ?? new Dictionary<string, double>())
        {
            if (weight > 0 && Chunk(id) is { } chunk && (visibility is null || visibility.Chunks[chunk.Index]))
            {
                walk.Add(entityCount + chunk.Index, weight);
                total += weight;
            }
        }

        if (total <= 0)
        {
            return new PageRankScores(new Dictionary<string, double>(), new Dictionary<string, double>());
        }

        var seeds = walk.Touched.ToArray();
        foreach (var node in seeds)
        {
            walk.Residual[node] /= total;
        }

        // Entities before chunks, each in id order: the order the seeds are pushed in.
        var queue = new Queue<int>(seeds.Length * 8);
        foreach (var node in seeds.OrderBy(n => n >= entityCount).ThenBy(n => IdOf(n, entityCount), StringComparer.Ordinal))
        {
            queue.Enqueue(node);
            walk.Queued[node] = true;
        }

        // Without synonym edges a node's edges and degree do not depend on the walk: the snapshot (or the mask) keeps
        // them for every walk after the first that reaches the node.
        var cache = synonymFactor > 0
            ? null
            : visibility is null
                ? WalkCache.For(ref _walk, entityCount, _chunks.Length, coOccurrenceFactor)
                : visibility.WalkCache(entityCount, _chunks.Length, coOccurrenceFactor);
        var edges = new List<(int Target, double Weight)>();
        var pushes = 0;
        while (queue.Count > 0 && pushes < 100_000)
        {
            var u = queue.Dequeue();
            walk.Queued[u] = false;
            var mass = walk.Residual[u];
            if (mass <= tolerance)
            {
                continue;
            }

            pushes++;
            walk.Residual[u] = 0;
            walk.AddRank(u, restart * mass);
            WalkEdges(u, entityCount, visibility, coOccurrenceFactor, synonymFactor, edges, cache);
            var sum = 0.0;
            foreach (var (_, w) in edges)
            {
                sum += w;
            }

            if (sum <= 0)
            {
                // A dead end keeps its mass rather than leaking it.
                walk.Rank[u] += (1 - restart) * mass;
                continue;
            }

            var spread = (1 - restart) * mass / sum;
            foreach (var (v, w) in edges)
            {
                var added = walk.Add(v, spread * w);
                // Push a node once its residual is large for its degree: hubs absorb mass without flooding the queue.
                if (added > tolerance * Math.Max(1, Degree(v, entityCount, visibility, synonymFactor, walk, cache)) && !walk.Queued[v])
                {
                    walk.Queued[v] = true;
                    queue.Enqueue(v);
                }
            }
        }

        var entityScores = new Dictionary<string, double>(StringComparer.Ordinal);
        var chunkScores = new Dictionary<string, double>(StringComparer.Ordinal);
        // In the order nodes were first pushed, as the scores have always been listed.
        foreach (var node in walk.Ranked)
        {
            if (node >= entityCount)
            {
                chunkScores[_chunks[node - entityCount]!.Id] = walk.Rank[node];
            }
            else
            {
                entityScores[_entities[node]!.Id] = walk.Rank[node];
            }
        }

        return new PageRankScores(entityScores, chunkScores);
    }

    private string IdOf(int node, int entityCount) => node >= entityCount ? _chunks[node - entityCount]!.Id : _entities[node]!.Id;

    /// <summary>
    /// The weighted walk edges of a node as the caller sees them: an entity's mentions (chunk id order) then its
    /// relations (traversal order, weighted log(1 + weight) of what the caller sees), then its most similar visible
    /// synonyms (similarity order, weighted similarity × factor); a chunk's entities (id order).
    /// </summary>
    private void WalkEdges(
        int node, int entityCount, Visibility? visibility, double coOccurrenceFactor, double synonymFactor, List<(int, double)> edges, WalkCache? cache)
    {
        edges.Clear();
        if (node >= entityCount)
        {
            foreach (var (e, count) in _chunks[node - entityCount]!.Entities)
            {
                if (visibility is null || visibility.Entities[e])
                {
                    edges.Add((e, count));
                }
            }

            return;
        }

        var entity = _entities[node]!;
        foreach (var (c, count) in entity.Chunks)
        {
            if (visibility is null || visibility.Chunks[c])
            {
                edges.Add((entityCount + c, count));
            }
        }

        if (cache is not null)
        {
            foreach (var (other, weight) in cache.Relations[node] ?? CacheRelations(entity, visibility, cache))
            {
                edges.Add((other, weight));
            }
        }
        else
        {
            foreach (var relation in RelationsOf(entity, visibility))
            {
                var weight = WalkWeight(relation, visibility, coOccurrenceFactor);
                if (weight > 0)
                {
                    edges.Add((relation.Source == node ? relation.Target : relation.Source, weight));
                }
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
                    edges.Add((other, similar.Similarity * synonymFactor));
                    walked++;
                }
            }
        }
    }

    /// <summary>An entity's relation edges with a positive walk weight, in traversal order, kept in the walk cache.</summary>
    private WalkRelation[] CacheRelations(EntityState entity, Visibility? visibility, WalkCache cache)
    {
        var relations = RelationsOf(entity, visibility);
        var walked = new List<WalkRelation>(relations.Length);
        foreach (var relation in relations)
        {
            var weight = WalkWeight(relation, visibility, cache.CoOccurrenceFactor);
            if (weight > 0)
            {
                walked.Add(new WalkRelation(relation.Source == entity.Index ? relation.Target : relation.Source, weight));
            }
        }

        var edges = walked.ToArray();
        Volatile.Write(ref cache.Relations[entity.Index], edges);
        return edges;
    }

    /// <summary>
    /// A relation's weight in the walk: log(1 + the weight the caller sees), stored as float, as the walk graph always
    /// has been, so scores match across releases; a co-occurrence counts <paramref name="coOccurrenceFactor"/> as much.
    /// </summary>
    private static double WalkWeight(RelationState relation, Visibility? visibility, double coOccurrenceFactor) =>
        (float)Math.Log(1 + WeightOf(relation, visibility)) * (relation.Label == RelationLabels.CoOccurs ? coOccurrenceFactor : 1.0);

    /// <summary>The slot of a synonym's entity when it is live and the caller sees it; null otherwise.</summary>
    private int? VisibleSynonym(string entityId, Visibility? visibility) =>
        Tables.Entities.TryGet(entityId, out var slot) && slot < _entities.Length && _entities[slot] is not null
            && (visibility is null || visibility.Entities[slot])
            ? slot
            : null;

    /// <summary>A node's degree in the walk graph the caller sees: from the walk cache, or this walk's own with synonyms.</summary>
    private int Degree(int node, int entityCount, Visibility? visibility, double synonymFactor, WalkState walk, WalkCache? cache)
    {
        var known = cache?.Degrees ?? walk.Degrees;
        if (known[node] > 0)
        {
            return known[node] - 1;
        }

        int degree;
        if (node >= entityCount)
        {
            var entities = _chunks[node - entityCount]!.Entities;
            degree = visibility is null ? entities.Length : entities.Count(m => visibility.Entities[m.Entity]);
        }
        else
        {
            var entity = _entities[node]!;
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

        known[node] = degree + 1;
        return degree;
    }

    /// <summary>
    /// Most synonym edges one entity spreads along: its most similar visible ones. Counted among visible edges only,
    /// so a caller's walk never depends on how many names it cannot see crowd an entity.
    /// </summary>
    private const int SynonymsWalked = 16;

    /// <summary>
    /// One walk's state over every node (entity slots, then chunk slots): residual and rank mass, the queue flag and the
    /// degree cache (degree + 1; 0 is not known yet). The arrays are rented, and only the nodes the walk touched are
    /// cleared before they go back, so a walk costs what it visits, not the graph's size.
    /// </summary>
    private sealed class WalkState : IDisposable
    {
        // Pools of their own, not the shared ones: those hand out arrays uninitialised or as another user left them,
        // while these only ever hold arrays allocated zeroed and returned cleared.
        private static readonly ArrayPool<double> Doubles = ArrayPool<double>.Create(1 << 27, 8);
        private static readonly ArrayPool<int> Ints = ArrayPool<int>.Create(1 << 27, 4);
        private static readonly ArrayPool<bool> Bools = ArrayPool<bool>.Create(1 << 27, 4);
        private static readonly ArrayPool<byte> Bytes = ArrayPool<byte>.Create(1 << 27, 4);

        public WalkState(int size)
        {
            Residual = Doubles.Rent(size);
            Rank = Doubles.Rent(size);
            Degrees = Ints.Rent(size);
            Queued = Bools.Rent(size);
            State = Bytes.Rent(size);
        }

        public double[] Residual { get; }

        public double[] Rank { get; }

        public int[] Degrees { get; }

        public bool[] Queued { get; }

        /// <summary>Per node: 1 once it holds residual mass (touched), 2 once it holds rank.</summary>
        private byte[] State { get; }

        /// <summary>Nodes that ever held residual mass, in the order they first did.</summary>
        public List<int> Touched { get; } = [];

        /// <summary>Nodes that hold rank, in the order they were first pushed.</summary>
        public List<int> Ranked { get; } = [];

        /// <summary>Adds residual mass to a node and returns its new residual.</summary>
        public double Add(int node, double mass)
        {
            if ((State[node] & 1) == 0)
            {
                State[node] |= 1;
                Touched.Add(node);
            }

            return Residual[node] += mass;
        }

        public void AddRank(int node, double mass)
        {
            if ((State[node] & 2) == 0)
            {
                State[node] |= 2;
                Ranked.Add(node);
            }

            Rank[node] += mass;
        }

        public void Dispose()
        {
            // Every node with rank, a queue flag or a known degree held residual first, so clearing the touched ones
            // returns the arrays as they were rented: zero wherever a walk can read before it writes.
            foreach (var node in Touched)
            {
                Residual[node] = 0;
                Rank[node] = 0;
                Degrees[node] = 0;
                Queued[node] = false;
                State[node] = 0;
            }

            Doubles.Return(Residual);
            Doubles.Return(Rank);
            Ints.Return(Degrees);
            Bools.Return(Queued);
            Bytes.Return(State);
        }
    }
}
