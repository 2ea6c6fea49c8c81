using System.Globalization;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>
/// The last step: the document graph from the resolved entities and the relations — one mention per candidate with
/// its span and chunk, and the entities ordered by first mention.
/// </summary>
internal static class GraphAssembly
{
    public static DocumentGraph Build(TokenizedDocument document, ResolvedEntities resolved, IReadOnlyList<Relation> relations)
    {
        var mentions = new List<Mention>(resolved.Mentions.Length);
        var startText = new string[2];
        foreach (var (candidate, entity) in resolved.Mentions)
        {
            startText[0] = candidate.Start.ToString(CultureInfo.InvariantCulture);
            startText[1] = candidate.End.ToString(CultureInfo.InvariantCulture);
            mentions.Add(new Mention
            {
                Id = FastStableId.Create("men", document.Id, startText[0], startText[1]),
                EntityId = entity.Id,
                Text = document.Slice(candidate.Start, candidate.End),
                Span = new TextSpan(document.Id, document.Chunks.Find(candidate.Start), candidate.Start, candidate.End),
                Type = entity.Type,
                Resolution = candidate.Resolution,
            });
        }

        var entities = resolved.Entities
            .OrderBy(e => e.Mentions.Min(m => m.Start))
            .Select(e => new ExtractedEntity(e.Id, e.Key, e.Name, e.Type))
            .ToList();

        return new DocumentGraph(entities, mentions, relations);
    }
}
