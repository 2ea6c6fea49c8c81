using System.Diagnostics;
using GraphRag.Hosting;
using GraphRag.Ingest.Pipeline;
using GraphRag.Query;
using GraphRag.Query.Evaluation;

namespace GraphRag.Bench.Compare;

/// <summary>What one run compares.</summary>
/// <param name="WorkFolder">Where the temporary stores and Lucene indexes go (deleted afterwards).</param>
/// <param name="WithEmbeddings">Also ingest with chunk embeddings on, and query that store (the default settings).</param>
/// <param name="MaxHops">Retrieval rounds of the hybrid mode, as <c>graphrag eval</c> uses by default.</param>
public sealed record CompareOptions(string WorkFolder, bool WithEmbeddings = true, int MaxHops = 3);

/// <summary>The project's side on one dataset.</summary>
/// <param name="IngestSeconds">From opening the store to closing it, indexes saved: what <c>graphrag ingest</c> does.</param>
/// <param name="IngestRunSeconds">The pipeline alone (what <c>graphrag bench ingest</c> reports).</param>
public sealed record ProjectIngest(int Documents, int Chunks, double TextMegabytes, double IngestSeconds, double IngestRunSeconds, bool Embeddings);

/// <summary>One query mode's figures over the dataset's questions.</summary>
public sealed record ModeFigures(string Mode, bool Embeddings, double P50Milliseconds, double P95Milliseconds, double MeanMilliseconds, double RecallAt5);

/// <summary>The ratios the issue asks for: the project's figure over Lucene's.</summary>
public sealed record CompareRatios(double IngestGraph, double? IngestEmbeddings, double HybridP50, double Bm25P50);

/// <summary>Everything measured on one dataset.</summary>
public sealed record CompareReport(
    string Dataset,
    int Questions,
    string Warmup,
    LuceneFigures Lucene,
    ProjectIngest IngestGraph,
    ProjectIngest? IngestEmbeddings,
    ModeFigures Hybrid,
    ModeFigures Bm25,
    ModeFigures? HybridNoEmbeddings,
    CompareRatios Ratios);

/// <summary>
/// The project and Lucene.NET BM25 on the same corpus and questions in one process (issue 14). Both sides are warmed
/// with one untimed pass of the same work first: Lucene indexes the corpus and answers every question once, the project
/// ingests the corpus into a throwaway store and answers every question once; the timed passes follow.
/// </summary>
public static class CompareBenchmark
{
    public const string WarmupNote =
        "warm: each side first runs the same work once, untimed (index/ingest into a throwaway store, every question once); embedding model loaded untimed";

