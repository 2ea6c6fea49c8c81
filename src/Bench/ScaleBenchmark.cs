using System.Diagnostics;
using System.Globalization;
using GraphRag.Hosting;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Query;
using GraphRag.Query.Evaluation;

namespace GraphRag.Bench;

/// <summary>What <c>graphrag bench query</c> runs.</summary>
/// <param name="MinimumChunks">Enlarge the corpus until the store holds at least this many chunks.</param>
/// <param name="CorpusPath">The corpus to enlarge (<c>corpus.jsonl</c>).</param>
/// <param name="QuestionsPath">The questions to ask (<c>questions.jsonl</c>).</param>
/// <param name="Settings">Engine settings; their store path is where the store is written.</param>
/// <param name="Limit">Stop ingesting, and stop asking questions, after this long each.</param>
/// <param name="ColdStart">The command that answers one question in a new process, e.g. <c>graphrag query … --db …</c>.</param>
/// <param name="WorkFolder">Where the enlarged corpus and the added document are written.</param>
public sealed record ScaleOptions(
    int MinimumChunks, string CorpusPath, string QuestionsPath, GraphRagSettings Settings, TimeSpan? Limit, ProcessStartInfo ColdStart, string WorkFolder);

/// <summary>
/// The scale benchmark: a dataset corpus enlarged by repetition with perturbation to at least N chunks, ingested
/// (the in-memory indexes kept current as batches commit, and saved beside the store at the end), then the figures
/// a user feels: a one-off query from a new process (cold start), the hybrid latency of the dataset's questions on a
/// warm engine, and the first query after adding one document to it.
/// </summary>
public static class ScaleBenchmark
{
    /// <summary>Passages and retrieval rounds of every question, as <c>graphrag eval</c> uses.</summary>
    public const int TopK = 10;
    public const int MaxHops = 3;

