using GraphRag.Graph.Model;

namespace GraphRag.Graph.Rows;

/// <summary>
/// Everything one document contributes to the in-memory indexes (lexical postings and the graph snapshot), in the
/// shape every store can produce: from its tables when it loads, from the bundle it just wrote when it commits. Both
/// give the same rows, so an index kept up to date write by write equals one loaded afresh.
/// </summary>
/// <param name="DocumentId">The document.</param>
/// <param name="Title">Its title (indexed with every chunk).</param>
/// <param name="Acl">Who may read it; documents with equal ACLs share an access partition.</param>
/// <param name="Chunks">Its chunks in order.</param>
/// <param name="Entities">What it says of each entity it mentions: the name and type it uses, and how often.</param>
/// <param name="Mentions">Its mentions, counted per entity, chunk and surface text.</param>
/// <param name="Evidence">Its relation evidence, weight summed per relation and chunk.</param>
public sealed record DocumentRows(
    string DocumentId,
    string Title,
    IReadOnlyList<string> Acl,
    IReadOnlyList<ChunkRow> Chunks,
    IReadOnlyList<EntityRow> Entities,
    IReadOnlyList<MentionRow> Mentions,
    IReadOnlyList<EvidenceRow> Evidence)
{
    /// <summary>Its chunks' embeddings, when the store keeps them.</summary>
    public IReadOnlyList<ChunkVector> Vectors { get; init; } = [];

    /// <summary>The rows of a bundle about to be (or just) written, as a store will read them back.</summary>
    public static DocumentRows From(DocumentBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var document = bundle.Document;
        var graph = bundle.Graph;
        var mentionCounts = graph.Mentions.GroupBy(m => m.EntityId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var entities = graph.Entities.DistinctBy(e => e.Id, StringComparer.Ordinal)
            .Select(e => new EntityRow(e.Id, e.Key, e.Name, e.Type, mentionCounts.GetValueOrDefault(e.Id)))
            .ToList();
        var mentions = graph.Mentions
            .GroupBy(m => (m.EntityId, m.Span.ChunkId, m.Text))
            .Select(g => new MentionRow(g.Key.EntityId, g.Key.ChunkId, EntityKey.Normalize(g.Key.Text), g.Key.Text, g.Count()))
            .ToList();
        var evidence = graph.Relations
            .SelectMany(r => r.Evidence.Select(e => (Relation: r, e.Span.ChunkId, e.Weight)))
            .GroupBy(e => (e.Relation.Id, e.ChunkId))
            .Select(g =>
            {
                var relation = g.First().Relation;
                return new EvidenceRow(relation.Id, relation.SourceId, relation.TargetId, relation.Label, g.Key.ChunkId, Math.Round(g.Sum(e => e.Weight), 9));
            })
            .ToList();
        return new DocumentRows(
            document.Id, document.Title, document.Acl, bundle.Chunks.Select(c => new ChunkRow(c.Id, c.Text)).ToList(), entities, mentions, evidence)
        {
            Vectors = bundle.Vectors,
        };
    }
}

/// <summary>A chunk's id and text.</summary>
public sealed record ChunkRow(string ChunkId, string Text);

/// <summary>One document's view of an entity: the name and type it uses and how many times it mentions it.</summary>
public sealed record EntityRow(string EntityId, string Key, string Name, string Type, int Mentions);

/// <summary>Mentions of an entity in one chunk under one surface text (and that text's normalised key).</summary>
public sealed record MentionRow(string EntityId, string ChunkId, string SurfaceKey, string Text, int Count);

/// <summary>A relation's evidence in one chunk: its weight summed over the spans there (rounded to 9 decimals).</summary>
public sealed record EvidenceRow(string RelationId, string SourceId, string TargetId, string Label, string ChunkId, double Weight);