    public static async Task<CompareReport> RunAsync(string datasetFolder, CompareOptions options, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetFolder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var folder = Path.GetFullPath(datasetFolder);
        var name = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
        var corpus = Path.Combine(folder, "corpus.jsonl");
        var questionsFile = Path.Combine(folder, "questions.jsonl");
        if (!File.Exists(corpus) || !File.Exists(questionsFile))
        {
            throw new FileNotFoundException($"{folder} must contain corpus.jsonl and questions.jsonl");
        }

        var questions = await EvalQuestion.LoadAsync(questionsFile, cancellationToken).ConfigureAwait(false);
        var work = Path.Combine(options.WorkFolder, name);
        Directory.CreateDirectory(work);

        // Lucene: warm-up index and searches, then the timed ones.
        await log.WriteLineAsync($"{name}: lucene").ConfigureAwait(false);
        LuceneBaseline.Index(corpus, Path.Combine(work, "lucene-warmup"));
        LuceneBaseline.Search(Path.Combine(work, "lucene-warmup"), questions);
        var luceneFolder = Path.Combine(work, "lucene");
        var indexSeconds = LuceneBaseline.Index(corpus, luceneFolder);
        var (luceneLatencies, luceneRecall) = LuceneBaseline.Search(luceneFolder, questions);
        var lucene = new LuceneFigures(
            File.ReadLines(corpus).Count(l => !string.IsNullOrWhiteSpace(l)),
            Math.Round(indexSeconds, 3),
            Math.Round(luceneLatencies.DefaultIfEmpty(0).Average(), 3),
            Math.Round(RetrievalMetrics.Percentile(luceneLatencies, 0.5), 3),
            Math.Round(luceneRecall, 4));

        // The project: a warm-up ingest into a throwaway store, then the timed ingests into fresh stores.
        await log.WriteLineAsync($"{name}: project ingest (warm-up, then graph without embeddings)").ConfigureAwait(false);
        await IngestAsync(Path.Combine(work, "warmup.db"), corpus, embeddings: false, cancellationToken).ConfigureAwait(false);
        var graphStore = Path.Combine(work, "graph.db");
        var ingestGraph = await IngestAsync(graphStore, corpus, embeddings: false, cancellationToken).ConfigureAwait(false);
        ProjectIngest? ingestEmbeddings = null;
        var embeddingsStore = Path.Combine(work, "embeddings.db");
        if (options.WithEmbeddings)
        {
            await log.WriteLineAsync($"{name}: project ingest with embeddings").ConfigureAwait(false);
            ingestEmbeddings = await IngestAsync(embeddingsStore, corpus, embeddings: true, cancellationToken).ConfigureAwait(false);
        }

        // Queries on the store of the default settings (embeddings on, unless they were left out).
        await log.WriteLineAsync($"{name}: project queries").ConfigureAwait(false);
        ModeFigures hybrid, bm25;
        ModeFigures? hybridNoEmbeddings = null;
        var engine = await OpenAsync(options.WithEmbeddings ? embeddingsStore : graphStore, options.WithEmbeddings, cancellationToken).ConfigureAwait(false);
        await using (engine.ConfigureAwait(false))
        {
            hybrid = await MeasureAsync(engine, name, questions, QueryMode.Hybrid, options, cancellationToken).ConfigureAwait(false);
            bm25 = await MeasureAsync(engine, name, questions, QueryMode.Bm25, options, cancellationToken).ConfigureAwait(false);
        }

        if (options.WithEmbeddings)
        {
            var withoutEmbeddings = await OpenAsync(graphStore, embeddings: false, cancellationToken).ConfigureAwait(false);
            await using var disposing = withoutEmbeddings.ConfigureAwait(false);
            hybridNoEmbeddings = await MeasureAsync(withoutEmbeddings, name, questions, QueryMode.Hybrid, options, cancellationToken).ConfigureAwait(false);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TryDelete(work);
        var luceneMean = Math.Max(lucene.MeanMilliseconds, 1e-6);
        var ratios = new CompareRatios(
            Math.Round(ingestGraph.IngestSeconds / Math.Max(lucene.IndexSeconds, 1e-6), 2),
            ingestEmbeddings is null ? null : Math.Round(ingestEmbeddings.IngestSeconds / Math.Max(lucene.IndexSeconds, 1e-6), 2),
            Math.Round(hybrid.P50Milliseconds / luceneMean, 2),
            Math.Round(bm25.P50Milliseconds / luceneMean, 2));
        return new CompareReport(name, questions.Count, WarmupNote, lucene, ingestGraph, ingestEmbeddings, hybrid, bm25, hybridNoEmbeddings, ratios);
    }

    /// <summary>The settings of <c>graphrag ingest --db path</c> (with <c>--no-embeddings</c> when asked): the embedded SQLite store.</summary>
    private static GraphRagSettings Settings(string store, bool embeddings)
    {
        var settings = GraphRagSettings.Load(store);
        settings.StoreKind = StoreKind.Sqlite;
        settings.Store.CreateIfMissing = true;
        settings.Ingest.ExtractGraph = true;
        settings.Embeddings.Enabled = embeddings;
        return settings;
    }

    private static Task<Engine> OpenAsync(string store, bool embeddings, CancellationToken cancellationToken) =>
        Engine.OpenAsync(Settings(store, embeddings), cancellationToken);

    /// <summary>
    /// Ingests as <c>graphrag ingest</c> does (IngestCommand): open the store, make the indexes current, run the
    /// pipeline, finish the writes (synonym edges), close the store (the indexes saved beside it).
    /// </summary>
    private static async Task<ProjectIngest> IngestAsync(string store, string corpus, bool embeddings, CancellationToken cancellationToken)
    {
        DeleteStore(store);
        var settings = Settings(store, embeddings);
        Engine? engine = null;
        var total = new Stopwatch();
        try
        {
            total.Start();
            engine = await Engine.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
            if (engine.Embeddings is { } generator)
            {
                // The model loads lazily; loading it is not ingestion (graphrag bench ingest reports it apart too).
                total.Stop();
                await generator.GenerateAsync(["warm-up"], cancellationToken: cancellationToken).ConfigureAwait(false);
                total.Start();
            }

            var run = Stopwatch.StartNew();
            await engine.PrepareForWritesAsync(cancellationToken).ConfigureAwait(false);
            var results = new List<IngestResult>();
            await foreach (var result in engine.Pipeline.RunAsync([corpus], null, cancellationToken).ConfigureAwait(false))
            {
                results.Add(result);
            }

            await engine.FinishWritesAsync(cancellationToken).ConfigureAwait(false);
            run.Stop();
            await engine.DisposeAsync().ConfigureAwait(false);
            engine = null;
            total.Stop();
            var summary = IngestSummary.From(results);
            if (summary.Failed > 0)
            {
                throw new InvalidOperationException($"{summary.Failed} documents of {corpus} failed to ingest");
            }

            return new ProjectIngest(
                summary.Documents, summary.Chunks, Math.Round(summary.Characters / 1_000_000.0, 3),
                Math.Round(total.Elapsed.TotalSeconds, 3), Math.Round(run.Elapsed.TotalSeconds, 3), embeddings);
        }
        finally
        {
            if (engine is not null)
            {
                await engine.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>One untimed pass over every question, then the timed pass that <c>graphrag eval</c> runs.</summary>
    private static async Task<ModeFigures> MeasureAsync(
        Engine engine, string name, IReadOnlyList<EvalQuestion> questions, QueryMode mode, CompareOptions options, CancellationToken cancellationToken)
    {
        var runner = new EvalRunner(engine.Query, engine.Backend.Indexes);
        await runner.RunAsync(name, questions, mode, options.MaxHops, cancellationToken: cancellationToken).ConfigureAwait(false);
        var report = await runner.RunAsync(name, questions, mode, options.MaxHops, cancellationToken: cancellationToken).ConfigureAwait(false);
        var latencies = report.PerQuestion?.Select(o => o.LatencyMs).ToList() ?? [];
        return new ModeFigures(
            report.Mode, engine.Embeddings is not null, report.LatencyMsP50, report.LatencyMsP95,
            Math.Round(latencies.DefaultIfEmpty(0).Average(), 2), report.RecallAt5);
    }

    private static void DeleteStore(string store)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.Exists(Path.GetDirectoryName(store)) ? Directory.GetFiles(Path.GetDirectoryName(store)!, Path.GetFileName(store) + "*") : [])
        {
            File.Delete(file);
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A scratch folder left behind is harmless; the figures are what matter.
        }
    }
}