    public static async Task<ScaleReport> RunAsync(ScaleOptions options, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var settings = options.Settings;
        var folder = options.WorkFolder;
        var building = Stopwatch.StartNew();
        var passages = await ExtractionThroughput.ReadCorpusAsync(options.CorpusPath, cancellationToken).ConfigureAwait(false);
        var enlarged = await PerturbedCorpus.WriteAsync(
            passages, Engine.CreateChunker(settings), options.MinimumChunks, Path.Combine(folder, "corpus.jsonl"), settings.Ingest.Parallelism, cancellationToken)
            .ConfigureAwait(false);
        building.Stop();
        await log.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture, $"corpus: {enlarged.Documents} documents, {enlarged.Chunks} chunks written in {building.Elapsed.TotalSeconds:F1} s; ingesting")).ConfigureAwait(false);
        var questions = await EvalQuestion.LoadAsync(options.QuestionsPath, cancellationToken).ConfigureAwait(false);

        // Ingest: the indexes follow each committed batch, and the engine saves them to the index file on dispose.
        var ingest = Stopwatch.StartNew();
        IngestSummary summary;
        bool stoppedEarly;
        int compactions;
        TimeSpan compactionPause;
        var engine = await Engine.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        await using (engine.ConfigureAwait(false))
        {
            await engine.PrepareForWritesAsync(cancellationToken).ConfigureAwait(false);
            (summary, stoppedEarly) = await IngestAsync(engine, enlarged.Path, options.Limit, log, cancellationToken).ConfigureAwait(false);
            compactions = engine.Backend.Indexes.HeapCompactions;
            compactionPause = engine.Backend.Indexes.HeapCompactionPause;
            await Phase(log, $"ingested {summary.Added + summary.Replaced + summary.Unchanged} documents; saving the indexes; {Memory()}").ConfigureAwait(false);
            await engine.Backend.Indexes.SaveAsync(cancellationToken).ConfigureAwait(false);
            await Phase(log, $"saved; closing the store; {Memory()}").ConfigureAwait(false);
        }

        await Phase(log, $"closed; {Memory()}").ConfigureAwait(false);

        ingest.Stop();
        await Phase(log, $"ingested and saved the indexes in {ingest.Elapsed.TotalSeconds:F1} s ({summary.Failed} failed); cold start").ConfigureAwait(false);

        // Cold start: a new process opens the store and answers one question.
        var coldStart = await ColdStartAsync(options.ColdStart, cancellationToken).ConfigureAwait(false);
        await Phase(log, $"cold start {coldStart:F0} ms; opening the store here; {Memory()}").ConfigureAwait(false);

        engine = await Engine.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        await using (engine.ConfigureAwait(false))
        {
            var counts = await engine.Statistics.GetCountsAsync(cancellationToken).ConfigureAwait(false);
            await Phase(log, $"store open; asking {questions.Count} questions; {Memory()}").ConfigureAwait(false);
            var timings = await AskAsync(engine.Query, questions, options.Limit, cancellationToken).ConfigureAwait(false);
            await Phase(log, $"asked; adding one document; {Memory()}").ConfigureAwait(false);

            // One new document on the warm engine, then the next query: what a user who just uploaded waits for.
            var added = Path.Combine(folder, "added.txt");
            await File.WriteAllTextAsync(
                added, "Orla Brennock founded the Quillmoor Lantern Works in Kestrel Bay in 1911. The works later made harbour lamps.", cancellationToken)
                .ConfigureAwait(false);
            var add = Stopwatch.StartNew();
            await foreach (var _ in engine.Pipeline.RunAsync([added], null, cancellationToken).ConfigureAwait(false))
            {
            }

            add.Stop();
            var afterAdd = Stopwatch.StartNew();
            var answer = await engine.Query.QueryAsync(Request("Who founded the Quillmoor Lantern Works?"), cancellationToken).ConfigureAwait(false);
            afterAdd.Stop();

            using var process = Process.GetCurrentProcess();
            process.Refresh();
            return new ScaleReport
            {
                Chunks = counts.Chunks,
                IngestSeconds = Math.Round(ingest.Elapsed.TotalSeconds, 3),
                ColdStartMilliseconds = Math.Round(coldStart, 1),
                FirstQueryAfterAddMilliseconds = Math.Round(afterAdd.Elapsed.TotalMilliseconds, 2),
                P50Milliseconds = Math.Round(RetrievalMetrics.Percentile(timings.Latencies, 0.50), 2),
                P95Milliseconds = Math.Round(RetrievalMetrics.Percentile(timings.Latencies, 0.95), 2),
                PeakWorkingSetMegabytes = Math.Round(process.PeakWorkingSet64 / 1_048_576.0, 1),
                Documents = counts.Documents,
                Entities = counts.Entities,
                Relations = counts.Relations,
                CorpusSource = options.CorpusPath,
                Copies = enlarged.Copies,
                Passages = enlarged.Passages,
                BuildSeconds = Math.Round(building.Elapsed.TotalSeconds, 3),
                TextMegabytes = Math.Round(enlarged.Characters / 1_000_000.0, 3),
                IngestMegabytesPerSecond = Math.Round(summary.Characters / 1_000_000.0 / Math.Max(ingest.Elapsed.TotalSeconds, 1e-6), 3),
                IngestFailed = summary.Failed,
                IngestStoppedEarly = stoppedEarly,
                Questions = questions.Count,
                Asked = timings.Latencies.Count,
                MaxMilliseconds = Math.Round(timings.Latencies.DefaultIfEmpty(0).Max(), 2),
                WarmUpMilliseconds = Math.Round(timings.WarmUpMilliseconds, 2),
                RecallAt5 = Math.Round(timings.RecallAt5, 4),
                AddMilliseconds = Math.Round(add.Elapsed.TotalMilliseconds, 2),
                AddedDocumentFound = answer.Passages.Any(p => p.Chunk.DocumentId == "added.txt"),
                IngestHeapCompactions = compactions,
                IngestHeapCompactionMilliseconds = Math.Round(compactionPause.TotalMilliseconds),
                QuestionsStoppedEarly = timings.StoppedEarly,
            };
        }
    }

    private static string Memory()
    {
        using var process = Process.GetCurrentProcess();
        var info = GC.GetGCMemoryInfo();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"working set {process.WorkingSet64 >> 20} MB (peak {process.PeakWorkingSet64 >> 20}), heap {info.HeapSizeBytes >> 20} MB ({info.FragmentedBytes >> 20} free), committed {info.TotalCommittedBytes >> 20} MB");
    }

    private static Task Phase(TextWriter log, FormattableString message) =>
        log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss} {FormattableString.Invariant(message)}"));

    private static QueryRequest Request(string question) => new() { Question = question, Mode = QueryMode.Hybrid, TopK = TopK, MaxHops = MaxHops };

    private static async Task<(IngestSummary Summary, bool StoppedEarly)> IngestAsync(
        Engine engine, string path, TimeSpan? limit, TextWriter log, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (limit is { } after)
        {
            stop.CancelAfter(after);
        }

        int added = 0, replaced = 0, unchanged = 0, failed = 0, chunks = 0;
        long characters = 0;
        var stoppedEarly = false;
        try
        {
            await foreach (var result in engine.Pipeline.RunAsync([path], null, stop.Token).ConfigureAwait(false))
            {
                switch (result.Status)
                {
                    case IngestStatus.Added: added++; break;
                    case IngestStatus.Replaced: replaced++; break;
                    case IngestStatus.Unchanged: unchanged++; break;
                    default: failed++; break;
                }

                chunks += result.Chunks;
                characters += result.Characters;
                if ((added + replaced + unchanged + failed) % 10_000 == 0)
                {
                    await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ingested {added + replaced + unchanged} documents")).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            stoppedEarly = true;
        }

        return (new IngestSummary(added, replaced, unchanged, failed, characters, chunks), stoppedEarly);
    }

    /// <summary>Milliseconds for the command to run to its end in a new process.</summary>
    private static async Task<double> ColdStartAsync(ProcessStartInfo start, CancellationToken cancellationToken)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        clock.Stop();
        await Task.WhenAll(output, error).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the cold-start query exited with {process.ExitCode}: {(await error.ConfigureAwait(false)).Trim()}");
        }

        return clock.Elapsed.TotalMilliseconds;
    }

    private sealed record QuestionTimings(IReadOnlyList<double> Latencies, double WarmUpMilliseconds, double RecallAt5, bool StoppedEarly);

    /// <summary>One untimed warm-up query (JIT), then every question timed in turn.</summary>
    private static async Task<QuestionTimings> AskAsync(QueryEngine engine, IReadOnlyList<EvalQuestion> questions, TimeSpan? limit, CancellationToken cancellationToken)
    {
        if (questions.Count == 0)
        {
            return new QuestionTimings([], 0, 0, false);
        }

        var warmUp = Stopwatch.StartNew();
        await engine.QueryAsync(Request(questions[0].Question), cancellationToken).ConfigureAwait(false);
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
            var result = await engine.QueryAsync(Request(question.Question), cancellationToken).ConfigureAwait(false);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            if (question.SupportingIds.Count > 0)
            {
                recalls.Add(RetrievalMetrics.RecallAt(result.Passages.Select(p => p.Chunk.DocumentId).ToList(), [.. question.SupportingIds], 5));
            }
        }

        return new QuestionTimings(latencies, warmUp.Elapsed.TotalMilliseconds, recalls.DefaultIfEmpty(0).Average(), false);
    }
}

