using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GraphRag.Hosting;
using GraphRag.Bench;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Extraction;
using GraphRag.Query;
using GraphRag.Query.Evaluation;

namespace GraphRag.Api.Cli;

internal static class BenchCommand
{
    public static Command Create(Func<ConsoleUi> ui)
    {
        var command = new Command("bench", "Measure throughput and latency.");
        command.Subcommands.Add(CreateIngest(ui));
        command.Subcommands.Add(CreateExtract(ui));
        command.Subcommands.Add(CreateQuery(ui));
        command.Subcommands.Add(LoadCommand.Create(ui));
        return command;
    }

    private static Command CreateIngest(Func<ConsoleUi> ui)
    {
        var paths = new Argument<string[]>("paths") { Description = "Files and folders to ingest.", Arity = ArgumentArity.OneOrMore };
        var warmup = new Option<bool>("--warmup")
        {
            Description = "First ingest the input once, untimed, into a throwaway store, so the timed run measures compiled code rather than start-up.",
        };
        var command = new Command(
            "ingest",
            "Ingest into a fresh temporary store (or --db) and report documents/s, MB/s of text, peak memory, and embedding time and vectors/s (compare with --no-embeddings).")
        {
            paths, warmup,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var requested = parse.GetValue(CliOptions.Database);
            var temporary = requested is null ? Path.Combine(Path.GetTempPath(), $"graphrag-bench-{Environment.ProcessId}.db") : null;
            var settings = CliOptions.LoadScratchSettings(parse, (requested ?? temporary)!);
            try
            {
                if (parse.GetValue(warmup))
                {
                    var scratch = Path.Combine(Path.GetTempPath(), $"graphrag-bench-warmup-{Environment.ProcessId}.db");
                    var scratchSettings = CliOptions.LoadScratchSettings(parse, scratch);
                    await using (var engine = await Engine.OpenAsync(scratchSettings, cancellationToken))
                    {
                        await IngestCommand.RunAsync(engine, parse.GetValue(paths)!, new ConsoleUi(TextWriter.Null, TextWriter.Null), cancellationToken);
                    }

                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
                    {
                        File.Delete(scratch + suffix);
                    }
                }

                IngestCommand.IngestRun run;
                GraphRag.Graph.Model.VectorModel? model;
                TimeSpan modelLoad;
                await using (var engine = await Engine.OpenAsync(settings, cancellationToken))
                {
                    model = engine.VectorModel;
                    modelLoad = await IngestCommand.LoadEmbeddingModelAsync(engine, cancellationToken);
                    run = await IngestCommand.RunAsync(engine, parse.GetValue(paths)!, console, cancellationToken);
                }

                using var process = Process.GetCurrentProcess();
                process.Refresh();
                var s = run.Summary;
                var seconds = Math.Max(run.Elapsed.TotalSeconds, 1e-6);
                var report = new
                {
                    s.Documents,
                    s.Failed,
                    s.Chunks,
                    TextMegabytes = Math.Round(s.Characters / 1_000_000.0, 3),
                    Seconds = Math.Round(seconds, 3),
                    DocumentsPerSecond = Math.Round(s.Documents / seconds, 1),
                    MegabytesPerSecond = Math.Round(s.Characters / 1_000_000.0 / seconds, 3),
                    PeakWorkingSetMegabytes = Math.Round(process.PeakWorkingSet64 / 1_048_576.0, 1),
                    Parallelism = settings.Ingest.Parallelism,
                    Embeddings = model is not null,
                    EmbeddingModel = model?.Id,
                    EmbeddingDimensions = model?.Dimensions,
                    ModelLoadSeconds = Math.Round(modelLoad.TotalSeconds, 3),
                    s.EmbeddedChunks,
                    s.ReusedVectors,
                    EmbeddingSeconds = Math.Round(s.EmbeddingTime.TotalSeconds, 3),
                    VectorsPerSecond = Math.Round(IngestCommand.VectorsPerSecond(s), 1),
                };
                if (parse.GetValue(CliOptions.Json))
                {
                    console.WriteJson(report);
                }
                else
                {
                    console.Line(string.Create(
                        CultureInfo.InvariantCulture,
                        $"ingest: {report.Documents} documents, {report.Chunks} chunks, {report.TextMegabytes} MB of text in {report.Seconds} s"));
                    console.Line(string.Create(
                        CultureInfo.InvariantCulture,
                        $"        {report.DocumentsPerSecond} documents/s, {report.MegabytesPerSecond} MB/s, peak working set {report.PeakWorkingSetMegabytes} MB, {report.Parallelism} workers"));
                    console.Line("        " + IngestCommand.DescribeEmbeddings(run, model)
                        + (model is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"; model loaded in {report.ModelLoadSeconds} s, untimed")));
                }

                return s.Failed > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
            }
            finally
            {
                if (temporary is not null)
                {
                    // Pooled connections would outlive the file and serve the next run in this process a deleted store.
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
                    {
                        File.Delete(temporary + suffix);
                    }
                }
            }
        });
        return command;
    }

    private static Command CreateExtract(Func<ConsoleUi> ui)
    {
        var corpora = new Argument<string[]>("corpus")
        {
            Description = "corpus.jsonl files, one {\"id\",\"title\",\"text\"} passage a line.",
            Arity = ArgumentArity.OneOrMore,
        };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds after one warm-up round; the fastest counts (default 5).", DefaultValueFactory = _ => 5 };
        var command = new Command(
            "extract",
            "Chunk the passages as ingestion does, then measure entity and relation extraction with in-document resolution, on one thread and on Ingest:Parallelism workers.")
        {
            corpora, rounds,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var roundCount = parse.GetValue(rounds);
            if (roundCount < 1)
            {
                console.Fail("--rounds must be at least 1");
                return ExitCodes.Error;
            }

            var settings = CliOptions.LoadSettings(parse, parse.GetValue(CliOptions.Database), StoreUse.Create);
            var workers = settings.Ingest.Parallelism;
            var documents = new List<Document>();
            foreach (var path in parse.GetValue(corpora)!)
            {
                documents.AddRange(await ExtractionThroughput.ReadCorpusAsync(path, cancellationToken));
            }

            var chunker = Engine.CreateChunker(settings);
            var chunks = new IReadOnlyList<Chunk>[documents.Count];
            var chunking = Stopwatch.StartNew();
            Parallel.For(
                0,
                documents.Count,
                new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
                i => chunks[i] = chunker.Chunk(documents[i]));
            chunking.Stop();

            var extractor = await RuleBasedGraphExtractor.CreateAsync(settings.Ingest.Extraction, cancellationToken);

            // Tiered compilation re-compiles hot methods in the background after they have run a while; without an
            // untimed pass first, the one-thread rounds (measured first) would pay for it and the speed-up would look
            // better than two cores can give.
            ExtractionThroughput.Measure(extractor, documents, chunks, workers, rounds: 5, cancellationToken: cancellationToken);
            var one = ExtractionThroughput.Measure(extractor, documents, chunks, parallelism: 1, roundCount, cancellationToken: cancellationToken);
            var all = workers == 1
                ? one
                : ExtractionThroughput.Measure(extractor, documents, chunks, workers, roundCount, cancellationToken: cancellationToken);

            var megabytes = one.Characters / 1_000_000.0;
            object Rate(ExtractionThroughputResult result)
            {
                var seconds = Math.Max(result.Elapsed.TotalSeconds, 1e-6);
                return new
                {
                    Workers = result.Parallelism,
                    Seconds = Math.Round(seconds, 3),
                    MegabytesPerSecond = Math.Round(megabytes / seconds, 3),
                    DocumentsPerSecond = Math.Round(result.Documents / seconds, 1),
                };
            }

            var report = new
            {
                Documents = documents.Count,
                Chunks = chunks.Sum(c => c.Count),
                TextMegabytes = Math.Round(megabytes, 3),
                ChunkingSeconds = Math.Round(chunking.Elapsed.TotalSeconds, 3),
                Rounds = roundCount,
                OneThread = Rate(one),
                AllWorkers = Rate(all),
                Speedup = Math.Round(one.Elapsed.TotalSeconds / Math.Max(all.Elapsed.TotalSeconds, 1e-6), 2),
                all.Entities,
                all.Mentions,
                all.Relations,
            };
            if (parse.GetValue(CliOptions.Json))
            {
                console.WriteJson(report);
                return ExitCodes.Success;
            }

            string Line(ExtractionThroughputResult result)
            {
                var seconds = Math.Max(result.Elapsed.TotalSeconds, 1e-6);
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"{seconds:F3} s, {megabytes / seconds:F3} MB/s, {result.Documents / seconds:F0} documents/s");
            }

            console.Line(string.Create(
                CultureInfo.InvariantCulture,
                $"extract: {report.Documents} documents, {report.Chunks} chunks, {report.TextMegabytes} MB of text (chunked in {report.ChunkingSeconds} s); best of {roundCount} rounds after a warm-up round"));
            console.Line($"  1 thread:   {Line(one)}");
            console.Line(string.Create(CultureInfo.InvariantCulture, $"  {workers} workers:  {Line(all)} ({report.Speedup}x one thread)"));
            console.Line($"  each round: {all.Entities} entities, {all.Mentions} mentions, {all.Relations} relations");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateQuery(Func<ConsoleUi> ui)
    {
        var chunks = new Option<int>("--chunks") { Description = "Enlarge the corpus until the store holds at least this many chunks (e.g. 10000 or 100000).", Required = true };
        var questions = new Option<string?>("--questions") { Description = "questions.jsonl to run (default: questions.jsonl beside the corpus)." };
        var corpus = new Option<string?>("--corpus")
        {
            Description = "corpus.jsonl to enlarge (default: shared/datasets/musique-100/corpus.jsonl beside the working folder, the program's folder or an ancestor).",
        };
        var secondsLimit = new Option<double?>("--seconds-limit") { Description = "Stop ingesting, and stop asking questions, after this many seconds each." };
        var command = new Command(
            "query",
            "Scale benchmark: enlarge a dataset corpus by repetition with perturbation to at least --chunks chunks, ingest it into a fresh temporary store (or --db), run the questions in hybrid mode and report ingest time, query latency p50/p95/max, store counts and memory.")
        {
            chunks, questions, corpus, secondsLimit,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var minimumChunks = parse.GetValue(chunks);
            if (minimumChunks < 1)
            {
                console.Fail("--chunks must be at least 1");
                return ExitCodes.Error;
            }

            TimeSpan? limit = null;
            if (parse.GetValue(secondsLimit) is { } seconds)
            {
                if (seconds <= 0)
                {
                    console.Fail("--seconds-limit must be positive");
                    return ExitCodes.Error;
                }

                limit = TimeSpan.FromSeconds(seconds);
            }

            string? corpusPath;
            if (parse.GetValue(corpus) is { } given)
            {
                corpusPath = Path.GetFullPath(given);
            }
            else if ((corpusPath = FindSharedCorpus(out var searched)) is null)
            {
                console.Fail($"no --corpus given, and {searched} was not found beside the working folder, the program's folder or any of their ancestors");
                return ExitCodes.Error;
            }

            if (!File.Exists(corpusPath))
            {
                console.Fail($"corpus not found: {corpusPath}");
                return ExitCodes.Error;
            }

            var questionsPath = Path.GetFullPath(parse.GetValue(questions) ?? Path.Combine(Path.GetDirectoryName(corpusPath)!, "questions.jsonl"));
            if (!File.Exists(questionsPath))
            {
                console.Fail($"questions not found: {questionsPath} (give --questions)");
                return ExitCodes.Error;
            }

            var requested = parse.GetValue(CliOptions.Database);
            var folder = Directory.CreateTempSubdirectory("graphrag-bench-query-").FullName;
            var settings = CliOptions.LoadScratchSettings(parse, requested ?? Path.Combine(folder, "bench.db"));
            try
            {
                var first = (await EvalQuestion.LoadAsync(questionsPath, cancellationToken)).FirstOrDefault()?.Question ?? "Who founded the company?";
                var report = await ScaleBenchmark.RunAsync(
                    new ScaleOptions(minimumChunks, corpusPath, questionsPath, settings, limit, ThisProgram("query", first, "--db", Path.GetFullPath(settings.Store.Path)), folder),
                    console.Error,
                    cancellationToken);
                if (parse.GetValue(CliOptions.Json))
                {
                    console.WriteJson(report.ToJson());
                }
                else
                {
                    var r = report;
                    console.Line(string.Create(
                        CultureInfo.InvariantCulture,
                        $"corpus:  {r.CorpusSource} enlarged by repetition with perturbation ({r.Copies} {(r.Copies == 1 ? "copy" : "copies")}): {r.Documents} documents, {r.Chunks} chunks, {r.TextMegabytes} MB"));
                    console.Line(string.Create(CultureInfo.InvariantCulture, $"ingest:  {r.IngestSeconds} s ({r.IngestMegabytesPerSecond} MB/s), {r.IngestFailed} failed; store: {r.Entities} entities, {r.Relations} relations"));
                    console.Line(string.Create(CultureInfo.InvariantCulture, $"cold:    {r.ColdStartMilliseconds} ms for a one-off query in a new process"));
                    console.Line(string.Create(
                        CultureInfo.InvariantCulture,
                        $"queries: {r.Asked} of {r.Questions}, hybrid, top {ScaleBenchmark.TopK}, {ScaleBenchmark.MaxHops} hops: p50 {r.P50Milliseconds} ms, p95 {r.P95Milliseconds} ms, max {r.MaxMilliseconds} ms; recall@5 {r.RecallAt5}"));
                    console.Line(string.Create(
                        CultureInfo.InvariantCulture,
                        $"write:   one document added in {r.AddMilliseconds} ms, the next query {r.FirstQueryAfterAddMilliseconds} ms{(r.AddedDocumentFound ? " (it found the new document)" : " (it did NOT find the new document)")}"));
                    console.Line(string.Create(CultureInfo.InvariantCulture, $"memory:  peak working set {r.PeakWorkingSetMegabytes} MB"));
                }

                return report.IngestFailed > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
            }
            finally
            {
                // The enlarged corpus is always temporary; the store too unless --db named it.
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
            }
        });
        return command;
    }

    /// <summary>This program with these arguments, as a new process (the apphost, or dotnet with this assembly).</summary>
    private static System.Diagnostics.ProcessStartInfo ThisProgram(params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(BenchCommand).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>
    /// <c>shared/datasets/musique-100/corpus.jsonl</c> in a <c>shared/datasets</c> folder beside the working folder, the
    /// program's folder or one of their ancestors, as the repository layout puts the shared evaluation data.
    /// </summary>
    private static string? FindSharedCorpus(out string searched)
    {
        searched = Path.Combine("shared", "datasets", "musique-100", "corpus.jsonl");
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var datasets = Path.Combine(directory.FullName, "shared", "datasets");
                if (Directory.Exists(datasets))
                {
                    var candidate = Path.Combine(datasets, "musique-100", "corpus.jsonl");
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }

                    searched = candidate;
                }
            }
        }

        return null;
    }
}
