using System.Runtime.InteropServices;
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
        // Grouped by hand in first-seen order, as GroupBy would (the same rows in the same order, the same sums), without
        // its lookups and iterators: this runs for every document a load writes.
        var mentionCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var mentionGroups = new Dictionary<(string EntityId, string ChunkId, string Text), int>();
        var mentionKeys = new List<(string EntityId, string ChunkId, string Text)>();
        var mentionTotals = new List<int>();
        foreach (var mention in graph.Mentions)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(mentionCounts, mention.EntityId, out _)++;
            var key = (mention.EntityId, mention.Span.ChunkId, mention.Text);
            ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(mentionGroups, key, out var seen);
            if (!seen)
            {
                group = mentionKeys.Count;
                mentionKeys.Add(key);
                mentionTotals.Add(0);
            }

            mentionTotals[group]++;
        }

        var entities = graph.Entities.DistinctBy(e => e.Id, StringComparer.Ordinal)
            .Select(e => new EntityRow(e.Id, e.Key, e.Name, e.Type, mentionCounts.GetValueOrDefault(e.Id)))
            .ToList();
        var mentions = new List<MentionRow>(mentionKeys.Count);
        for (var i = 0; i < mentionKeys.Count; i++)
        {
            var (entityId, chunkId, text) = mentionKeys[i];
            mentions.Add(new MentionRow(entityId, chunkId, EntityKey.Normalize(text), text, mentionTotals[i]));
        }

        var evidenceGroups = new Dictionary<(string RelationId, string ChunkId), int>();
        var evidenceFirst = new List<(Relation Relation, string ChunkId)>();
        var evidenceWeights = new List<List<double>>();
        foreach (var relation in graph.Relations)
        {
            foreach (var item in relation.Evidence)
            {
                ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(evidenceGroups, (relation.Id, item.Span.ChunkId), out var seen);
                if (!seen)
                {
                    group = evidenceFirst.Count;
                    evidenceFirst.Add((relation, item.Span.ChunkId));
                    evidenceWeights.Add([]);
                }

                evidenceWeights[group].Add(item.Weight);
            }
        }

        var evidence = new List<EvidenceRow>(evidenceFirst.Count);
        for (var i = 0; i < evidenceFirst.Count; i++)
        {
            var (relation, chunkId) = evidenceFirst[i];
            var sum = 0.0;
            foreach (var weight in evidenceWeights[i])
            {
                sum += weight;
            }

            evidence.Add(new EvidenceRow(relation.Id, relation.SourceId, relation.TargetId, relation.Label, chunkId, Math.Round(sum, 9)));
        }

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