/// <summary>The figures of one scale run; the first seven are the ones the README's table and the targets use.</summary>
public sealed record ScaleReport
{
    public long Chunks { get; init; }

    public double IngestSeconds { get; init; }

    public double ColdStartMilliseconds { get; init; }

    public double FirstQueryAfterAddMilliseconds { get; init; }

    public double P50Milliseconds { get; init; }

    public double P95Milliseconds { get; init; }

    public double PeakWorkingSetMegabytes { get; init; }

    public long Documents { get; init; }

    public long Entities { get; init; }

    public long Relations { get; init; }

    public required string CorpusSource { get; init; }

    public int Copies { get; init; }

    public double TextMegabytes { get; init; }

    public double IngestMegabytesPerSecond { get; init; }

    public int IngestFailed { get; init; }

    public bool IngestStoppedEarly { get; init; }

    public int Questions { get; init; }

    public int Asked { get; init; }

    public double MaxMilliseconds { get; init; }

    public double WarmUpMilliseconds { get; init; }

    public double RecallAt5 { get; init; }

    public double AddMilliseconds { get; init; }

    /// <summary>Whether the query after the add retrieved the added document (it should: the indexes follow writes).</summary>
    public bool AddedDocumentFound { get; init; }

    /// <summary>Compacting collections the indexes asked for while the corpus was ingested.</summary>
    public int IngestHeapCompactions { get; init; }

    /// <summary>What those compactions took, all threads stopped.</summary>
    public double IngestHeapCompactionMilliseconds { get; init; }

    public bool QuestionsStoppedEarly { get; init; }

    public int Passages { get; init; }

    public double BuildSeconds { get; init; }

    /// <summary>
    /// The object <c>bench query --json</c> prints (camelCased by the CLI's JSON options): the headline figures as flat
    /// keys (what the README's table and the targets use), then the details grouped.
    /// </summary>
    public object ToJson() => new
    {
        Chunks,
        IngestSeconds,
        ColdStartMs = ColdStartMilliseconds,
        FirstQueryAfterAddMs = FirstQueryAfterAddMilliseconds,
        P50Ms = P50Milliseconds,
        P95Ms = P95Milliseconds,
        PeakWorkingSetMb = PeakWorkingSetMegabytes,
        Corpus = new
        {
            Source = CorpusSource,
            Method = "repetition with perturbation",
            Passages,
            Copies,
            Documents,
            TextMegabytes,
            BuildSeconds,
        },
        Ingest = new
        {
            Seconds = IngestSeconds,
            MegabytesPerSecond = IngestMegabytesPerSecond,
            Failed = IngestFailed,
            StoppedEarly = IngestStoppedEarly,
        },
        Store = new { Documents, Chunks, Entities, Relations },
        Queries = new
        {
            Questions,
            Asked,
            Mode = "hybrid",
            TopK = ScaleBenchmark.TopK,
            MaxHops = ScaleBenchmark.MaxHops,
            WarmUpMs = WarmUpMilliseconds,
            RecallAt5,
            StoppedEarly = QuestionsStoppedEarly,
        },
        LatencyMs = new { P50 = P50Milliseconds, P95 = P95Milliseconds, Max = MaxMilliseconds },
        Write = new
        {
            AddMs = AddMilliseconds,
            FirstQueryAfterAddMs = FirstQueryAfterAddMilliseconds,
            AddedDocumentFound,
            IngestHeapCompactions,
            IngestHeapCompactionMs = IngestHeapCompactionMilliseconds,
        },
        Memory = new { PeakWorkingSetMegabytes },
    };
}
