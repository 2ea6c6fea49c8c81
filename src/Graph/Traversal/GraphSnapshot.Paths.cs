using GraphRag.Graph.Model;

namespace GraphRag.Graph.Traversal;

/// <summary>Relations, neighbourhoods and paths, over what the caller may see.</summary>
public sealed partial class GraphSnapshot
{
    /// <summary>True when the relation is in this snapshot and the caller sees it (a readable evidence chunk and both ends).</summary>
    public bool IsRelationVisible(string relationId, Visibility? visibility = null)
    {
        ArgumentNullException.ThrowIfNull(relationId);
        CheckMask(visibility);
        return Relation(relationId) is { } relation && RelationVisible(relation, visibility);
    }

    /// <summary>
    /// A relation's weight as the caller sees it: from its readable evidence under a mask, else the stored weight.
    /// Null when the relation is absent or invisible.
    /// </summary>
    public double? RelationWeight(string relationId, Visibility? visibility = null)
    {
        ArgumentNullException.ThrowIfNull(relationId);
        CheckMask(visibility);
        return Relation(relationId) is { } relation && RelationVisible(relation, visibility) ? WeightOf(relation, visibility) : null;
    }

    /// <summary>Entities one relation away, strongest first.</summary>
    public IReadOnlyList<Neighbour> Neighbours(string entityId, Visibility? visibility = null, bool labelledOnly = false, int limit = 50)
    {
        if (!TryVisibleEntity(entityId, visibility, out var entity))
        {
            return [];
        }

        // Already in the wanted order, so the first visible ones are the answer.
        var result = new List<Neighbour>(Math.Min(limit, entity.Relations.Length));
        foreach (var relation in RelationsOf(entity, visibility))
        {
            if (result.Count >= limit)
            {
                break;
            }

            if (labelledOnly && !relation.Labelled)
            {
                continue;
            }

            var other = relation.Source == entity.Index ? relation.Target : relation.Source;
            result.Add(new Neighbour(Node(other, visibility), RelationId(relation), relation.Label, WeightOf(relation, visibility), Outgoing: relation.Source == entity.Index));
        }

        return result;
    }

    /// <summary>The entities within <paramref name="hops"/> relations of the seeds and the relations among them.</summary>
    public Subgraph KHop(IEnumerable<string> seedEntityIds, int hops, Visibility? visibility = null, int maxEntities = 200)
    {
        ArgumentNullException.ThrowIfNull(seedEntityIds);
        var depth = new Dictionary<int, int>();
        var frontier = new List<EntityState>();
        foreach (var id in seedEntityIds)
        {
            if (TryVisibleEntity(id, visibility, out var entity) && depth.TryAdd(entity.Index, 0))
            {
                frontier.Add(entity);
            }
        }

        for (var level = 1; level <= hops && frontier.Count > 0 && depth.Count < maxEntities; level++)
        {
            var next = new List<EntityState>();
            foreach (var entity in frontier)
            {
                // Strongest relations first (as the caller weighs them), so the cap keeps the most supported neighbours.
                foreach (var relation in RelationsOf(entity, visibility))
                {
                    var other = relation.Source == entity.Index ? relation.Target : relation.Source;
                    if (depth.Count >= maxEntities)
                    {
                        break;
                    }

                    if (depth.TryAdd(other, level))
                    {
                        next.Add(_entities[other]!);
                    }
                }
            }

            frontier = next;
        }

        var relations = depth.Keys
            .SelectMany(e => _entities[e]!.Relations)
            .DistinctBy(r => r.Index)
            .Where(r => RelationVisible(r, visibility) && depth.ContainsKey(r.Source) && depth.ContainsKey(r.Target))
            .Select(r => new SubgraphEdge(RelationId(r), _entities[r.Source]!.Id, _entities[r.Target]!.Id, r.Label, WeightOf(r, visibility)))
            .OrderBy(edge => edge.RelationId, StringComparer.Ordinal)
            .ToList();
        var nodes = depth.OrderBy(p => p.Value).ThenBy(p => _entities[p.Key]!.Id, StringComparer.Ordinal)
            .Select(p => new SubgraphNode(Node(p.Key, visibility), p.Value))
            .ToList();
        return new Subgraph(nodes, relations);
    }

