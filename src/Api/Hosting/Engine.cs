using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Privacy;
using GraphRag.Ingest.Readers;
using GraphRag.Query;
using GraphRag.Query.Answering;
using GraphRag.Query.Exploration;
using GraphRag.Query.Security;

namespace GraphRag.Api.Hosting;

/// <summary>
/// The runtime built once from settings: the store, the ingestion pipeline and the query engine. Thread-safe;
/// dispose it to release the store.
/// </summary>
public sealed class Engine : IAsyncDisposable
{
    private Engine(GraphRagSettings settings, SqliteGraphStore store, IngestionPipeline pipeline, QueryEngine query)
    {
        Settings = settings;
        Store = store;
        Pipeline = pipeline;
        Query = query;
        Scopes = new AccessScopes(store);
        Explorer = new GraphExplorer(store);
        PersonalData = new PiiDetector(settings.Ingest.Pii);
    }

    public GraphRagSettings Settings { get; }

    public SqliteGraphStore Store { get; }

    public IngestionPipeline Pipeline { get; }

    public QueryEngine Query { get; }

    /// <summary>The personal-data detector ingestion uses, for masking text on its way out.</summary>
    public PiiDetector PersonalData { get; }

    /// <summary>Replaces personal data in a text with placeholders such as <c>[EMAIL]</c>.</summary>
    public string MaskPersonalData(string text) => PersonalData.Mask(text);

    /// <summary>Entity search, entity pages, subgraphs and paths, seen through a caller's scope.</summary>
    public GraphExplorer Explorer { get; }

    /// <summary>Callers' readable documents, cached per store generation.</summary>
    public AccessScopes Scopes { get; }

    public static async Task<Engine> OpenAsync(GraphRagSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var store = await SqliteGraphStore.OpenAsync(settings.Store, cancellationToken);
        var chunker = CreateChunker(settings);
        IGraphExtractor extractor = settings.Ingest.ExtractGraph
            ? await RuleBasedGraphExtractor.CreateAsync(settings.Ingest.Extraction, cancellationToken)
            : new NoGraphExtractor();
        var pipeline = new IngestionPipeline(store, store, new FormatReaderRegistry(), chunker, extractor, settings.Ingest);
        var query = new QueryEngine(store, store, store, new ExtractiveAnswerGenerator(), settings.Query);
        return new Engine(settings, store, pipeline, query);
    }

    /// <summary>The chunker ingestion uses, for tools that chunk without a store (benchmarks).</summary>
    public static Chunker CreateChunker(GraphRagSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        TiktokenTokenCounter.Warm();
        return new Chunker(settings.Ingest.Chunking, new TiktokenTokenCounter());
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
