using System.ComponentModel.DataAnnotations;

namespace GraphRag.Graph.Synonyms;

/// <summary>
/// Synonym edges between entities whose names embed alike (<c>GraphRag:Synonyms</c>), as HippoRAG 2 links them: they
/// let "Tidewater" reach "Tidewater Robotics AS" without merging two entities. Made in the in-memory indexes from each
/// entity's key, so the store's schema does not change; with embeddings off there are none.
/// </summary>
public sealed class EntitySynonymOptions
{
    /// <summary>Make synonym edges when an embedding generator is configured.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Least cosine similarity of two entity keys for an edge. Measured on the musique and hotpotqa entities with
    /// arctic-embed-xs: from 0.9 up, pairs are mostly the same thing named longer or shorter; below it, siblings
    /// ("1998 world cup" / "2002 world cup", "john smith" / "john smyth").
    /// </summary>
    [Range(0.5, 1.0)]
    public double Threshold { get; set; } = 0.9;

    /// <summary>
    /// Most edges one entity gets (its nearest above the threshold). High enough that only hubs of near-identical
    /// names reach it.
    /// </summary>
    [Range(1, 1024)]
    public int MaxNeighbours { get; set; } = 32;

    /// <summary>Keys shorter than this are not embedded: initials and codes embed alike without naming alike.</summary>
    [Range(1, 100)]
    public int MinKeyLength { get; set; } = 3;

    /// <summary>Entity types never linked: dates and quantities embed close to their neighbours on the number line.</summary>
    public IList<string> ExcludedTypes { get; set; } = [Model.EntityTypes.Date, Model.EntityTypes.Quantity];

    /// <summary>Names embedded per call to the generator.</summary>
    [Range(1, 4096)]
    public int BatchSize { get; set; } = 128;
}
