namespace GraphRag.Graph.Synonyms;

/// <summary>
/// The synonym edges of one snapshot: per entity id, the entities whose keys embed alike, each with the cosine
/// similarity that is the edge's evidence, most similar first (then by id). Immutable. An edge joins two entities whatever documents
/// mention them; a traversal shows it only to a caller who sees both ends, and since the score depends only on the two
/// keys (which such a caller sees), it reveals nothing of unreadable documents.
/// </summary>
public sealed class SynonymEdges
{
    private readonly IReadOnlyDictionary<string, SimilarEntity[]> _edges;

    internal SynonymEdges(long generation, IReadOnlyDictionary<string, SimilarEntity[]> edges)
    {
        Generation = generation;
        _edges = edges;
    }

    /// <summary>No edges, at no generation.</summary>
    public static SynonymEdges None { get; } = new(-1, new Dictionary<string, SimilarEntity[]>(StringComparer.Ordinal));

    /// <summary>The snapshot generation the edges were made for (-1: none made).</summary>
    public long Generation { get; }

    /// <summary>Edges, each counted once.</summary>
    public int Count => _edges.Values.Sum(e => e.Length) / 2;

    /// <summary>The entities similar to one entity, most similar first, then by id; empty for none.</summary>
    public ReadOnlySpan<SimilarEntity> Of(string entityId) =>
        _edges.TryGetValue(entityId, out var similar) ? similar : [];

    /// <summary>Every entity with edges, in id order, with its edges.</summary>
    internal IEnumerable<KeyValuePair<string, SimilarEntity[]>> All() =>
        _edges.OrderBy(p => p.Key, StringComparer.Ordinal);
}

/// <summary>An entity similar to another, with the cosine similarity of their keys' embeddings (from int8 vectors, 4 decimals).</summary>
public readonly record struct SimilarEntity(string EntityId, double Similarity);
