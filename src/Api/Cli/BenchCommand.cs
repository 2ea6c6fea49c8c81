using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GraphRag.Hosting;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Extraction;
using GraphRag.Query;
using GraphRag.Query.Evaluation;

namespace GraphRag.Api.Cli;

internal static class BenchCommand
{
    /// <summary>Passages and retrieval rounds of every <c>bench query</c> question, as <c>graphrag eval</c> uses.</summary>
    private const int QueryTopK = 10;
    private const int QueryMaxHops = 3;

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
            "Ingest into a fresh temporary store (or --db) and report documents/s, MB/s of text and peak memory.")
        {
            paths, warmup,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var requested = parse.GetValue(CliOptions.Database);
            var temporary = requested is null ? Path.Combine(Path.GetTempPath(), $"graphrag-bench-{Environment.ProcessId}.db") : null;
            var settings = GraphRagSettings.Load(requested ?? temporary);
            try
            {
                if (parse.GetValue(warmup))
                {
                    var scratch = Path.Combine(Path.GetTempPath(), $"graphrag-bench-warmup-{Environment.ProcessId}.db");
                    var scratchSettings = GraphRagSettings.Load(scratch);
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
                await using (var engine = await Engine.OpenAsync(settings, cancellationToken))
                {
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
                }

                return s.Failed > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
            }
            finally
            {
                if (temporary is not null)
                {
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

            var settings = GraphRagSettings.Load(parse.GetValue(CliOptions.Database));
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
            var settings = GraphRagSettings.Load(requested ?? Path.Combine(folder, "bench.db"));
            try
            {
                var building = Stopwatch.StartNew();
                var passages = await ExtractionThroughput.ReadCorpusAsync(corpusPath, cancellationToken);
                var enlarged = await PerturbedCorpus.WriteAsync(
                    passages, Engine.CreateChunker(settings), minimumChunks, Path.Combine(folder, "corpus.jsonl"), settings.Ingest.Parallelism, cancellationToken);
                building.Stop();
                console.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"corpus: {enlarged.Documents} documents, {enlarged.Chunks} chunks written in {building.Elapsed.TotalSeconds:F1} s; ingesting"));

                var questionList = await EvalQuestion.LoadAsync(questionsPath, cancellationToken);
                IngestCommand.IngestRun run;
                StoreCounts counts;
                QuestionTimings timings;
                long managedHeap;
                await using (var engine = await Engine.OpenAsync(settings, cancellationToken))
                {
                    run = await IngestCommand.RunAsync(engine, [enlarged.Path], console, limit, cancellationToken);
                    counts = await engine.Statistics.GetCountsAsync(cancellationToken);
                    timings = await AskAsync(engine.Query, questionList, limit, cancellationToken);

                    // Measured with the engine still open: the live heap then includes the store's in-memory graph.
                    managedHeap = GC.GetTotalMemory(forceFullCollection: true);
                }

                using var process = Process.GetCurrentProcess();
                process.Refresh();
                var s = run.Summary;
                var ingestSeconds = Math.Max(run.Elapsed.TotalSeconds, 1e-6);
                var notes = new List<string>
                {
                    enlarged.Copies > 1
                        ? string.Create(
                            CultureInfo.InvariantCulture,
                            $"the corpus is {corpusPath} enlarged by repetition with perturbation: copy 0 is the original; in copies k = 1 to {enlarged.Copies - 1} every passage has the id {{id}}~{{k}}, varied names, shuffled sentences and one sentence dropped or duplicated")
                        : $"the corpus is {corpusPath} unchanged: its passages alone make the requested chunks, so no perturbed copies were needed",
                };
                if (run.StoppedEarly)
                {
                    // The pipeline writes whole batches before reporting their documents, so the store may hold a few more.
                    notes.Add(string.Create(
                        CultureInfo.InvariantCulture,
                        $"ingest stopped early at the {limit!.Value.TotalSeconds} s limit, after {s.Documents} of the {enlarged.Documents} documents; the store holds {counts.Documents}"));
                }

                if (timings.StoppedEarly)
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"questions stopped early at the {limit!.Value.TotalSeconds} s limit: {timings.Latencies.Count} of {questionList.Count} were asked"));
                }

                var report = new
                {
                    Corpus = new
                    {
                        Source = corpusPath,
                        Method = "repetition with perturbation",
                        enlarged.Passages,
                        enlarged.Copies,
                        enlarged.Documents,
                        enlarged.Chunks,
                        TextMegabytes = Math.Round(enlarged.Characters / 1_000_000.0, 3),
                        BuildSeconds = Math.Round(building.Elapsed.TotalSeconds, 3),
                    },
                    Ingest = new
                    {
                        s.Documents,
                        s.Failed,
                        s.Chunks,
                        TextMegabytes = Math.Round(s.Characters / 1_000_000.0, 3),
                        Seconds = Math.Round(ingestSeconds, 3),
                        MegabytesPerSecond = Math.Round(s.Characters / 1_000_000.0 / ingestSeconds, 3),
                        DocumentsPerSecond = Math.Round(s.Documents / ingestSeconds, 1),
                        Parallelism = settings.Ingest.Parallelism,
                        run.StoppedEarly,
                    },
                    Store = new { counts.Documents, counts.Chunks, counts.Entities, counts.Relations },
                    Queries = new
                    {
                        Questions = questionList.Count,
                        Asked = timings.Latencies.Count,
                        Mode = "hybrid",
                        TopK = QueryTopK,
                        MaxHops = QueryMaxHops,
                        WarmUpMs = Math.Round(timings.WarmUpMilliseconds, 2),
                        RecallAt5 = Math.Round(timings.RecallAt5, 4),
                        timings.StoppedEarly,
                    },
                    LatencyMs = new
                    {
                        P50 = Math.Round(RetrievalMetrics.Percentile(timings.Latencies, 0.50), 2),
                        P95 = Math.Round(RetrievalMetrics.Percentile(timings.Latencies, 0.95), 2),
                        Max = Math.Round(timings.Latencies.DefaultIfEmpty(0).Max(), 2),
                    },
                    Memory = new
                    {
                        PeakWorkingSetMegabytes = Math.Round(process.PeakWorkingSet64 / 1_048_576.0, 1),
                        ManagedHeapMegabytes = Math.Round(managedHeap / 1_048_576.0, 1),
                    },
                    Notes = notes,
                };

                if (parse.GetValue(CliOptions.Json))
                {
                    console.WriteJson(report);
                }
                else
                {
                    var c = report.Corpus;
                    var i = report.Ingest;
                    var q = report.Queries;
                    var l = report.LatencyMs;
                    var m = report.Memory;
                    console.Line(string.Create(
                        CultureInfo.InvariantCulture,
                        $"corpus:  {c.Passages} passages enlarged by repetition with perturbation to {c.Documents} documents ({c.Copies} {(c.Copies == 1 ? "copy" : "copies")}, copy 0 the original), {c.Chunks} chunks, {c.TextMegabytes} MB of text, built in {c.BuildSeconds} s"));
                    console.Line(string.Create(
                        CultureInfo.InvariantCulture,
                        $"ingest:  {i.Documents} documents ({i.Failed} failed), {i.Chunks} chunks, {i.TextMegabytes} MB in {i.Seconds} s: {i.MegabytesPerSecond} MB/s, {i.DocumentsPerSecond} documents/s, {i.Parallelism} workers"));
                    console.Line($"store:   {counts.Documents} documents, {counts.Chunks} chunks, {counts.Entities} entities, {counts.Relations} relations");
                    console.Line(string.Create(
                        CultureInfo.InvariantCulture,
                        $"queries: {q.Asked} of {q.Questions} questions, hybrid, top {q.TopK}, {q.MaxHops} hops, after one untimed warm-up query ({q.WarmUpMs} ms, including the graph snapshot's first load); recall@5 {q.RecallAt5}"));
                    console.Line(string.Create(CultureInfo.InvariantCulture, $"latency: p50 {l.P50} ms, p95 {l.P95} ms, max {l.Max} ms"));
                    console.Line(string.Create(
                        CultureInfo.InvariantCulture,
                        $"memory:  peak working set {m.PeakWorkingSetMegabytes} MB, managed heap {m.ManagedHeapMegabytes} MB after the run"));
                    foreach (var note in notes)
                    {
                        console.Line("note:    " + note);
                    }
                }

                return s.Failed > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
            }
            finally
            {
                // The enlarged corpus is always temporary; the store too unless --db named it.
                Directory.Delete(folder, recursive: true);
            }
        });
        return command;
    }

    private sealed record QuestionTimings(IReadOnlyList<double> Latencies, double WarmUpMilliseconds, double RecallAt5, bool StoppedEarly);

    /// <summary>One untimed warm-up query (JIT, the graph snapshot's first load), then every question timed in turn.</summary>
    private static async Task<QuestionTimings> AskAsync(
        QueryEngine engine, IReadOnlyList<EvalQuestion> questions, TimeSpan? limit, CancellationToken cancellationToken)
    {
        QueryRequest Request(EvalQuestion question) =>
            new() { Question = question.Question, Mode = QueryMode.Hybrid, TopK = QueryTopK, MaxHops = QueryMaxHops };

        if (questions.Count == 0)
        {
            return new QuestionTimings([], 0, 0, false);
        }

        var warmUp = Stopwatch.StartNew();
        await engine.QueryAsync(Request(questions[0]), cancellationToken);
        warmUp.Stop();

        var latencies = new List<double>();
        var recalls = new List<double>();
        var total = Stopwatch.StartNew();
        foreach (var question in questions)
        {
            if (total.Elapsed >= limit)
            {
                return new QuestionTimings(latencies, warmUp.Elapsed.TotalMilliseconds, recalls.DefaultIfEmpty(0).Average(), true);
            }

            var clock = Stopwatch.StartNew();
            var result = await engine.QueryAsync(Request(question), cancellationToken);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            if (question.SupportingIds.Count > 0)
            {
                var ranked = result.Passages.Select(p => p.Chunk.DocumentId).ToList();
                recalls.Add(RetrievalMetrics.RecallAt(ranked, [.. question.SupportingIds], 5));
            }
        }

        return new QuestionTimings(latencies, warmUp.Elapsed.TotalMilliseconds, recalls.DefaultIfEmpty(0).Average(), false);
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
