using System.Globalization;
using GraphRag.Graph;
using GraphRag.Graph.Model;

namespace GraphRag.Conformance;

/// <summary>Builds document bundles by hand so store tests depend on nothing but the store contract.</summary>
public static class Bundles
{
    public const string Pipeline = "test-pipeline";

    /// <summary>A document whose chunks are its paragraphs (split on blank lines).</summary>
    public static DocumentBundle Create(
        string id, string text, string? title = null, DocumentGraph? graph = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var document = new Document
        {
            Id = id,
            Source = id,
            Title = title ?? id,
            MediaType = "text/plain",
            Text = text,
            ContentHash = StableId.Hash(text, title ?? id),
            Metadata = metadata ?? new Dictionary<string, string>(),
        };
        var chunks = new List<Chunk>();
        var start = 0;
        foreach (var paragraph in text.Split("\n\n"))
        {
            chunks.Add(new Chunk
            {
                Id = StableId.Create("chk", id, chunks.Count.ToString(CultureInfo.InvariantCulture), paragraph),
                DocumentId = id,
                Ordinal = chunks.Count,
                Start = start,
                End = start + paragraph.Length,
                Text = paragraph,
                TokenCount = paragraph.Split(' ').Length,
            });
            start += paragraph.Length + 2;
        }

        return new DocumentBundle(document, chunks, graph ?? DocumentGraph.Empty, Pipeline);
    }

    /// <summary>A document mentioning the named entities (each must occur in the text) and relating consecutive pairs.</summary>
    public static DocumentBundle WithEntities(string id, string text, params string[] names)
    {
        var plain = Create(id, text);
        var chunk = plain.Chunks[0];
        var entities = new List<ExtractedEntity>();
        var mentions = new List<Mention>();
        foreach (var name in names)
        {
            var at = text.IndexOf(name, StringComparison.Ordinal);
            if (at < 0)
            {
                throw new ArgumentException($"'{name}' is not in the text.", nameof(names));
            }

            var key = EntityKey.Normalize(name);
            var entityId = StableId.Create("ent", key);
            entities.Add(new ExtractedEntity(entityId, key, name, EntityTypes.Other));
            var owner = plain.Chunks.Last(c => c.Start <= at);
            mentions.Add(new Mention
            {
                Id = StableId.Create("men", id, at.ToString(CultureInfo.InvariantCulture)),
                EntityId = entityId,
                Text = name,
                Span = new TextSpan(id, owner.Id, at, at + name.Length),
                Type = EntityTypes.Other,
            });
        }

        var relations = new List<Relation>();
        for (var i = 0; i + 1 < entities.Count; i++)
        {
            var source = entities[i].Id;
            var target = entities[i + 1].Id;
            relations.Add(new Relation
            {
                Id = StableId.Create("rel", source, RelationLabels.CoOccurs, target),
                SourceId = source,
                TargetId = target,
                Label = RelationLabels.CoOccurs,
                Weight = 1,
                Evidence = [new RelationEvidence(new TextSpan(id, chunk.Id, 0, Math.Min(text.Length, chunk.End)), "and", 1)],
            });
        }

        return plain with { Graph = new DocumentGraph(entities, mentions, relations) };
    }
}
