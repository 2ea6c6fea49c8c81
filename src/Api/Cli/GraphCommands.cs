using System.CommandLine;
using GraphRag.Api.Hosting;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;

namespace GraphRag.Api.Cli;

/// <summary><c>entities</c>, <c>entity</c>, <c>path</c> and <c>delete</c>: exploring and editing the graph.</summary>
internal static class GraphCommands
{
    public static Command Entities(Func<ConsoleUi> ui)
    {
        var type = new Option<string?>("--type") { Description = "Only entities of this type (Person, Organization, Location, Work, Date, Quantity, Other, or a domain type)." };
        var top = new Option<int>("--top") { Description = "How many, most mentioned first (1-10000).", DefaultValueFactory = _ => 20 };
        var command = new Command("entities", "List entities, most mentioned first.") { type, top };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var n = parse.GetValue(top);
            if (n is < 1 or > 10_000)
            {
                console.Fail("--top must be 1-10000");
                return ExitCodes.Error;
            }

            await using var engine = await Engine.OpenAsync(GraphRagSettings.Load(parse.GetValue(CliOptions.Database)), cancellationToken);
            var entities = await engine.Store.FindEntitiesAsync(new EntitySearch(Type: parse.GetValue(type), Limit: n), cancellationToken);
            if (parse.GetValue(CliOptions.Json))
            {
                console.WriteJson(entities);
                return ExitCodes.Success;
            }

            foreach (var entity in entities)
            {
                console.Line($"{entity.Name,-40} {entity.Type,-13} {entity.MentionCount,5} mentions in {entity.DocumentCount} documents  {entity.Id}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Entity(Func<ConsoleUi> ui)
    {
        var name = new Argument<string>("name") { Description = "A name, alias or entity id." };
        var command = new Command("entity", "Show an entity: aliases, mentions with their document spans, and relations with evidence.") { name };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            await using var engine = await Engine.OpenAsync(GraphRagSettings.Load(parse.GetValue(CliOptions.Database)), cancellationToken);
            var query = parse.GetValue(name)!;
            var matches = await ResolveAsync(engine, query, cancellationToken);
            if (matches.Count == 0)
            {
                console.Fail($"no entity named '{query}'");
                return ExitCodes.PartialFailure;
            }

            var details = new List<object>();
            foreach (var entity in matches)
            {
                var mentions = await engine.Store.GetMentionsAsync(new MentionQuery { EntityIds = [entity.Id], Limit = 200 }, cancellationToken);
                var relations = await engine.Store.GetRelationsAsync(new RelationQuery { EntityIds = [entity.Id], Limit = 100 }, cancellationToken);
                var others = (await engine.Store.GetEntitiesAsync(
                        relations.SelectMany(r => new[] { r.SourceId, r.TargetId }).Distinct().ToList(), cancellationToken))
                    .ToDictionary(e => e.Id, e => e.Name);
                if (parse.GetValue(CliOptions.Json))
                {
                    details.Add(new { Entity = entity, Mentions = mentions, Relations = relations });
                    continue;
                }

                console.Line($"{entity.Name} ({entity.Type}) {entity.Id}: {entity.MentionCount} mentions in {entity.DocumentCount} documents");
                if (entity.Aliases.Count > 0)
                {
                    console.Line("  aliases: " + string.Join("; ", entity.Aliases));
                }

                console.Line("  mentions:");
                foreach (var mention in mentions.Take(20))
                {
                    console.Line($"    \"{mention.Text}\" in {mention.Span.DocumentId} chars {mention.Span.Start}-{mention.Span.End} ({mention.Resolution})");
                }

                console.Line("  relations:");
                foreach (var relation in relations.Where(r => r.Label != RelationLabels.CoOccurs).Concat(relations.Where(r => r.Label == RelationLabels.CoOccurs)).Take(25))
                {
                    var evidence = relation.Evidence.FirstOrDefault();
                    var where = evidence is null ? string.Empty : $"  [{evidence.Span.DocumentId} {evidence.Span.Start}-{evidence.Span.End}: \"{evidence.Phrase}\"]";
                    console.Line($"    {others.GetValueOrDefault(relation.SourceId, relation.SourceId)} -[{relation.Label} {relation.Weight:F2}]-> {others.GetValueOrDefault(relation.TargetId, relation.TargetId)}{where}");
                }
            }

            if (parse.GetValue(CliOptions.Json))
            {
                console.WriteJson(details);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Path(Func<ConsoleUi> ui)
    {
        var from = new Argument<string>("from") { Description = "Start entity: name, alias or id." };
        var to = new Argument<string>("to") { Description = "End entity: name, alias or id." };
        var hops = new Option<int>("--max-hops") { Description = "Longest path to accept (1-10).", DefaultValueFactory = _ => 6 };
        var command = new Command("path", "The cheapest chain of relations between two entities, each edge with its evidence.") { from, to, hops };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var maxHops = parse.GetValue(hops);
            if (maxHops is < 1 or > 10)
            {
                console.Fail("--max-hops must be 1-10");
                return ExitCodes.Error;
            }

            await using var engine = await Engine.OpenAsync(GraphRagSettings.Load(parse.GetValue(CliOptions.Database)), cancellationToken);
            var a = (await ResolveAsync(engine, parse.GetValue(from)!, cancellationToken)).FirstOrDefault();
            var b = (await ResolveAsync(engine, parse.GetValue(to)!, cancellationToken)).FirstOrDefault();
            if (a is null || b is null)
            {
                console.Fail($"no entity named '{(a is null ? parse.GetValue(from) : parse.GetValue(to))}'");
                return ExitCodes.PartialFailure;
            }

            var snapshot = await engine.Store.GetSnapshotAsync(cancellationToken);
            var path = snapshot.ShortestPath(a.Id, b.Id, maxHops: maxHops);
            if (path is null)
            {
                console.Line($"No path between {a.Name} and {b.Name} within {maxHops} relations.");
                return ExitCodes.PartialFailure;
            }

            var relations = (await engine.Store.GetRelationsAsync(new RelationQuery { RelationIds = path.RelationIds.ToList() }, cancellationToken))
                .ToDictionary(r => r.Id);
            var steps = path.RelationIds.Select((id, i) =>
            {
                var relation = relations[id];
                var source = snapshot.GetEntity(path.EntityIds[i])!;
                var target = snapshot.GetEntity(path.EntityIds[i + 1])!;
                return new
                {
                    From = source.Name,
                    relation.Label,
                    To = target.Name,
                    Forward = relation.SourceId == source.Id,
                    Evidence = relation.Evidence.Take(3).Select(e => new { e.Span.DocumentId, e.Span.ChunkId, e.Span.Start, e.Span.End, e.Phrase }),
                };
            }).ToList();
            if (parse.GetValue(CliOptions.Json))
            {
                console.WriteJson(new { From = a.Name, To = b.Name, path.Cost, Steps = steps });
                return ExitCodes.Success;
            }

            foreach (var step in steps)
            {
                var arrow = step.Forward ? $"-[{step.Label}]->" : $"<-[{step.Label}]-";
                console.Line($"{step.From} {arrow} {step.To}");
                foreach (var e in step.Evidence)
                {
                    console.Line($"    {e.DocumentId} chars {e.Start}-{e.End}: \"{e.Phrase}\"");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Delete(Func<ConsoleUi> ui)
    {
        var id = new Argument<string>("document-id") { Description = "The id of the document to remove." };
        var command = new Command("delete", "Remove a document, its chunks and mentions, the relations it alone supported and entities left without mentions.") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            await using var engine = await Engine.OpenAsync(GraphRagSettings.Load(parse.GetValue(CliOptions.Database)), cancellationToken);
            var documentId = parse.GetValue(id)!;
            if (!await engine.Store.DeleteAsync(documentId, cancellationToken))
            {
                console.Fail($"no document with id '{documentId}'");
                return ExitCodes.PartialFailure;
            }

            console.Line($"deleted {documentId}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>An entity id, or the entities whose name or alias has this key, most mentioned first.</summary>
    private static async Task<IReadOnlyList<Entity>> ResolveAsync(Engine engine, string query, CancellationToken cancellationToken)
    {
        var byId = await engine.Store.GetEntitiesAsync([query], cancellationToken);
        return byId.Count > 0 ? byId : await engine.Store.FindEntitiesAsync(new EntitySearch(query, Limit: 5), cancellationToken);
    }
}
