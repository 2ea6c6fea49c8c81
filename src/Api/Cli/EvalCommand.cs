using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GraphRag.Hosting;
using GraphRag.Query;
using GraphRag.Query.Evaluation;
using Spectre.Console;

namespace GraphRag.Api.Cli;

internal static class EvalCommand
{
    public static Command Create(Func<ConsoleUi> ui)
    {
        var dataset = new Argument<string>("dataset-dir") { Description = "A folder with corpus.jsonl and questions.jsonl." };
        var mode = new Option<QueryMode>("--mode") { Description = "bm25, graph or hybrid (hybrid includes multi-hop).", DefaultValueFactory = _ => QueryMode.Hybrid };
        var hops = new Option<int>("--hops") { Description = "Retrieval rounds at most (1-10).", DefaultValueFactory = _ => 3 };
        var output = new Option<string?>("--out") { Description = "Write the full report (with per-question outcomes) as JSON to this file." };
        var command = new Command(
            "eval",
            "Ingest a dataset's corpus (or reuse --db), run every question, and report recall@2/@5, all-recall@5, answer EM/F1 and latency.")
        {
            dataset, mode, hops, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var folder = Path.GetFullPath(parse.GetValue(dataset)!);
            var corpus = Path.Combine(folder, "corpus.jsonl");
            var questionsFile = Path.Combine(folder, "questions.jsonl");
            if (!File.Exists(corpus) || !File.Exists(questionsFile))
            {
                console.Fail($"{folder} must contain corpus.jsonl and questions.jsonl");
                return ExitCodes.Error;
            }

            var maxHops = parse.GetValue(hops);
            if (maxHops is < 1 or > 10)
            {
                console.Fail("--hops must be 1-10");
                return ExitCodes.Error;
            }

            var name = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
            var database = parse.GetValue(CliOptions.Database) ?? Path.Combine(Path.GetTempPath(), $"graphrag-eval-{name}.db");
            var settings = CliOptions.LoadSettings(parse, database);
            await using var engine = await Engine.OpenAsync(settings, cancellationToken);

            // Ingest is idempotent: a reused store only takes what changed.
            var run = await IngestCommand.RunAsync(engine, [corpus], new ConsoleUi(TextWriter.Null, console.Error), cancellationToken);
            console.Error.WriteLine($"corpus: {IngestCommand.Describe(run)}");
            var questions = await EvalQuestion.LoadAsync(questionsFile, cancellationToken);
            var runner = new EvalRunner(engine.Query, engine.Backend.Indexes);
            var selected = parse.GetValue(mode);
            EvalReport report;
            if (console.Interactive)
            {
                report = await AnsiConsole.Progress().AutoClear(true).StartAsync(async context =>
                {
                    var task = context.AddTask($"{name} ({selected})", maxValue: questions.Count);
                    return await runner.RunAsync(name, questions, selected, maxHops, new Progress<int>(n => task.Value = n), cancellationToken);
                });
            }
            else
            {
                report = await runner.RunAsync(
                    name, questions, selected, maxHops, new InlineProgress(n =>
                    {
                        if (n % 25 == 0 || n == questions.Count)
                        {
                            console.Error.WriteLine($"progress: {n}/{questions.Count} questions");
                        }
                    }), cancellationToken);
            }

            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
            }

            if (parse.GetValue(CliOptions.Json))
            {
                console.Line(JsonSerializer.Serialize(report with { PerQuestion = null }));
            }
            else
            {
                Print(console, report);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(ConsoleUi console, EvalReport report)
    {
        console.Line($"dataset {report.Dataset}, mode {report.Mode}, {report.Questions} questions");
        console.Line("type            n   R@2    R@5    all@5  EM     F1     linked  p50ms  p95ms");
        foreach (var (type, row) in report.ByType.Prepend(new KeyValuePair<string, EvalReport>("overall", report)))
        {
            console.Line(string.Create(
                CultureInfo.InvariantCulture,
                $"{type,-14} {row.Questions,3}  {row.RecallAt2:F3}  {row.RecallAt5:F3}  {row.AllRecallAt5:F3}  {row.AnswerEm:F3}  {row.AnswerF1:F3}  {row.LinkingCoverage:F3}   {row.LatencyMsP50,5:F1}  {row.LatencyMsP95,5:F1}"));
        }
    }

    private sealed class InlineProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
