using GraphRag.Graph.Model;
using GraphRag.Graph.Traversal;

namespace GraphRag.Graph.Abstractions;

/// <summary>The current traversal snapshot of a store's graph.</summary>
public interface ISnapshotSource
{
    /// <summary>An immutable in-memory view of the graph at the store's current generation.</summary>
    Task<GraphSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default);
}

/// <summary>Reads the stored entity graph: entities, their mentions, and relations with their evidence.</summary>
public interface IGraphReader
{
    Task<IReadOnlyList<Entity>> GetEntitiesAsync(IReadOnlyCollection<string> entityIds, CancellationToken cancellationToken = default);

    /// <summary>Entities by name (exact key or alias key, or a prefix), type, or neither (the most mentioned).</summary>
    Task<IReadOnlyList<Entity>> FindEntitiesAsync(EntitySearch search, CancellationToken cancellationToken = default);

    /// <summary>Mentions of the given entities, or in the given chunks, with their spans.</summary>
    Task<IReadOnlyList<Mention>> GetMentionsAsync(MentionQuery query, CancellationToken cancellationToken = default);

    /// <summary>Relations touching the given entities (or with these ids), each with its evidence.</summary>
    Task<IReadOnlyList<Relation>> GetRelationsAsync(RelationQuery query, CancellationToken cancellationToken = default);
}

/// <param name="Name">Matched against entity keys and the keys of every surface form (aliases); null for any.</param>
/// <param name="Type">Restrict to one type; null for any.</param>
/// <param name="Prefix">Match names that start with <paramref name="Name"/> rather than equal it.</param>
/// <param name="Limit">At most this many, most-mentioned first.</param>
public sealed record EntitySearch(string? Name = null, string? Type = null, bool Prefix = false, int Limit = 20);

public sealed record MentionQuery
{
    public IReadOnlyCollection<string>? EntityIds { get; init; }

    public IReadOnlyCollection<string>? ChunkIds { get; init; }

    public int Limit { get; init; } = 1000;
}

public sealed record RelationQuery
{
    public IReadOnlyCollection<string>? EntityIds { get; init; }

    public IReadOnlyCollection<string>? RelationIds { get; init; }

    /// <summary>Leave out <see cref="RelationLabels.CoOccurs"/> edges.</summary>
    public bool LabelledOnly { get; init; }

    public int Limit { get; init; } = 1000;
}
