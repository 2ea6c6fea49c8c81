using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Readers;
using GraphRag.Query.Answering;

namespace GraphRag.Query.Tests;

/// <summary>A store with the bundled samples ingested once for a test class, and a query engine over it.</summary>
public sealed class SamplesFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphrag-query-").FullName;

    public SqliteGraphStore Store { get; private set; } = null!;

    public QueryEngine Engine { get; private set; } = null!;

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GraphRag.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (GraphRag.sln) above the test binaries.");
    }

    public static string SamplesFolder => Path.Combine(RepositoryRoot(), "samples");

    public async Task InitializeAsync()
    {
        (Store, Engine) = await OpenAsync(Path.Combine(_folder, "samples.db"), [Path.Combine(SamplesFolder, "corpus")]);
    }

    public static async Task<(SqliteGraphStore Store, QueryEngine Engine)> OpenAsync(string database, string[] inputs)
    {
        var store = await OpenWithAclsAsync(database, [.. inputs.Select(input => (input, (string?)null))]);
        return (store, new QueryEngine(store, store, store, store, new ExtractiveAnswerGenerator(), new QueryEngineOptions()));
    }

    /// <summary>A store holding the inputs, each ingested through the real pipeline with its ACL entry (none when null).</summary>
    public static async Task<SqliteGraphStore> OpenWithAclsAsync(string database, (string Path, string? Acl)[] inputs)
    {
        var store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = database });
        var pipeline = new IngestionPipeline(
            store, store, new FormatReaderRegistry(), new Chunker(new ChunkingOptions(), new TiktokenTokenCounter()),
            new RuleBasedGraphExtractor(), new IngestOptions());
        foreach (var (path, acl) in inputs)
        {
            await foreach (var result in pipeline.RunAsync(new IngestRun { Paths = [path], Acl = acl is null ? null : [acl] }))
            {
                if (result.Status == IngestStatus.Failed)
                {
                    throw new InvalidOperationException($"Fixture input failed: {result.Source}: {result.Reason}");
                }
            }
        }

        return store;
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
