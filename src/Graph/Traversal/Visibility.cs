namespace GraphRag.Graph.Traversal;

/// <summary>
/// What one caller may see of a snapshot: readable documents and chunks, the entities and relations they support, and
/// each relation's weight from its readable evidence. Built once per snapshot and readable set; what later traversals
/// settle under it (relation orders, disputed names and types, the visible keys) is cached here.
/// </summary>
public sealed class Visibility
{
    private WalkCache? _walk;

    internal Visibility(GraphSnapshot snapshot, bool[] documents, bool[] chunks, bool[] entities, bool[] relations, double[] relationWeights, int chunkCount)
    {
        Snapshot = snapshot;
        Documents = documents;
        Chunks = chunks;
        Entities = entities;
        Relations = relations;
        RelationWeights = relationWeights;
        ChunkCount = chunkCount;
        Orders = new RelationState[]?[entities.Length];
        Types = new string?[entities.Length];
        Names = new string?[entities.Length];
    }

    public GraphSnapshot Snapshot { get; }

    internal bool[] Documents { get; }

    internal bool[] Chunks { get; }

    internal bool[] Entities { get; }

    internal bool[] Relations { get; }

    /// <summary>Each visible relation's weight from its visible evidence alone (0 for a hidden one).</summary>
    internal double[] RelationWeights { get; }

    /// <summary>Visible chunks.</summary>
    internal int ChunkCount { get; }

    /// <summary>Per entity, its visible relations in traversal order; filled on first use (idempotent, so races are harmless).</summary>
    internal RelationState[]?[] Orders { get; }

    /// <summary>Per entity with a disputed type, its type by readable votes; filled on first use (idempotent).</summary>
    internal string?[] Types { get; }

    /// <summary>Names settled under this mask, per entity, filled on first use.</summary>
    internal string?[] Names { get; }

    /// <summary>The surface keys this mask can use, sorted; filled on the first prefix search (idempotent).</summary>
    internal string[]? SortedKeys { get; set; }

    /// <summary>What PageRank walks read under this mask (degrees, relation edges), filled on first use.</summary>
    internal WalkCache WalkCache(int entities, int chunks, double coOccurrenceFactor) =>
        Traversal.WalkCache.For(ref _walk, entities, chunks, coOccurrenceFactor);
}

/// <summary>An entity as the snapshot holds it.</summary>
public sealed record EntityNode(string Id, string Key, string Name, string Type);

/// <summary>An entity as one caller sees it: names and counts from the mentions it may read.</summary>
/// <param name="Name">The most frequent visible surface form (the stored name for an unscoped caller).</param>
/// <param name="Aliases">The other visible surface forms, distinct ignoring case, most frequent first.</param>
/// <param name="Mentions">Visible mentions.</param>
/// <param name="Chunks">Visible chunks that mention it.</param>
/// <param name="Documents">Readable documents that mention it.</param>
public sealed record EntityLabel(string Id, string Name, string Type, IReadOnlyList<string> Aliases, int Mentions, int Chunks, int Documents);

public sealed record Neighbour(EntityNode Entity, string RelationId, string Label, double Weight, bool Outgoing);

public sealed record SubgraphNode(EntityNode Entity, int Depth);

public sealed record SubgraphEdge(string RelationId, string SourceId, string TargetId, string Label, double Weight);

public sealed record Subgraph(IReadOnlyList<SubgraphNode> Nodes, IReadOnlyList<SubgraphEdge> Edges);

/// <summary>A chain entity → relation → entity …; <c>EntityIds.Count == RelationIds.Count + 1</c>.</summary>
public sealed record GraphPath(IReadOnlyList<string> EntityIds, IReadOnlyList<string> RelationIds, double Cost);

public sealed record PageRankScores(IReadOnlyDictionary<string, double> Entities, IReadOnlyDictionary<string, double> Chunks);