    /// <summary>
    /// The cheapest path between two entities over visible relations (Dijkstra). A labelled relation costs less than
    /// a co-occurrence, and a better-supported relation less than a weak one. Null when none within reach; at most
    /// 200,000 entities are settled, so a search across a huge component stays bounded.
    /// </summary>
    public GraphPath? ShortestPath(string fromEntityId, string toEntityId, Visibility? visibility = null, int maxHops = 6)
    {
        if (!TryVisibleEntity(fromEntityId, visibility, out var from) || !TryVisibleEntity(toEntityId, visibility, out var to))
        {
            return null;
        }

        if (from.Index == to.Index)
        {
            return new GraphPath([from.Id], [], 0);
        }

        var distance = new Dictionary<int, double> { [from.Index] = 0 };
        var previous = new Dictionary<int, RelationState>();
        var settled = new HashSet<int>();
        // Ties settle in id order, so the path found never depends on slot numbers.
        var queue = new PriorityQueue<int, (double Cost, string Id)>();
        queue.Enqueue(from.Index, (0, from.Id));
        while (queue.TryDequeue(out var node, out var priority) && settled.Count <= 200_000)
        {
            if (!settled.Add(node))
            {
                continue;
            }

            if (node == to.Index)
            {
                break;
            }

            foreach (var relation in RelationsOf(_entities[node]!, visibility))
            {
                var other = relation.Source == node ? relation.Target : relation.Source;
                var cost = priority.Cost + Cost(relation, visibility);
                if (!settled.Contains(other) && (!distance.TryGetValue(other, out var known) || cost < known))
                {
                    distance[other] = cost;
                    previous[other] = relation;
                    queue.Enqueue(other, (cost, _entities[other]!.Id));
                }
            }
        }

        if (!settled.Contains(to.Index))
        {
            return null;
        }

        var entities = new List<string> { to.Id };
        var relations = new List<string>();
        for (var v = to.Index; v != from.Index;)
        {
            var relation = previous[v];
            relations.Add(RelationId(relation));
            v = relation.Source == v ? relation.Target : relation.Source;
            entities.Add(_entities[v]!.Id);
        }

        entities.Reverse();
        relations.Reverse();
        return relations.Count > maxHops ? null : new GraphPath(entities, relations, distance[to.Index]);
    }

    /// <summary>
    /// A path with the fewest relations between two entities (at most <paramref name="maxHops"/>), found by
    /// bidirectional breadth-first search over visible relations; among equally short paths, labelled and
    /// better-supported relations win. Bounded by <paramref name="maxVisited"/>, so it stays fast around hubs.
    /// </summary>
    public GraphPath? FindPath(string fromEntityId, string toEntityId, Visibility? visibility = null, int maxHops = 4, int maxVisited = 20_000)
    {
        if (!TryVisibleEntity(fromEntityId, visibility, out var fromEntity) || !TryVisibleEntity(toEntityId, visibility, out var toEntity))
        {
            return null;
        }

        var (from, to) = (fromEntity.Index, toEntity.Index);
        if (from == to)
        {
            return new GraphPath([fromEntity.Id], [], 0);
        }

        // parent[node] = (previous node, relation) on the side that reached it.
        var forward = new Dictionary<int, (int Node, RelationState? Relation)> { [from] = (-1, null) };
        var backward = new Dictionary<int, (int Node, RelationState? Relation)> { [to] = (-1, null) };
        var forwardFrontier = new List<int> { from };
        var backwardFrontier = new List<int> { to };
        for (var hops = 0; hops < maxHops && forwardFrontier.Count > 0 && backwardFrontier.Count > 0; hops++)
        {
            var expandForward = forwardFrontier.Count <= backwardFrontier.Count;
            var (frontier, parents, others) = expandForward ? (forwardFrontier, forward, backward) : (backwardFrontier, backward, forward);
            var next = new List<int>();
            var meetings = new List<(int Node, int Previous, RelationState Relation)>();
            foreach (var node in frontier)
            {
                // Labelled and stronger relations first, so ties resolve towards them.
                foreach (var relation in RelationsOf(_entities[node]!, visibility))
                {
                    var other = relation.Source == node ? relation.Target : relation.Source;
                    if (others.ContainsKey(other))
                    {
                        meetings.Add((other, node, relation));
                    }

                    if (parents.TryAdd(other, (node, relation)))
                    {
                        next.Add(other);
                    }
                }
            }

            if (meetings.Count > 0)
            {
                return meetings
                    .Select(m => Join(forward, backward, m, expandForward, visibility))
                    .OrderBy(p => p.Cost)
                    .ThenBy(p => string.Join(' ', p.RelationIds), StringComparer.Ordinal)
                    .First();
            }

            if (forward.Count + backward.Count > maxVisited)
            {
                return null;
            }

            if (expandForward)
            {
                forwardFrontier = next;
            }
            else
            {
                backwardFrontier = next;
            }
        }

        return null;
    }

