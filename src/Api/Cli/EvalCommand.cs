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
    /// <summary>The order <c>--mode all</c> runs and prints the modes: each channel alone, then fused.</summary>
    private static readonly QueryMode[] AllModes = [QueryMode.Bm25, QueryMode.Graph, QueryMode.Vector, QueryMode.Hybrid];

    public static Command Create(Func<ConsoleUi> ui)
    {
        var dataset = new Argument<string>("dataset-dir")
        {
            Description = "A folder with questions.jsonl and its corpus: corpus.jsonl (one passage a line) or a corpus/ folder of documents (as samples/ has).",
        };
        var mode = new Option<string>("--mode")
        {
            Description = "bm25, graph, vector (dense only; needs embeddings), hybrid (all channels, with multi-hop), or all: "
                + "each channel alone and hybrid, in one table (vector only when embeddings are on).",
            DefaultValueFactory = _ => "hybrid",
        };
        mode.AcceptOnlyFromAmong([.. AllModes.Select(Name), "all"]);
        var hops = new Option<int>("--hops") { Description = "Retrieval rounds at most (1-10).", DefaultValueFactory = _ => 3 };
        var output = new Option<string?>("--out") { Description = "Write the full report (with per-question outcomes) as JSON to this file." };
        var command = new Command(
            "eval",
            "Ingest a dataset's corpus (or reuse --db), run every question, and report recall@2/@5, all-recall@5, answer EM/F1 and latency; "
            + "the corpus line says what embedding took.")
        {
            dataset, mode, hops, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var folder = Path.GetFullPath(parse.GetValue(dataset)!);
            var corpus = Path.Combine(folder, "corpus.jsonl");
            if (!File.Exists(corpus) && Directory.Exists(Path.Combine(folder, "corpus")))
            {
                corpus = Path.Combine(folder, "corpus");
            }

            var questionsFile = Path.Combine(folder, "questions.jsonl");
            if (!Path.Exists(corpus) || !File.Exists(questionsFile))
            {
                console.Fail($"{folder} must contain questions.jsonl and a corpus (corpus.jsonl or a corpus/ folder)");
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
            var settings = CliOptions.LoadSettings(parse, database, StoreUse.Create);
            await using var engine = await Engine.OpenAsync(settings, cancellationToken);
            var requested = parse.GetValue(mode)!;
            var all = requested == "all";
            var modes = all ? AllModes.Where(engine.Query.Supports).ToList() : [AllModes.Single(m => Name(m) == requested)];
            if (!engine.Query.Supports(modes[0]))
            {
                console.Fail($"--mode {requested} needs embeddings, which are off (--no-embeddings or GraphRag:Embeddings:Enabled=false)");
                return ExitCodes.Error;
            }

            // Loaded first, so the corpus line's vectors/s measure embedding rather than loading the model.
            await IngestCommand.LoadEmbeddingModelAsync(engine, cancellationToken);

            // Ingest is idempotent: a reused store only takes what changed.
            var run = await IngestCommand.RunAsync(engine, [corpus], new ConsoleUi(TextWriter.Null, console.Error), cancellationToken);
            console.Error.WriteLine($"corpus: {IngestCommand.Describe(run)}; {IngestCommand.DescribeEmbeddings(run, engine.VectorModel)}");
            var questions = await EvalQuestion.LoadAsync(questionsFile, cancellationToken);
            var runner = new EvalRunner(engine.Query, engine.Backend.Indexes);
            var reports = new List<EvalReport>();
            foreach (var selected in modes)
            {
                reports.Add(await RunModeAsync(console, runner, name, questions, selected, maxHops, cancellationToken));
            }

            var comparison = new EvalComparison { Dataset = name, Corpus = Corpus(run, engine), Modes = reports };
            if (parse.GetValue(output) is { } file)
            {
                object full = all ? comparison : reports[0];
                await File.WriteAllTextAsync(file, JsonSerializer.Serialize(full, ApiJson.CliIndented), cancellationToken);
            }

            if (parse.GetValue(CliOptions.Json))
            {
                if (all)
                {
                    console.WriteJson(comparison with { Modes = [.. reports.Select(r => r with { PerQuestion = null })] });
                }
                else
                {
                    console.WriteJson(reports[0] with { PerQuestion = null });
                }
            }
            else if (all)
            {
                PrintComparison(console, comparison);
            }
            else
            {
                Print(console, reports[0]);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Name(QueryMode mode) => mode.ToString().ToLowerInvariant();

    private static async Task<EvalReport> RunModeAsync(
        ConsoleUi console, EvalRunner runner, string name, IReadOnlyList<EvalQuestion> questions, QueryMode mode, int maxHops, CancellationToken cancellationToken)
    {
        if (console.Interactive)
        {
            return await AnsiConsole.Progress().AutoClear(true).StartAsync(async context =>
            {
                var task = context.AddTask($"{name} ({Name(mode)})", maxValue: questions.Count);
                return await runner.RunAsync(name, questions, mode, maxHops, new Progress<int>(n => task.Value = n), cancellationToken);
            });
        }

        return await runner.RunAsync(
            name, questions, mode, maxHops, new InlineProgress(n =>
            {
                if (n % 25 == 0 || n == questions.Count)
                {
                    console.Error.WriteLine($"progress ({Name(mode)}): {n}/{questions.Count} questions");
                }
            }), cancellationToken);
    }

    private static EvalCorpus Corpus(IngestCommand.IngestRun run, Engine engine) => new()
    {
        Documents = run.Summary.Documents,
        Chunks = run.Summary.Chunks,
        Seconds = Math.Round(run.Elapsed.TotalSeconds, 3),
        EmbeddingModel = engine.VectorModel?.ToString(),
        EmbeddedChunks = run.Summary.EmbeddedChunks,
        ReusedVectors = run.Summary.ReusedVectors,
        EmbeddingSeconds = Math.Round(run.Summary.EmbeddingTime.TotalSeconds, 3),
        VectorsPerSecond = Math.Round(IngestCommand.VectorsPerSecond(run.Summary), 1),
    };

    private static void Print(ConsoleUi console, EvalReport report)
    {
        console.Line($"dataset {report.Dataset}, mode {report.Mode}, {report.Questions} questions");
        console.Line("type            n   R@2    R@5    all@5  EM     F1     linked  p50ms  p95ms");
        foreach (var (type, row) in report.ByType.Prepend(new KeyValuePair<string, EvalReport>("overall", report)))
        {
            console.Line(Row(type, row));
        }

        console.Line(Answers(report));
    }

    /// <summary>What was answered, right or wrong, and how far the confidence can be trusted.</summary>
    private static string Answers(EvalReport r)
    {
        var unanswerable = r.Unanswerable > 0 ? $", {r.UnanswerableDeclined} of {r.Unanswerable} unanswerable declined" : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"answers: {r.AnsweredCorrect} correct, {r.AnsweredWrong} wrong, {r.Declined} declined{unanswerable}; "
            + $"confidence: ECE {r.Ece:F3}, AUROC {r.Auroc:F3}, {r.ConfidentAnswers} answers at >= {EvalRunner.ConfidentAt:F1} ({r.ConfidentPrecision:P0} correct)");
    }

    /// <summary>One row per mode: what each channel finds alone, and what fusing them adds.</summary>
    private static void PrintComparison(ConsoleUi console, EvalComparison comparison)
    {
        var questions = comparison.Modes.Count > 0 ? comparison.Modes[0].Questions : 0;
        var embeddings = comparison.Corpus.EmbeddingModel is null ? "embeddings off" : $"embeddings {comparison.Corpus.EmbeddingModel}";
        console.Line($"dataset {comparison.Dataset}, {questions} questions, {embeddings}");
        console.Line("mode            n   R@2    R@5    all@5  EM     F1     linked  p50ms  p95ms");
        foreach (var report in comparison.Modes)
        {
            console.Line(Row(report.Mode, report));
        }

        foreach (var report in comparison.Modes)
        {
            console.Line($"{report.Mode}: {Answers(report)}");
        }
    }

    private static string Row(string label, EvalReport row) => string.Create(
        CultureInfo.InvariantCulture,
        $"{label,-14} {row.Questions,3}  {row.RecallAt2:F3}  {row.RecallAt5:F3}  {row.AllRecallAt5:F3}  {row.AnswerEm:F3}  {row.AnswerF1:F3}  {row.LinkingCoverage:F3}   {row.LatencyMsP50,5:F1}  {row.LatencyMsP95,5:F1}");

    private sealed class InlineProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
