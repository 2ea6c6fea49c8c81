using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Readers;
using GraphRag.Query.Retrieval;

namespace GraphRag.Api.Hosting;

/// <summary>
/// The runtime built once from settings: the store, the ingestion pipeline and the query channels. Thread-safe;
/// dispose it to release the store.
/// </summary>
public sealed class Engine : IAsyncDisposable
{
    private Engine(GraphRagSettings settings, SqliteGraphStore store, IngestionPipeline pipeline)
    {
        Settings = settings;
        Store = store;
        Pipeline = pipeline;
        Lexical = new LexicalChannel(store, store);
    }

    public GraphRagSettings Settings { get; }

    public SqliteGraphStore Store { get; }

    public IngestionPipeline Pipeline { get; }

    public LexicalChannel Lexical { get; }

    public static async Task<Engine> OpenAsync(GraphRagSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var store = await SqliteGraphStore.OpenAsync(settings.Store, cancellationToken);
        TiktokenTokenCounter.Warm();
        var chunker = new Chunker(settings.Ingest.Chunking, new TiktokenTokenCounter());
        var pipeline = new IngestionPipeline(
            store, store, new FormatReaderRegistry(), chunker, new NoGraphExtractor(), settings.Ingest);
        return new Engine(settings, store, pipeline);
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