    private GraphPath Join(
        Dictionary<int, (int Node, RelationState? Relation)> forward,
        Dictionary<int, (int Node, RelationState? Relation)> backward,
        (int Node, int Previous, RelationState Relation) meeting,
        bool expandedForward,
        Visibility? visibility)
    {
        // Walk back to the start on the forward side, and on to the end on the backward side.
        var (forwardEnd, backwardStart) = expandedForward ? (meeting.Previous, meeting.Node) : (meeting.Node, meeting.Previous);
        var entities = new List<int>();
        var relations = new List<RelationState>();
        for (var n = forwardEnd; n != -1; n = forward[n].Node)
        {
            entities.Add(n);
            if (forward[n].Relation is { } relation)
            {
                relations.Add(relation);
            }
        }

        entities.Reverse();
        relations.Reverse();
        relations.Add(meeting.Relation);
        for (var n = backwardStart; n != -1; n = backward[n].Node)
        {
            entities.Add(n);
            if (backward[n].Relation is { } relation)
            {
                relations.Add(relation);
            }
        }

        return new GraphPath(
            entities.Select(e => _entities[e]!.Id).ToList(),
            relations.Select(RelationId).ToList(),
            relations.Sum(r => Cost(r, visibility)));
    }

    /// <summary>
    /// An entity's visible relations in traversal order: labelled before co-occurrence, strongest first, then by id.
    /// Under a mask, ordered by the weight their visible evidence gives them, so the order (and every cap and tie that
    /// follows it) is what a store holding only the readable documents would have.
    /// </summary>
    private RelationState[] RelationsOf(EntityState entity, Visibility? visibility)
    {
        if (visibility is null)
        {
            return entity.Relations;
        }

        if (visibility.Orders[entity.Index] is { } cached)
        {
            return cached;
        }

        var visible = entity.Relations.Where(r => visibility.Relations[r.Index]).ToArray();
        Array.Sort(visible, (a, b) =>
        {
            var c = b.Labelled.CompareTo(a.Labelled);
            if (c == 0)
            {
                c = visibility.RelationWeights[b.Index].CompareTo(visibility.RelationWeights[a.Index]);
            }

            return c != 0 ? c : Tables.Relations.Compare(a.Index, b.Index);
        });
        return visibility.Orders[entity.Index] = visible;
    }

    private static bool RelationVisible(RelationState relation, Visibility? visibility) => visibility is null || visibility.Relations[relation.Index];

    private static double WeightOf(RelationState relation, Visibility? visibility) =>
        visibility is null ? relation.Weight : visibility.RelationWeights[relation.Index];

    private static double Cost(RelationState relation, Visibility? visibility) => EdgeCost(relation.Label, WeightOf(relation, visibility));

    private static double EdgeCost(string label, double weight) =>
        (label == RelationLabels.CoOccurs ? 1.0 : 0.5) / (1 + Math.Log(1 + weight));
}
