using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GraphRag.Graph;
using GraphRag.Hosting;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Privacy;
using GraphRag.Llm;
using GraphRag.Llm.Extraction;
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
        var llm = new Option<bool>("--llm")
        {
            Description = "Also extract entities and relations with the configured Extraction model (GraphRag:Llm); every item must quote its chunk or is dropped. Replies are cached in the store.",
        };
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "With --llm: print the requests, token estimates and price the run would cost, sending nothing and writing nothing.",
        };
        var command = new Command("ingest", "Read documents, chunk them, extract the graph and store everything.")
        {
            paths, include, exclude, acl, profile, noGraph, pii, llm, dryRun,
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

            var json = parse.GetValue(CliOptions.Json);
            if (parse.GetValue(dryRun))
            {
                if (!parse.GetValue(llm))
                {
                    console.Fail("--dry-run estimates what --llm would send; run `graphrag ingest --llm --dry-run <path>`.");
                    return ExitCodes.Error;
                }

                return await DryRunAsync(settings, parse.GetValue(paths)!, console, json, cancellationToken);
            }

            await using var engine = await Engine.OpenAsync(settings, cancellationToken);
            var model = parse.GetValue(llm) ? CreateModelIngestion(engine) : null;
            var run = await RunAsync(engine, parse.GetValue(paths)!, console, timeLimit: null, cancellationToken, model?.Pipeline);
            var report = model?.Extractor.Report;
            if (json)
            {
                console.WriteJson(new
                {
                    run.Summary.Added,
                    run.Summary.Replaced,
                    run.Summary.Unchanged,
                    run.Summary.Failed,
                    run.Summary.NotProcessed,
                    run.Summary.StopReason,
                    run.Summary.Chunks,
                    run.Summary.Characters,
                    Failures = run.Failures.Select(f => new { f.Source, f.Reason }),
                    Llm = report,
                });
            }
            else
            {
                console.Line(Describe(run));
                if (report is not null)
                {
                    console.Line(DescribeModelExtraction(report));
                }
            }

            if (run.Summary.StopReason is { } stopped)
            {
                console.Error.WriteLine(
                    $"stopped: {stopped}; {run.Summary.NotProcessed} documents not processed (what was written stays; run again to process them)");
            }

            return run.Summary.Failed > 0 || run.Summary.NotProcessed > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
        });
        return command;
    }

    private static ModelIngestion CreateModelIngestion(Engine engine)
    {
        if (!engine.Settings.Ingest.ExtractGraph)
        {
            throw new GraphRagException("--llm extracts a graph; it cannot be combined with --no-graph.");
        }

        if (!engine.CanExtractWithModel)
        {
            throw new GraphRagException(
                "--llm needs an extraction model: set GraphRag:Llm:Provider and GraphRag:Llm:Model (or GraphRag:Llm:Roles:Extraction); see the README's \"Extraction with a model\".");
        }

        return engine.CreateModelIngestion();
    }

    /// <summary>
    /// <c>ingest --llm --dry-run</c>: what the run would send and cost, sending nothing and writing nothing. When the
    /// embedded store does not exist yet, the estimate runs against an empty store in a temporary folder, so not even
    /// an empty store file is left behind.
    /// </summary>
    private static async Task<int> DryRunAsync(GraphRagSettings settings, IReadOnlyList<string> paths, ConsoleUi console, bool json, CancellationToken cancellationToken)
    {
        string? scratch = null;
        if (settings.StoreKind == StoreKind.Sqlite && !File.Exists(settings.Store.Path))
        {
            scratch = Directory.CreateTempSubdirectory("graphrag-dry-run-").FullName;
            settings.Store.Path = Path.Combine(scratch, "empty.db");
        }

        try
        {
            ExtractionEstimate estimate;
            List<IngestEstimate> failures;
            string promptVersion;
            await using (var engine = await Engine.OpenAsync(settings, cancellationToken))
            {
                var model = CreateModelIngestion(engine);
                promptVersion = model.Extractor.Prompt.Version;
                var estimates = new List<IngestEstimate>();
                await foreach (var item in model.Pipeline.EstimateAsync(new Ingest.Pipeline.IngestRun { Paths = paths }, cancellationToken))
                {
                    estimates.Add(item);
                    if (item.Status == IngestStatus.Failed)
                    {
                        console.Error.WriteLine($"failed: {item.Source}: {item.Reason}");
                    }
                }

                estimate = ExtractionEstimate.From(estimates, engine.Llm!, LlmRole.Extraction);
                failures = [.. estimates.Where(e => e.Status == IngestStatus.Failed)];
            }

            if (json)
            {
                console.WriteJson(new
                {
                    DryRun = true,
                    estimate.Model,
                    PromptVersion = promptVersion,
                    estimate.Tokenizer,
                    estimate.TokenizerApproximate,
                    estimate.Documents,
                    estimate.Added,
                    estimate.Replaced,
                    estimate.Unchanged,
                    estimate.Failed,
                    estimate.Chunks,
                    estimate.Requests,
                    estimate.CachedChunks,
                    estimate.InputTokens,
                    estimate.OutputTokens,
                    estimate.MaxOutputTokens,
                    estimate.EstimatedCostUsd,
                    estimate.WorstCaseCostUsd,
                    estimate.PriceConfigured,
                    estimate.TokensPerRun,
                    OutputRule = OutputRule,
                    Failures = failures.Select(f => new { f.Source, f.Reason }),
                });
            }
            else
            {
                foreach (var line in DescribeEstimate(estimate, promptVersion))
                {
                    console.Line(line);
                }
            }

            return failures.Count > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
        }
        finally
        {
            if (scratch is not null)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    private static readonly string OutputRule = string.Create(
        CultureInfo.InvariantCulture,
        $"{ModelGraphExtractor.OutputTokensBase} + {ModelGraphExtractor.OutputTokensPerChunkToken} per chunk token, capped at the output limit");

    internal static IEnumerable<string> DescribeEstimate(ExtractionEstimate e, string promptVersion)
    {
        var c = CultureInfo.InvariantCulture;
        yield return "dry run: nothing was sent and nothing was written";
        yield return string.Create(c, $"model: {e.Model} (tokens counted with {e.Tokenizer}{(e.TokenizerApproximate ? ", an approximation for this model" : string.Empty)}); prompt {promptVersion}");
        yield return string.Create(c, $"documents: {e.Documents:N0} ({e.Added:N0} new, {e.Replaced:N0} changed or made by other settings, {e.Unchanged:N0} unchanged and free), {e.Failed:N0} failed; {e.Chunks:N0} chunks to extract");
        yield return string.Create(c, $"requests: {e.Requests:N0} ({e.CachedChunks:N0} chunks answered from the cache)");
        yield return string.Create(c, $"input tokens: {e.InputTokens:N0} (the exact prompts, counted)");
        yield return string.Create(c, $"output tokens: {e.OutputTokens:N0} estimated ({OutputRule}); at most {e.MaxOutputTokens:N0}");
        yield return e.EstimatedCostUsd is { } cost
            ? string.Create(c, $"estimated cost: ${cost:0.0000} (worst case ${e.WorstCaseCostUsd:0.0000}); {(e.PriceConfigured ? "configured price" : $"built-in price estimate, set GraphRag:Llm:Prices:{e.Model} for figures you can rely on")}")
            : $"estimated cost: unknown, {e.Model} has no price; set GraphRag:Llm:Prices:{e.Model}:InputPerMillion and OutputPerMillion";
        if (e.TokensPerRun is { } budget)
        {
            var needed = e.InputTokens + e.OutputTokens;
            yield return string.Create(c, $"budget: Budget:TokensPerRun {budget:N0}: {(needed <= budget ? "the estimate fits" : "the estimate exceeds it; the run would stop when it is spent")}");
        }
    }

    internal static string DescribeModelExtraction(ModelExtractionReport r)
    {
        var d = r.Dropped;
        var cost = r.Usage.EstimatedCostUsd is { } usd ? string.Create(CultureInfo.InvariantCulture, $"${usd:0.0000}") : "unknown (no price for this model)";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"model extraction ({r.Model}): {r.Chunks} chunks, {r.Requests} requests, {r.CachedChunks} from the cache, {r.FailedRequests} failed; "
            + $"entities {r.EntitiesKept}/{r.EntitiesProposed} kept, relations {r.RelationsKept}/{r.RelationsProposed} kept; "
            + $"dropped: {d.QuoteNotFound} quote not found, {d.NotAllowed} type or label not allowed, {d.UnknownEntity} unknown entity, {d.Malformed} malformed; "
            + $"{r.MalformedReplies} malformed replies; tokens {r.Usage.InputTokens} in, {r.Usage.OutputTokens} out, estimated cost {cost}");
    }

    /// <param name="StoppedEarly">True when <c>timeLimit</c> ran out before the input did.</param>
    internal sealed record IngestRun(IngestSummary Summary, IReadOnlyList<IngestResult> Failures, TimeSpan Elapsed, bool StoppedEarly = false);

    /// <summary>Runs the pipeline, printing one line per failure as it happens and progress as it goes.</summary>
    internal static Task<IngestRun> RunAsync(Engine engine, IReadOnlyList<string> paths, ConsoleUi console, CancellationToken cancellationToken) =>
        RunAsync(engine, paths, console, timeLimit: null, cancellationToken);

    /// <summary>As above, with another pipeline than the engine's (one with model extraction).</summary>
    internal static Task<IngestRun> RunAsync(
        Engine engine, IReadOnlyList<string> paths, ConsoleUi console, TimeSpan? timeLimit, CancellationToken cancellationToken, IngestionPipeline? pipeline) =>
        RunPipelineAsync(engine, paths, console, timeLimit, cancellationToken, pipeline ?? engine.Pipeline);

    /// <summary>
    /// Runs the pipeline as <see cref="RunAsync(Engine, IReadOnlyList{string}, ConsoleUi, CancellationToken)"/> does but,
    /// given a <paramref name="timeLimit"/>, stops taking results once it has passed; what was written stays written.
    /// </summary>
    internal static Task<IngestRun> RunAsync(
        Engine engine, IReadOnlyList<string> paths, ConsoleUi console, TimeSpan? timeLimit, CancellationToken cancellationToken) =>
        RunPipelineAsync(engine, paths, console, timeLimit, cancellationToken, engine.Pipeline);

    private static async Task<IngestRun> RunPipelineAsync(
        Engine engine, IReadOnlyList<string> paths, ConsoleUi console, TimeSpan? timeLimit, CancellationToken cancellationToken, IngestionPipeline pipeline)
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
            await foreach (var result in pipeline.RunAsync(paths, progress, cancellationToken))
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
