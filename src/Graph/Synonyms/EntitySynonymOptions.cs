using System.ComponentModel.DataAnnotations;

namespace GraphRag.Graph.Synonyms;

/// <summary>
/// Synonym edges between entities whose names embed alike (<c>GraphRag:Synonyms</c>), as HippoRAG 2 links them: they
/// let "Tidewater" reach "Tidewater Robotics AS" without merging two entities. Made in the in-memory indexes from each
/// entity's key, so the store's schema does not change; with embeddings off there are none.
/// </summary>
public sealed class EntitySynonymOptions
{
    /// <summary>
    /// Make synonym edges when an embedding generator is configured. Off by default: on musique-100 and hotpotqa-100
    /// walking them did not raise recall@5 at any weight tried (see <c>GraphRag:Query:SynonymWeight</c>), and making
    /// them adds the embedding of every entity name to ingestion. Turn on with a synonym weight above 0.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Least cosine similarity of two entity keys for an edge; only keys whose words nest ("tidewater" in "tidewater
    /// robotics") are compared. Measured with arctic-embed-xs on the musique-100 entities: unrelated short names score
    /// 0.8–0.95 by the million, so cosine alone cannot decide; among nested keys, 0.85 keeps "tidewater" / "tidewater
    /// robotics" (0.876), "obama" / "barack obama" (0.98), "spielberg" / "steven spielberg" (0.98) and drops most of a
    /// generic word and a longer name ("society" / "society for the exploration of …", 0.82).
    /// </summary>
    public double Threshold { get; set; } = 0.85;

    /// <summary>Keys shorter than this are not embedded: initials and codes embed alike without naming alike.</summary>
    [Range(1, 100)]
    public int MinKeyLength { get; set; } = 3;

    /// <summary>Entity types never linked: dates and quantities embed close to their neighbours on the number line.</summary>
    public IList<string> ExcludedTypes { get; set; } = [Model.EntityTypes.Date, Model.EntityTypes.Quantity];

    /// <summary>
    /// Names embedded per call to the generator. Batches of 32 take half the time of one name at a time on the local
    /// model; its int8 activations are quantised per batch, so a score can shift by about 0.01 with a name's batch-mates.
    /// </summary>
    [Range(1, 4096)]
    public int BatchSize { get; set; } = 32;
}
