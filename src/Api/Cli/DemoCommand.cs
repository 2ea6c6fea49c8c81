using System.CommandLine;
using System.Text.Json;
using GraphRag.Api.Hosting;
using GraphRag.Query;

namespace GraphRag.Api.Cli;

internal static class DemoCommand
{
    public static Command Create(Func<ConsoleUi> ui)
    {
        var samples = new Option<string?>("--samples") { Description = "The samples folder (default: samples/ found from the working folder upwards)." };
        var command = new Command("demo", "Ingest the bundled samples, answer a sample question and print the cited spans.") { samples };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var folder = parse.GetValue(samples) ?? FindSamples();
            if (folder is null || !Directory.Exists(Path.Combine(folder, "corpus")))
            {
                console.Fail("cannot find the samples folder (samples/corpus); pass --samples <folder>");
                return ExitCodes.Error;
            }

            var settings = GraphRagSettings.Load(parse.GetValue(CliOptions.Database));
            await using var engine = await Engine.OpenAsync(settings, cancellationToken);
            console.Line($"Ingesting {Path.Combine(folder, "corpus")} into {engine.Store.FilePath} …");
            var run = await IngestCommand.RunAsync(engine, [Path.Combine(folder, "corpus")], console, cancellationToken);
            console.Line(IngestCommand.Describe(run));

            var question = await FirstQuestionAsync(Path.Combine(folder, "questions.jsonl"), cancellationToken)
                ?? "Who founded the company?";
            console.Line();
            console.Line($"Question: {question}");
            var result = await engine.Query.QueryAsync(new QueryRequest { Question = question, TopK = 3 }, cancellationToken);
            QueryCommand.Print(console, result);
            console.Line();
            console.Line("Try: graphrag query \"<your question>\"   (add --json for everything)");
            return run.Summary.Failed > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
        });
        return command;
    }

    internal static string? FindSamples()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "samples");
                if (Directory.Exists(Path.Combine(candidate, "corpus")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static async Task<string?> FirstQuestionAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            if (json.RootElement.TryGetProperty("question", out var q) && json.RootElement.TryGetProperty("type", out var type)
                && type.GetString() != "unanswerable")
            {
                return q.GetString();
            }
        }

        return null;
    }
}
