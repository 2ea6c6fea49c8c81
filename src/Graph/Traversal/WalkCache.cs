namespace GraphRag.Graph.Traversal;

/// <summary>
/// What personalised PageRank reads of one snapshot under one mask (or none) that does not depend on the walk: each
/// node's degree and each entity's relation edges with their walk weights. Walks from different queries reach the same
/// neighbourhoods, and these were read through one object per relation and a logarithm per edge on every push; they
/// are kept here, filled the first time a walk reaches a node. Entries are computed from immutable state, so a race
/// writes the same value twice and is harmless.
/// </summary>
internal sealed class WalkCache
{
    private WalkCache(int entities, int chunks, double coOccurrenceFactor)
    {
        CoOccurrenceFactor = coOccurrenceFactor;
        Degrees = new int[entities + chunks];
        Relations = new WalkRelation[]?[entities];
    }

    /// <summary>The weight a co-occurrence edge carries against a labelled relation in <see cref="Relations"/>.</summary>
    public double CoOccurrenceFactor { get; }

    /// <summary>Per node (entity slots, then chunk slots): its visible degree + 1; 0 is not known yet.</summary>
    public int[] Degrees { get; }

    /// <summary>Per entity: its visible relations with a positive walk weight, in traversal order.</summary>
    public WalkRelation[]?[] Relations { get; }

    /// <summary>
    /// The cache in <paramref name="slot"/> when it was made for <paramref name="coOccurrenceFactor"/>; otherwise a new
    /// one, stored there when the slot was empty (a walk with another factor gets one of its own, not kept).
    /// </summary>
    public static WalkCache For(ref WalkCache? slot, int entities, int chunks, double coOccurrenceFactor)
    {
        var current = Volatile.Read(ref slot);
        if (current is not null)
        {
            return current.CoOccurrenceFactor.Equals(coOccurrenceFactor) ? current : new WalkCache(entities, chunks, coOccurrenceFactor);
        }

        var created = new WalkCache(entities, chunks, coOccurrenceFactor);
        return Interlocked.CompareExchange(ref slot, created, null) is { } raced && raced.CoOccurrenceFactor.Equals(coOccurrenceFactor) ? raced : created;
    }
}

/// <summary>One walk edge of an entity along a relation: the entity at its other end and the edge's weight.</summary>
internal readonly record struct WalkRelation(int Other, double Weight);
