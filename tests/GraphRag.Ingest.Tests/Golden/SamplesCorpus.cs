using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Tests.Golden;

/// <summary>The bundled sample corpus and the real ingestion pipeline, built with the defaults the CLI uses.</summary>
internal static class SamplesCorpus
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Folder => Path.Combine(RepositoryRoot, "samples", "corpus");

    public static IngestionPipeline Pipeline(SqliteGraphStore store) => new(
        store,
        store,
        new FormatReaderRegistry(),
        new Chunker(new ChunkingOptions(), new TiktokenTokenCounter()),
        new RuleBasedGraphExtractor(),
        new IngestOptions());

    /// <summary>Runs the pipeline over <paramref name="paths"/>; any failed input fails the test.</summary>
    public static async Task<IReadOnlyList<IngestResult>> IngestAsync(SqliteGraphStore store, params string[] paths)
    {
        var results = new List<IngestResult>();
        await foreach (var result in Pipeline(store).RunAsync(paths))
        {
            results.Add(result);
        }

        results.Where(r => r.Status == IngestStatus.Failed).Select(r => $"{r.Source}: {r.Reason}").Should().BeEmpty();
        return results;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "GraphRag.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (GraphRag.sln) above " + AppContext.BaseDirectory);
    }
}

/// <summary>samples/corpus ingested once into a temporary store, shared read-only by a test class.</summary>
public sealed class SamplesStoreFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphrag-golden-").FullName;

    public SqliteGraphStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_folder, "samples.db") });
        await SamplesCorpus.IngestAsync(Store, SamplesCorpus.Folder);
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
