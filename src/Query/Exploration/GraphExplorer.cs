using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Traversal;

namespace GraphRag.Query.Exploration;

/// <summary>
/// Browsing the graph as one caller may see it: entity search, an entity's page, its neighbourhood and paths between
/// entities. An entity exists for the caller only through a mention in a readable document, a relation only through
/// readable evidence, and every name comes from readable mentions, so an unreadable entity and an absent one give the
/// same answer. A null scope is the administrator, who sees everything under the stored names. Thread-safe; build once.
/// </summary>
public sealed class GraphExplorer
{
    public const int MaxLimit = 10_000;
    public const int MaxAliases = 25;
    public const int MaxMentions = 200;
    public const int MaxRelations = 100;
    public const int MaxEvidence = 3;

    private readonly IGraphReader _graph;
    private readonly ISnapshotSource _snapshots;
    private readonly IDocumentReader _documents;

    // A caller's mask costs a pass over the snapshot, so it is kept per snapshot and per readable set (AccessScopes
    // hands out one set per ACL entries and generation); both are dropped when no longer referenced.

    /// <param name="documents">Where evidence quotes are read: the stored text at each evidence span.</param>
    public GraphExplorer(IGraphReader graph, ISnapshotSource snapshots, IDocumentReader documents)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(documents);
        _graph = graph;
        _snapshots = snapshots;
        _documents = documents;
    }

    /// <summary>
    /// Entities whose readable names or aliases have <paramref name="search"/>'s normalised key, exactly or as a prefix,
    /// most mentioned (in readable documents) first; without search text, the most mentioned entities.
    /// </summary>
    public async Task<IReadOnlyList<EntitySummary>> SearchEntitiesAsync(
        string? search, string? type, int limit, AccessScope? scope, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        var (snapshot, visibility) = await ViewAsync(scope, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(search))
        {
            return snapshot.TopEntities(type, limit, visibility).Select(Summary).ToList();
        }

        var key = EntityKey.Normalize(search);
        if (key.Length == 0)
        {
            return [];
        }

        return snapshot.LookupPrefix(key, visibility)
            .Where(hit => type is null || hit.Entity.Type == type)
            .Select(hit => snapshot.Describe(hit.Entity.Id, visibility))
            .OfType<EntityLabel>()
            .OrderByDescending(label => label.Mentions)
            .ThenBy(label => label.Id, StringComparer.Ordinal)
            .Take(limit)
            .Select(Summary)
            .ToList();
    }

    /// <summary>
    /// The entities an id or a name stands for, most mentioned first: the entity with that id, else those a readable
    /// mention names with that normalised key. Empty when nothing the caller can read matches.
    /// </summary>
    public async Task<IReadOnlyList<EntitySummary>> ResolveAsync(
        string idOrName, int limit, AccessScope? scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idOrName);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var (snapshot, visibility) = await ViewAsync(scope, cancellationToken).ConfigureAwait(false);
        return Resolve(snapshot, visibility, idOrName, limit).Select(Summary).ToList();
    }

    /// <summary>
    /// An entity's page: readable mentions (at most <see cref="MaxMentions"/>) and the relations a readable chunk
    /// supports (at most <see cref="MaxRelations"/>, labelled and stronger first), each with its readable evidence.
    /// Null when the entity is absent or the caller can read no mention of it.
    /// </summary>
    public async Task<EntityDetails?> GetEntityAsync(string idOrName, AccessScope? scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idOrName);
        var (snapshot, visibility) = await ViewAsync(scope, cancellationToken).ConfigureAwait(false);
        var label = Resolve(snapshot, visibility, idOrName, 1).FirstOrDefault();
        if (label is null)
        {
            return null;
        }

        var query = new MentionQuery { EntityIds = [label.Id], Limit = MaxMentions };
        if (visibility is not null)
        {
            query = query with { ChunkIds = snapshot.ChunksOf(label.Id, visibility).Select(c => c.ChunkId).ToList() };
        }

        var mentions = (await _graph.GetMentionsAsync(query, cancellationToken).ConfigureAwait(false))
            .Where(m => Readable(snapshot, visibility, scope, m.Span))
            .Select(m => new MentionSpan(m.Span.DocumentId, m.Span.ChunkId, m.Span.Start, m.Span.End, m.Text, m.Resolution, m.Extractor))
            .ToList();

        var neighbours = snapshot.Neighbours(label.Id, visibility, limit: MaxRelations);
        var relations = await EdgesAsync(snapshot, visibility, scope, neighbours.Select(n => n.RelationId), cancellationToken).ConfigureAwait(false);
        return new EntityDetails(
            label.Id,
            label.Name,
            label.Type,
            [.. label.Aliases.Take(MaxAliases)],
            label.Mentions,
            label.Documents,
            mentions,
            relations);
    }

    /// <summary>
    /// The entities within <paramref name="hops"/> (1-3) visible relations of an entity, at most
    /// <paramref name="maxNodes"/> of them, and the visible relations among them with readable provenance. Null when
    /// the entity is absent or invisible.
    /// </summary>
    public async Task<EntitySubgraph?> GetSubgraphAsync(
        string entityIdOrName, int hops, int maxNodes, AccessScope? scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entityIdOrName);
        ArgumentOutOfRangeException.ThrowIfLessThan(hops, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hops, 3);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNodes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxNodes, 1000);
        var (snapshot, visibility) = await ViewAsync(scope, cancellationToken).ConfigureAwait(false);
        var root = Resolve(snapshot, visibility, entityIdOrName, 1).FirstOrDefault();
        if (root is null)
        {
            return null;
        }

        var subgraph = snapshot.KHop([root.Id], hops, visibility, maxNodes);
        var nodes = subgraph.Nodes
            .Select(n => (Node: n, Name: snapshot.NameOf(n.Entity.Id, visibility)))
            .Where(n => n.Name is not null)
            .Select(n => new SubgraphEntity(n.Node.Entity.Id, n.Name!, n.Node.Entity.Type, n.Node.Depth))
            .ToList();
        var edges = (await EdgesAsync(snapshot, visibility, scope, subgraph.Edges.Select(e => e.RelationId), cancellationToken).ConfigureAwait(false))
            .Select(r => new SubgraphRelation(r.RelationId, r.SourceId, r.TargetId, r.Label, r.Weight, r.Evidence))
            .ToList();
        return new EntitySubgraph(root.Id, nodes, edges);
    }

    /// <summary>
    /// The cheapest chain of visible relations between two entities (ids or names) within <paramref name="maxHops"/>
    /// (1-10), each step with readable evidence. Null when either end is absent or invisible, or no chain is in reach.
    /// </summary>
    public async Task<EntityPath?> FindPathAsync(
        string from, string to, int maxHops, AccessScope? scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHops, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxHops, 10);
        var (snapshot, visibility) = await ViewAsync(scope, cancellationToken).ConfigureAwait(false);
        var a = Resolve(snapshot, visibility, from, 1).FirstOrDefault();
        var b = Resolve(snapshot, visibility, to, 1).FirstOrDefault();
        if (a is null || b is null)
        {
            return null;
        }

        var path = snapshot.ShortestPath(a.Id, b.Id, visibility, maxHops);
        if (path is null)
        {
            return null;
        }

        var relations = path.RelationIds.Count == 0
            ? new Dictionary<string, Relation>(StringComparer.Ordinal)
            : (await _graph.GetRelationsAsync(
                    new RelationQuery { RelationIds = [.. path.RelationIds], Limit = path.RelationIds.Count }, cancellationToken)
                .ConfigureAwait(false))
                .ToDictionary(r => r.Id, StringComparer.Ordinal);
        var quotes = await QuotesAsync(relations.Values.Select(r => ReadableEvidence(snapshot, visibility, scope, r)), cancellationToken).ConfigureAwait(false);
        var steps = new List<EntityPathStep>(path.RelationIds.Count);
        for (var i = 0; i < path.RelationIds.Count; i++)
        {
            var source = snapshot.NameOf(path.EntityIds[i], visibility);
            var target = snapshot.NameOf(path.EntityIds[i + 1], visibility);
            if (!relations.TryGetValue(path.RelationIds[i], out var relation) || source is null || target is null)
            {
                // The store changed under the snapshot; a broken chain is no chain.
                return null;
            }

            steps.Add(new EntityPathStep(
                source,
                relation.Label,
                target,
                relation.SourceId == path.EntityIds[i],
                Quote(ReadableEvidence(snapshot, visibility, scope, relation), quotes),
                relation.Id));
        }

        return new EntityPath(a.Name, b.Name, path.Cost, steps, a.Id, b.Id);
    }

    private async Task<(GraphSnapshot Snapshot, Visibility? Visibility)> ViewAsync(AccessScope? scope, CancellationToken cancellationToken)
    {
        var snapshot = await _snapshots.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (scope is null)
        {
            return (snapshot, null);
        }

        return (snapshot, Security.Visibilities.For(snapshot, scope));
    }

    /// <summary>An id the caller can see, else the entities readable mentions name with the key, most mentioned first.</summary>
    private static List<EntityLabel> Resolve(GraphSnapshot snapshot, Visibility? visibility, string idOrName, int limit)
    {
        if (snapshot.Describe(idOrName, visibility) is { } byId)
        {
            return [byId];
        }

        var key = EntityKey.Normalize(idOrName);
        if (key.Length == 0)
        {
            return [];
        }

        return snapshot.LookupKey(key, visibility)
            .Select(hit => snapshot.Describe(hit.Entity.Id, visibility))
            .OfType<EntityLabel>()
            .OrderByDescending(label => label.Mentions)
            .ThenBy(label => label.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
    }

    /// <summary>The relations in the given order that the caller sees, ends named for the caller, readable evidence only.</summary>
    private async Task<IReadOnlyList<EntityRelation>> EdgesAsync(
        GraphSnapshot snapshot, Visibility? visibility, AccessScope? scope, IEnumerable<string> relationIds, CancellationToken cancellationToken)
    {
        var ids = relationIds.Where(id => snapshot.IsRelationVisible(id, visibility)).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var stored = (await _graph.GetRelationsAsync(new RelationQuery { RelationIds = ids, Limit = ids.Count }, cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => r.Id, StringComparer.Ordinal);
        var quotes = await QuotesAsync(stored.Values.Select(r => ReadableEvidence(snapshot, visibility, scope, r)), cancellationToken).ConfigureAwait(false);
        var result = new List<EntityRelation>(ids.Count);
        foreach (var id in ids)
        {
            if (!stored.TryGetValue(id, out var relation))
            {
                continue;
            }

            var evidence = Quote(ReadableEvidence(snapshot, visibility, scope, relation), quotes);
            var source = snapshot.NameOf(relation.SourceId, visibility);
            var target = snapshot.NameOf(relation.TargetId, visibility);
            if (evidence.Count == 0 || source is null || target is null)
            {
                continue;
            }

            // The stored weight counts every document's evidence; a caller is told what its readable evidence gives.
            var weight = visibility is null ? relation.Weight : snapshot.RelationWeight(relation.Id, visibility) ?? 0;
            result.Add(new EntityRelation(relation.Id, relation.SourceId, source, relation.Label, relation.TargetId, target, weight, evidence));
        }

        return result;
    }

    private static IReadOnlyList<RelationEvidence> ReadableEvidence(GraphSnapshot snapshot, Visibility? visibility, AccessScope? scope, Relation relation) =>
        relation.Evidence
            .Where(e => Readable(snapshot, visibility, scope, e.Span))
            .Take(MaxEvidence)
            .ToList();

    /// <summary>The chunks the spans lie in, read once for all of them.</summary>
    private async Task<IReadOnlyDictionary<string, Chunk>> QuotesAsync(IEnumerable<IReadOnlyList<RelationEvidence>> spans, CancellationToken cancellationToken)
    {
        var chunkIds = spans.SelectMany(s => s).Select(s => s.Span.ChunkId).Distinct(StringComparer.Ordinal).ToList();
        return chunkIds.Count == 0
            ? new Dictionary<string, Chunk>(StringComparer.Ordinal)
            : (await _documents.GetChunksAsync(chunkIds, cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Id, StringComparer.Ordinal);
    }

    /// <summary>
    /// Evidence as citations quote it: the stored text at the span (clipped to its chunk), so <c>Quote ==
    /// document.Text[Start..End]</c>. A span whose chunk is gone (the store moved on) is left out.
    /// </summary>
    private static List<EvidenceSpan> Quote(IReadOnlyList<RelationEvidence> evidence, IReadOnlyDictionary<string, Chunk> chunks)
    {
        var quoted = new List<EvidenceSpan>(evidence.Count);
        foreach (var (span, extractor) in evidence.Select(e => (e.Span, e.Extractor)))
        {
            if (chunks.TryGetValue(span.ChunkId, out var chunk) && Answering.Citations.Cite(chunk, string.Empty, span.Start, span.End) is { } cited)
            {
                quoted.Add(new EvidenceSpan(cited.DocumentId, cited.ChunkId, cited.Start, cited.End, cited.Quote, extractor));
            }
        }

        return quoted;
    }

    /// <summary>
    /// A span the caller may read: its chunk is visible in the snapshot and its document is readable now (the store
    /// may have moved on since the snapshot was taken).
    /// </summary>
    private static bool Readable(GraphSnapshot snapshot, Visibility? visibility, AccessScope? scope, TextSpan span) =>
        scope is null || (snapshot.IsChunkVisible(span.ChunkId, visibility) && scope.CanRead(span.DocumentId));

    private static EntitySummary Summary(EntityLabel label) =>
        new(label.Id, label.Name, label.Type, [.. label.Aliases.Take(MaxAliases)], label.Mentions, label.Documents);
}
