using System.CommandLine;
using GraphRag.Api.Hosting;
using GraphRag.Query.Analysis;
using GraphRag.Query.Retrieval;

namespace GraphRag.Api.Cli;

internal static class QueryCommand
{
    public static Command Create(Func<ConsoleUi> ui)
    {
        var text = new Argument<string>("question") { Description = "The question or search text." };
        var top = new Option<int>("--top", "-k") { Description = "How many passages to return.", DefaultValueFactory = _ => 5 };
        var command = new Command("query", "Ask a question; prints the best passages with their document and character span.")
        {
            text, top,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var question = parse.GetValue(text)!;
            var k = parse.GetValue(top);
            if (string.IsNullOrWhiteSpace(question) || k is < 1 or > 100)
            {
                console.Fail("the question must not be empty and --top must be between 1 and 100");
                return ExitCodes.Error;
            }

            var settings = GraphRagSettings.Load(parse.GetValue(CliOptions.Database));
            await using var engine = await Engine.OpenAsync(settings, cancellationToken);
            var results = await engine.Lexical.SearchAsync(QueryAnalyzer.Analyze(question), k, null, cancellationToken);
            if (parse.GetValue(CliOptions.Json))
            {
                console.WriteJson(new
                {
                    Question = question,
                    Results = results.Select(r => new
                    {
                        ChunkId = r.Chunk.Id,
                        DocumentId = r.Chunk.DocumentId,
                        Title = r.DocumentTitle,
                        Start = r.Chunk.Start,
                        End = r.Chunk.End,
                        r.Chunk.Page,
                        r.Chunk.Section,
                        r.Score,
                        r.Chunk.Text,
                    }),
                });
            }
            else
            {
                Print(console, results);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static void Print(ConsoleUi console, IReadOnlyList<ScoredChunk> results)
    {
        if (results.Count == 0)
        {
            console.Line("No matching passages.");
            return;
        }

        var rank = 1;
        foreach (var result in results)
        {
            var chunk = result.Chunk;
            var where = chunk.Page is { } page ? $", page {page}" : string.Empty;
            console.Line($"[{rank++}] {result.DocumentTitle} ({chunk.DocumentId}, chars {chunk.Start}-{chunk.End}{where}) score {result.Score:F2}");
            console.Line("    " + Snippet(chunk.Text, 300));
        }
    }

    internal static string Snippet(string text, int max)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= max ? flat : string.Concat(flat.AsSpan(0, max), "…");
    }
}
