using System.CommandLine;
using GraphRag.Hosting;
using GraphRag.Graph.Model;
using GraphRag.Query.Exploration;

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

            await using var engine = await Engine.OpenAsync(CliOptions.LoadSettings(parse, parse.GetValue(CliOptions.Database), StoreUse.Existing), cancellationToken);
            // The CLI is the local administrator: a null scope sees everything under the stored names.
            var entities = await engine.Explorer.SearchEntitiesAsync(null, parse.GetValue(type), n, scope: null, cancellationToken);
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
            await using var engine = await Engine.OpenAsync(CliOptions.LoadSettings(parse, parse.GetValue(CliOptions.Database), StoreUse.Existing), cancellationToken);
            var explorer = engine.Explorer;
            var query = parse.GetValue(name)!;
            var matches = await explorer.ResolveAsync(query, 5, scope: null, cancellationToken);
            if (matches.Count == 0)
            {
                console.Fail($"no entity named '{query}'");
                return ExitCodes.PartialFailure;
            }

            var details = new List<EntityDetails>();
            foreach (var match in matches)
            {
                // Resolved by id, so each match's own page.
                var entity = await explorer.GetEntityAsync(match.Id, scope: null, cancellationToken);
                if (entity is null)
                {
                    continue;
                }

                if (parse.GetValue(CliOptions.Json))
                {
                    details.Add(entity);
                    continue;
                }

                console.Line($"{entity.Name} ({entity.Type}) {entity.Id}: {entity.MentionCount} mentions in {entity.DocumentCount} documents");
                if (entity.Aliases.Count > 0)
                {
                    console.Line("  aliases: " + string.Join("; ", entity.Aliases));
                }

                console.Line("  mentions:");
                foreach (var mention in entity.Mentions.Take(20))
                {
                    console.Line($"    \"{mention.Text}\" in {mention.DocumentId} chars {mention.Start}-{mention.End} ({mention.Resolution}{(mention.Extractor == Extractors.Rules ? string.Empty : ", " + mention.Extractor)})");
                }

                console.Line("  relations:");
                foreach (var relation in entity.Relations.Where(r => r.Label != RelationLabels.CoOccurs).Concat(entity.Relations.Where(r => r.Label == RelationLabels.CoOccurs)).Take(25))
                {
                    var evidence = relation.Evidence.FirstOrDefault();
                    var where = evidence is null ? string.Empty
                        : $"  [{evidence.DocumentId} {evidence.Start}-{evidence.End}: \"{QueryCommand.Snippet(evidence.Quote, 200)}\"{(evidence.Extractor == Extractors.Rules ? string.Empty : ", " + evidence.Extractor)}]";
                    console.Line($"    {relation.SourceName} -[{relation.Label} {relation.Weight:F2}]-> {relation.TargetName}{where}");
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

            await using var engine = await Engine.OpenAsync(CliOptions.LoadSettings(parse, parse.GetValue(CliOptions.Database), StoreUse.Existing), cancellationToken);
            var explorer = engine.Explorer;
            var a = (await explorer.ResolveAsync(parse.GetValue(from)!, 1, scope: null, cancellationToken)).FirstOrDefault();
            var b = (await explorer.ResolveAsync(parse.GetValue(to)!, 1, scope: null, cancellationToken)).FirstOrDefault();
            if (a is null || b is null)
            {
                console.Fail($"no entity named '{(a is null ? parse.GetValue(from) : parse.GetValue(to))}'");
                return ExitCodes.PartialFailure;
            }

            var path = await explorer.FindPathAsync(a.Id, b.Id, maxHops, scope: null, cancellationToken);
            if (path is null)
            {
                console.Line($"No path between {a.Name} and {b.Name} within {maxHops} relations.");
                return ExitCodes.PartialFailure;
            }

            if (parse.GetValue(CliOptions.Json))
            {
                console.WriteJson(path);
                return ExitCodes.Success;
            }

            foreach (var step in path.Steps)
            {
                var arrow = step.Forward ? $"-[{step.Label}]->" : $"<-[{step.Label}]-";
                console.Line($"{step.From} {arrow} {step.To}");
                foreach (var e in step.Evidence)
                {
                    console.Line($"    {e.DocumentId} chars {e.Start}-{e.End}: \"{QueryCommand.Snippet(e.Quote, 300)}\"");
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
            await using var engine = await Engine.OpenAsync(CliOptions.LoadSettings(parse, parse.GetValue(CliOptions.Database), StoreUse.Existing), cancellationToken);
            var documentId = parse.GetValue(id)!;
            if (!await engine.Writer.DeleteAsync(documentId, cancellationToken))
            {
                console.Fail($"no document with id '{documentId}'");
                return ExitCodes.PartialFailure;
            }

            console.Line($"deleted {documentId}");
            return ExitCodes.Success;
        });
        return command;
    }
}
