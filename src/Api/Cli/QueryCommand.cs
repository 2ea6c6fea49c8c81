using System.CommandLine;
using GraphRag.Hosting;
using GraphRag.Query;
using GraphRag.Query.Answering;

namespace GraphRag.Api.Cli;

internal static class QueryCommand
{
    public static Command Create(Func<ConsoleUi> ui)
    {
        var text = new Argument<string>("question") { Description = "The question." };
        var top = new Option<int>("--top", "-k") { Description = $"Passages to return (1-100; default {QueryRequest.DefaultTopK}).", DefaultValueFactory = _ => QueryRequest.DefaultTopK };
        var mode = new Option<QueryMode>("--mode") { Description = "Channels: bm25, graph, vector (dense only, needs embeddings) or hybrid (all, with multi-hop).", DefaultValueFactory = _ => QueryMode.Hybrid };
        var hops = new Option<int>("--hops") { Description = "Retrieval rounds at most (1-10).", DefaultValueFactory = _ => 3 };
        var command = new Command("query", "Answer a question with citations to the stored text and the graph paths behind the answer.")
        {
            text, top, mode, hops,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var question = parse.GetValue(text)!;
            var k = parse.GetValue(top);
            var maxHops = parse.GetValue(hops);
            if (string.IsNullOrWhiteSpace(question) || k is < 1 or > 100 || maxHops is < 1 or > 10)
            {
                console.Fail("the question must not be empty, --top must be 1-100 and --hops 1-10");
                return ExitCodes.Error;
            }

            var settings = CliOptions.LoadSettings(parse, parse.GetValue(CliOptions.Database), StoreUse.Existing);
            await using var engine = await Engine.OpenAsync(settings, cancellationToken);
            var selected = parse.GetValue(mode);
            if (!engine.Query.Supports(selected))
            {
                console.Fail($"--mode {selected.ToString().ToLowerInvariant()} needs embeddings, which are off (--no-embeddings or GraphRag:Embeddings:Enabled=false)");
                return ExitCodes.Error;
            }

            // A one-off process pays for loading the embedding model and the indexes both; started now, the model loads on
            // the second core while the query loads the indexes, rather than after them in its first round.
            var model = selected is QueryMode.Hybrid or QueryMode.Vector
                ? Task.Run(() => IngestCommand.LoadEmbeddingModelAsync(engine, cancellationToken), cancellationToken)
                : Task.FromResult(TimeSpan.Zero);
            var result = await engine.Query.QueryAsync(
                new QueryRequest { Question = question, Mode = selected, TopK = k, MaxHops = maxHops }, cancellationToken);
            await model;
            if (parse.GetValue(CliOptions.Json))
            {
                console.WriteJson(QueryJson.From(result));
            }
            else
            {
                Print(console, result);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static void Print(ConsoleUi console, QueryResult result)
    {
        console.Line($"Answer: {result.Answer}{(result.InsufficientEvidence ? string.Empty : $"  (confidence {result.Confidence:F2})")}");
        if (result.AnswerNote is { } note)
        {
            console.Line($"Note: {note}");
        }

        foreach (var dropped in result.DroppedClaims ?? [])
        {
            console.Line($"Dropped claim: \"{Snippet(dropped.Text, 200)}\" ({dropped.Reason})");
        }

        if (result.Usage is { } usage)
        {
            var cost = usage.EstimatedCostUsd is { } usd ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $", about ${usd:0.######}") : ", price unknown";
            console.Line($"Model usage: {usage.Requests} requests, {usage.InputTokens} tokens in, {usage.OutputTokens} out{cost}");
        }

        if (result.InsufficientEvidence && result.Passages.Count > 0)
        {
            console.Line("The stored documents do not support an answer. Closest evidence:");
        }

        // Each step is shown as its relation reads (source -[label]-> target); the chain runs question → answer. Two
        // paths through different entities of the same name would read alike, so each line is printed once.
        var lines = result.Paths.Select(path => "Path: " + string.Join("; ", path.Steps.Select(s => $"{s.SourceName} -[{s.Label}]-> {s.TargetName}")));
        foreach (var line in lines.Distinct(StringComparer.Ordinal).Take(2))
        {
            console.Line(line);
        }

        console.Line();
        console.Line("Citations:");
        var n = 1;
        foreach (var citation in result.Citations.Take(6))
        {
            var page = citation.Page is { } p ? $", page {p}" : string.Empty;
            console.Line($"[{n++}] {citation.DocumentTitle} ({citation.DocumentId}, chars {citation.Start}-{citation.End}{page})");
            console.Line("    \"" + Snippet(citation.Quote, 300) + "\"");
        }

        if (result.Hops.Count > 1)
        {
            console.Line();
            foreach (var hop in result.Hops)
            {
                var bridges = hop.BridgeEntities.Count > 0 ? " via " + string.Join(", ", hop.BridgeEntities) : string.Empty;
                console.Line($"hop {hop.Hop}{bridges}: {hop.NewPassages.Count} new passages, best score {hop.TopScore:F2}");
            }
        }
    }

    internal static string Snippet(string text, int max)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= max ? flat : string.Concat(flat.AsSpan(0, max), "…");
    }
}

/// <summary>The JSON shape of a query result: everything, in the shared naming (<see cref="ApiJson"/>).</summary>
internal static class QueryJson
{
    /// <summary>
    /// The result's JSON; with a language model, also its claims, dropped claims, usage and note (without one the shape
    /// is unchanged).
    /// </summary>
    public static object From(QueryResult result)
    {
        var basic = Basic(result);
        if (result.Usage is null && result.Claims is null)
        {
            return basic;
        }

        var node = System.Text.Json.JsonSerializer.SerializeToNode(basic, ApiJson.Cli)!.AsObject();
        node["claims"] = System.Text.Json.JsonSerializer.SerializeToNode(result.Claims, ApiJson.Cli);
        node["droppedClaims"] = System.Text.Json.JsonSerializer.SerializeToNode(result.DroppedClaims, ApiJson.Cli);
        node["usage"] = System.Text.Json.JsonSerializer.SerializeToNode(result.Usage, ApiJson.Cli);
        node["answerNote"] = result.AnswerNote;
        return node;
    }

    private static object Basic(QueryResult result) => new
    {
        result.Question,
        Mode = result.Mode.ToString().ToLowerInvariant(),
        result.Answer,
        result.InsufficientEvidence,
        result.Confidence,
        Citations = result.Citations,
        Paths = result.Paths,
        Passages = result.Passages.Select(p => new
        {
            ChunkId = p.Chunk.Id,
            p.Chunk.DocumentId,
            Title = p.DocumentTitle,
            p.Chunk.Start,
            p.Chunk.End,
            p.Chunk.Page,
            p.Chunk.Section,
            p.Score,
            p.Explanation,
            p.Chunk.Text,
        }),
        result.LinkedEntities,
        result.Hops,
        result.Timings,
        Cypher = AnswerPathCypher.For(result),
    };
}
