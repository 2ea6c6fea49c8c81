using GraphRag.Graph.Traversal;

namespace GraphRag.Query.Retrieval;

/// <summary>
/// The graph as one query's caller sees it: a snapshot and the caller's visibility mask, read-only. Retrieval hands
/// this to answering, so nothing after retrieval can reach the snapshot unmasked or look beyond what it shows.
/// </summary>
public sealed class GraphView
{
    // A query asks for the same entities' neighbours again and again (each round's bridges, every step of the chain
    // search, each chain's agreement); the snapshot is immutable, so the view answers each once.
    private readonly Dictionary<(string EntityId, bool LabelledOnly, int Limit), IReadOnlyList<Neighbour>> _neighbours = [];

    internal GraphView(GraphSnapshot snapshot, Visibility? visibility)
    {
        Snapshot = snapshot;
        Visibility = visibility;
    }

    internal GraphSnapshot Snapshot { get; }

    internal Visibility? Visibility { get; }

    /// <summary>The store generation the view was taken at.</summary>
    public long Generation => Snapshot.Generation;

    public string? TypeOf(string entityId) => Snapshot.TypeOf(entityId, Visibility);

    public string? NameOf(string entityId) => Snapshot.NameOf(entityId, Visibility);

    public EntityNode? Node(string entityId) => Snapshot.VisibleNode(entityId, Visibility);

    public IReadOnlyList<Neighbour> Neighbours(string entityId, bool labelledOnly = false, int limit = 50)
    {
        // A query reads its view from one flow at a time; the lock only keeps a stray concurrent reader safe.
        lock (_neighbours)
        {
            if (!_neighbours.TryGetValue((entityId, labelledOnly, limit), out var neighbours))
            {
                neighbours = Snapshot.Neighbours(entityId, Visibility, labelledOnly, limit);
                _neighbours[(entityId, labelledOnly, limit)] = neighbours;
            }

            return neighbours;
        }
    }

    public GraphPath? FindPath(string fromEntityId, string toEntityId, int maxHops = 4) => Snapshot.FindPath(fromEntityId, toEntityId, Visibility, maxHops);

    public bool IsChunkVisible(string chunkId) => Snapshot.IsChunkVisible(chunkId, Visibility);

    public IReadOnlyList<EntityNode> EntitiesIn(string chunkId) => Snapshot.EntitiesIn(chunkId, Visibility);

    public string? DocumentOf(string chunkId) => Snapshot.DocumentOf(chunkId);

    /// <summary>The chunks the caller may read that mention the entity, with their documents and mention counts.</summary>
    public IReadOnlyList<(string ChunkId, string DocumentId, int Mentions)> ChunksOf(string entityId) => Snapshot.ChunksOf(entityId, Visibility);

    public int ChunkFrequency(string entityId) => Snapshot.ChunkFrequency(entityId, Visibility);

    public int VisibleChunkCount => Snapshot.VisibleChunkCount(Visibility);

    public IReadOnlyList<(EntityNode Entity, int Chunks)> LookupKey(string key) => Snapshot.LookupKey(key, Visibility);

    public int MaxKeyWords => Snapshot.MaxKeyWords;

    public PageRankScores PersonalizedPageRank(
        IReadOnlyDictionary<string, double> entitySeeds, IReadOnlyDictionary<string, double>? chunkSeeds, double restart, double synonymWeight = 0) =>
        Snapshot.PersonalizedPageRank(entitySeeds, chunkSeeds, Visibility, restart, synonymFactor: synonymWeight);
}
