using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GraphRag.Hosting;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Privacy;
using Spectre.Console;

namespace GraphRag.Api.Cli;

internal static class IngestCommand
{
    public static Command Create(Func<ConsoleUi> ui)
    {
        var paths = new Argument<string[]>("paths") { Description = "Files and folders to ingest.", Arity = ArgumentArity.OneOrMore };
        var include = new Option<string[]>("--include")
        {
            Description = "Glob a file in a folder must match (repeatable). Without a slash it matches file names at any depth (*.md), "
                + "as in .gitignore; with one it is relative to the folder (docs/**/*.md, /*.md for the top level only).",
        };
        var exclude = new Option<string[]>("--exclude") { Description = "Glob that excludes files in a folder (repeatable); the same rules as --include." };
        var acl = new Option<string[]>("--acl")
        {
            Description = "Who may read the documents through the HTTP API: user:<name>, group:<name> or * (repeatable; none means every caller).",
        };
        var profile = new Option<string?>("--profile") { Description = "A domain profile (JSON): extra entity types, gazetteers, synonyms and relation patterns." };
        var noGraph = new Option<bool>("--no-graph") { Description = "Store text and the full-text index only; extract no entities or relations." };
        var pii = new Option<PiiPolicy?>("--pii")
        {
            Description = "Personal data (e-mail, phone, card, IBAN, SSN, IP, custom patterns): keep, mask (kept out of the graph and masked in answers; the default) or redact at ingest.",
        };
        pii.AcceptOnlyFromAmong("keep", "mask", "redact");
        var command = new Command("ingest", "Read documents, chunk them, extract the graph and store everything.")
        {
            paths, include, exclude, acl, profile, noGraph, pii,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var settings = CliOptions.LoadSettings(parse, parse.GetValue(CliOptions.Database), StoreUse.Create);
            foreach (var glob in parse.GetValue(include) ?? [])
            {
                settings.Ingest.Include.Add(glob);
            }

            foreach (var glob in parse.GetValue(exclude) ?? [])
            {
                settings.Ingest.Exclude.Add(glob);
            }

            foreach (var entry in parse.GetValue(acl) ?? [])
            {
                GraphRag.Graph.Security.AccessControl.Validate(entry);
                settings.Ingest.Acl.Add(entry);
            }

            if (parse.GetValue(profile) is { } profilePath)
            {
                settings.Ingest.Extraction.ProfilePath = profilePath;
            }

            if (parse.GetValue(noGraph))
            {
                settings.Ingest.ExtractGraph = false;
            }

            if (parse.GetValue(pii) is { } policy)
            {
                settings.Ingest.Pii.Policy = policy;
            }

            await using var engine = await Engine.OpenAsync(settings, cancellationToken);
            var run = await RunAsync(engine, parse.GetValue(paths)!, console, cancellationToken);
            if (parse.GetValue(CliOptions.Json))
            {
                console.WriteJson(new
                {
                    run.Summary.Added,
                    run.Summary.Replaced,
                    run.Summary.Unchanged,
                    run.Summary.Failed,
                    run.Summary.Chunks,
                    run.Summary.Characters,
                    Failures = run.Failures.Select(f => new { f.Source, f.Reason }),
                });
            }
            else
            {
                console.Line(Describe(run));
            }

            return run.Summary.Failed > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
        });
        return command;
    }

    /// <param name="StoppedEarly">True when <c>timeLimit</c> ran out before the input did.</param>
    internal sealed record IngestRun(IngestSummary Summary, IReadOnlyList<IngestResult> Failures, TimeSpan Elapsed, bool StoppedEarly = false);

    /// <summary>Runs the pipeline, printing one line per failure as it happens and progress as it goes.</summary>
    internal static Task<IngestRun> RunAsync(Engine engine, IReadOnlyList<string> paths, ConsoleUi console, CancellationToken cancellationToken) =>
        RunAsync(engine, paths, console, timeLimit: null, cancellationToken);

    /// <summary>
    /// Runs the pipeline as <see cref="RunAsync(Engine, IReadOnlyList{string}, ConsoleUi, CancellationToken)"/> does but,
    /// given a <paramref name="timeLimit"/>, stops taking results once it has passed; what was written stays written.
    /// </summary>
    internal static async Task<IngestRun> RunAsync(
        Engine engine, IReadOnlyList<string> paths, ConsoleUi console, TimeSpan? timeLimit, CancellationToken cancellationToken)
    {
        var results = new List<IngestResult>();
        var failures = new List<IngestResult>();
        var stoppedEarly = false;
        var clock = Stopwatch.StartNew();
        // The in-memory indexes follow each committed batch, and the engine saves them when it closes, so the next
        // query (another process) starts from the index file instead of reading every row.
        await engine.PrepareForWritesAsync(cancellationToken);

        async Task ConsumeAsync(IProgress<IngestProgress>? progress)
        {
            await foreach (var result in engine.Pipeline.RunAsync(paths, progress, cancellationToken))
            {
                results.Add(result);
                if (result.Status == IngestStatus.Failed)
                {
                    failures.Add(result);
                    console.Error.WriteLine($"failed: {result.Source}: {result.Reason}");
                }

                if (clock.Elapsed >= timeLimit)
                {
                    // Leaving the loop disposes the pipeline's enumerator, which stops its readers and extractors.
                    stoppedEarly = true;
                    break;
                }
            }
        }

        if (console.Interactive)
        {
            await AnsiConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("ingesting", maxValue: 1);
                    await ConsumeAsync(new Progress<IngestProgress>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.FilesTotal);
                        task.Value = p.FilesDone;
                        task.Description = $"{p.Documents} documents, {p.Failed} failed";
                    }));
                });
        }
        else
        {
            var lastReported = 0;
            await ConsumeAsync(new SynchronousProgress(p =>
            {
                if (p.Documents - lastReported >= 1000)
                {
                    lastReported = p.Documents;
                    console.Error.WriteLine($"progress: {p.Documents} documents, {p.Failed} failed, file {p.FilesDone}/{p.FilesTotal}");
                }
            }));
        }

        // Synonym edges for the new entities are part of the run's cost, not the first query's.
        await engine.FinishWritesAsync(cancellationToken);
        return new IngestRun(IngestSummary.From(results), failures, clock.Elapsed, stoppedEarly);
    }

    internal static string Describe(IngestRun run)
    {
        var s = run.Summary;
        var seconds = Math.Max(run.Elapsed.TotalSeconds, 1e-6);
        var megabytes = s.Characters / 1_000_000.0;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{s.Documents} documents ({s.Added} added, {s.Replaced} replaced, {s.Unchanged} unchanged), {s.Failed} failed, {s.Chunks} chunks written; {megabytes:F2} MB of text in {seconds:F1} s ({megabytes / seconds:F2} MB/s, {s.Documents / seconds:F0} documents/s)");
    }

    /// <summary>The embedding side of a run: on or off, which model, chunks embedded and reused, and vectors per second.</summary>
    internal static string DescribeEmbeddings(IngestRun run, GraphRag.Graph.Model.VectorModel? model)
    {
        if (model is null)
        {
            return "embeddings off";
        }

        var s = run.Summary;
        var seconds = s.EmbeddingTime.TotalSeconds;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"embeddings {model}: {s.EmbeddedChunks} chunks embedded, {s.ReusedVectors} reused, {seconds:F1} s embedding ({VectorsPerSecond(s):F1} vectors/s)");
    }

    /// <summary>
    /// Embeds one short text so a lazily loaded model (the local ONNX one) is loaded before anything is timed: figures
    /// of vectors per second then measure embedding, and the load is its own figure. Zero when embeddings are off.
    /// </summary>
    internal static async Task<TimeSpan> LoadEmbeddingModelAsync(Engine engine, CancellationToken cancellationToken)
    {
        if (engine.Embeddings is not { } generator)
        {
            return TimeSpan.Zero;
        }

        var clock = Stopwatch.StartNew();
        await generator.GenerateAsync(["warm-up"], cancellationToken: cancellationToken);
        return clock.Elapsed;
    }

    /// <summary>Chunks embedded per second spent waiting for the generator (0 when none were embedded).</summary>
    internal static double VectorsPerSecond(IngestSummary summary) =>
        summary.EmbeddedChunks == 0 ? 0 : summary.EmbeddedChunks / Math.Max(summary.EmbeddingTime.TotalSeconds, 1e-6);

    /// <summary>Reports on the caller's thread, unlike <see cref="Progress{T}"/>, so plain output keeps its order.</summary>
    private sealed class SynchronousProgress(Action<IngestProgress> report) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value) => report(value);
    }
}
