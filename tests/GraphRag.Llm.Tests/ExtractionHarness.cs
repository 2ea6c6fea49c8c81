using System.Text.Json;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Readers;
using GraphRag.Llm.Extraction;

namespace GraphRag.Llm.Tests;

/// <summary>
/// A store in a temporary folder, the fake chat server, and ingestion runs with a <see cref="ModelGraphExtractor"/> over
/// the real connectors (one extractor per run, as the host builds them), the real chunker and the rule-based extractor.
/// </summary>
public abstract class ExtractionHarness : IAsyncLifetime
{
    protected const string Model = "gpt-4o-mini";

    protected const string Tag = "llm:gpt-4o-mini";

    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-llm-extract-").FullName;

    protected FakeChatServer Server { get; private set; } = null!;

    protected SqliteGraphStore Store { get; private set; } = null!;

    protected string Root => _root;

    /// <summary>Chunk size in tokens; small enough that a few sentences make several chunks.</summary>
    protected int ChunkTokens { get; set; } = 256;

    public async Task InitializeAsync()
    {
        Server = await FakeChatServer.StartAsync();
        Store = await OpenStoreAsync("store.db");
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await Server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    protected Task<SqliteGraphStore> OpenStoreAsync(string name) =>
        SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_root, name) });

    protected LlmClients Clients(Action<LlmOptions>? configure = null)
    {
        var options = new LlmOptions
        {
            Provider = LlmProvider.OpenAI,
            Endpoint = Server.OpenAIEndpoint,
            Model = Model,
            ApiKey = "sk-test",
            MaxOutputTokens = 400,
            TimeoutSeconds = 30,
            MaxRetries = 2,
        };
        configure?.Invoke(options);
        return LlmClientFactory.Create(options, null, new InstantTimeProvider(), _ => null)!;
    }

    /// <summary>A JSONL file of records d1, d2, … with these texts.</summary>
    protected string Records(params string[] texts) => RecordsIn("input.jsonl", texts);

    protected string RecordsIn(string file, params string[] texts)
    {
        var path = Path.Combine(_root, file);
        File.WriteAllLines(path, texts.Select((t, i) => JsonSerializer.Serialize(new { id = $"d{i + 1}", title = $"Doc {i + 1}", text = t })));
        return path;
    }

    protected IngestionPipeline Pipeline(IGraphExtractor extractor, SqliteGraphStore? store = null, int parallelism = 1)
    {
        store ??= Store;
        return new IngestionPipeline(
            store,
            store,
            new FormatReaderRegistry(),
            new Chunker(new ChunkingOptions { MaxTokens = ChunkTokens, OverlapTokens = 0 }, new TiktokenTokenCounter()),
            extractor,
            new IngestOptions { Parallelism = parallelism });
    }

    protected static ModelGraphExtractor Extractor(LlmClients clients, IExtractionCache? cache) =>
        ModelGraphExtractor.Create(clients, new RuleBasedGraphExtractor(), null, cache);

    /// <summary>Ingests with a fresh model extractor; returns the results and the extractor (its report).</summary>
    protected async Task<(List<IngestResult> Results, ModelGraphExtractor Extractor)> IngestAsync(
        LlmClients clients, IngestRun run, SqliteGraphStore? store = null, int parallelism = 1)
    {
        store ??= Store;
        var extractor = Extractor(clients, store.Documents);
        return (await ListAsync(Pipeline(extractor, store, parallelism).RunAsync(run)), extractor);
    }

    protected Task<(List<IngestResult> Results, ModelGraphExtractor Extractor)> IngestAsync(LlmClients clients, string path) =>
        IngestAsync(clients, new IngestRun { Paths = [path] });

    protected static async Task<List<T>> ListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>A structured reply: entities as (name, type, quote), relations as (source, label, target, quote).</summary>
    protected static FakeReply Reply(
        IEnumerable<(string Name, string Type, string Quote)> entities,
        IEnumerable<(string Source, string Label, string Target, string Quote)>? relations = null,
        int promptTokens = 300,
        int completionTokens = 60) =>
        FakeReply.Json(
            new
            {
                entities = entities.Select(e => new { name = e.Name, type = e.Type, quote = e.Quote }),
                relations = (relations ?? []).Select(r => new { source = r.Source, label = r.Label, target = r.Target, quote = r.Quote }),
            },
            promptTokens,
            completionTokens);

    /// <summary>Everything the store holds of the graph, in a stable order, for equality checks.</summary>
    protected static async Task<GraphDump> DumpAsync(SqliteGraphStore store)
    {
        await using var reader = await ((IGraphExportSource)store.Documents).OpenExportAsync();
        var entities = await ListAsync(reader.ReadEntitiesAsync());
        var mentions = await ListAsync(reader.ReadMentionsAsync());
        var relations = await ListAsync(reader.ReadRelationsAsync());
        return new GraphDump(
            [.. entities.Select(e => e.Entity with { Aliases = [] })],
            [.. mentions.Select(m => m.Mention)],
            [.. relations.Select(r => r with { Evidence = [.. r.Evidence.OrderBy(e => e.Span.DocumentId, StringComparer.Ordinal).ThenBy(e => e.Span.Start).ThenBy(e => e.Extractor, StringComparer.Ordinal)] })]);
    }

    protected sealed record GraphDump(List<Entity> Entities, List<Mention> Mentions, List<Relation> Relations);
}
