using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Tests.Pipeline;

/// <summary>A document's id does not depend on how ingest was called: files under the store's corpus root are named from it.</summary>
public sealed class DocumentIdRuleTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-ids-").FullName;
    private SqliteGraphStore _store = null!;

    private string World => Path.Combine(_root, "world");

    public async Task InitializeAsync()
    {
        Write("people/ingrid.md", "# Ingrid Halvorsen\n\nIngrid Halvorsen was born in Tallholm.");
        Write("people/tomas.txt", "Tomas Lindqvist\n\nTomas Lindqvist directed The Quiet Fleet.");
        Write("places/tallholm.md", "# Tallholm\n\nTallholm is a fjord village.");
        _store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_root, "store.db") });
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>`ingest world` stored people/ingrid.md, `ingest world/people/ingrid.md` a second copy as ingrid.md, and answers flipped between them.</summary>
    [Fact]
    public async Task Run_SameFileReachedThroughFolderSubfolderOrItself_KeepsOneId()
    {
        var first = await RunAsync(World);
        var file = await RunAsync(Path.Combine(World, "people", "ingrid.md"));
        var subfolder = await RunAsync(Path.Combine(World, "people"));

        first.Select(r => r.DocumentId).Should().BeEquivalentTo("people/ingrid.md", "people/tomas.txt", "places/tallholm.md");
        file.Should().ContainSingle().Which.Should().Match<IngestResult>(r => r.DocumentId == "people/ingrid.md" && r.Status == IngestStatus.Unchanged);
        subfolder.Select(r => (r.DocumentId, r.Status)).Should().BeEquivalentTo([("people/ingrid.md", IngestStatus.Unchanged), ("people/tomas.txt", IngestStatus.Unchanged)]);
        (await Ids()).Should().BeEquivalentTo("people/ingrid.md", "people/tomas.txt", "places/tallholm.md");
    }

    [Fact]
    public async Task Run_FirstIngestOfOneFile_RecordsItsFolderAsTheRoot()
    {
        var file = await RunAsync(Path.Combine(World, "people", "ingrid.md"));
        var world = await RunAsync(World);

        file.Single().DocumentId.Should().Be("ingrid.md");
        // Under the root (world/people) the same name; outside it, named as reached (from the folder given).
        world.Select(r => (r.DocumentId, r.Status)).Should().BeEquivalentTo(
            [("ingrid.md", IngestStatus.Unchanged), ("tomas.txt", IngestStatus.Added), ("places/tallholm.md", IngestStatus.Added)]);
        (await Ids()).Should().HaveCount(3);
    }

    [Fact]
    public async Task Run_StoreThatRecordedNoRoot_ReingestOfEachEarlierInvocationKeepsEveryId()
    {
        // A store written before roots were recorded: `ingest world/people` gave ingrid.md and tomas.txt,
        // `ingest world/places` gave tallholm.md, each relative to the folder given.
        await RunFilesAsync(("people/ingrid.md", "ingrid.md"), ("people/tomas.txt", "tomas.txt"), ("places/tallholm.md", "tallholm.md"));

        var people = await RunAsync(Path.Combine(World, "people"));
        var places = await RunAsync(Path.Combine(World, "places"));

        people.Concat(places).Should().OnlyContain(r => r.Status == IngestStatus.Unchanged);
        (await Ids()).Should().BeEquivalentTo("ingrid.md", "tomas.txt", "tallholm.md");
    }

    [Fact]
    public async Task Run_StoreThatRecordedNoRoot_ReingestOfTheWholeFolderKeepsEveryId()
    {
        await RunFilesAsync(("people/ingrid.md", "people/ingrid.md"), ("people/tomas.txt", "people/tomas.txt"), ("places/tallholm.md", "places/tallholm.md"));

        var again = await RunAsync(World);

        again.Should().HaveCount(3).And.OnlyContain(r => r.Status == IngestStatus.Unchanged);
        (await Ids()).Should().HaveCount(3);
    }

    [Fact]
    public async Task Run_UploadedFileNamedByTheCaller_KeepsItsGivenIdAndRecordsNoRoot()
    {
        await RunFilesAsync(("people/ingrid.md", "uploads/alice/ingrid.md"));
        var world = await RunAsync(World);

        (await Ids()).Should().BeEquivalentTo("uploads/alice/ingrid.md", "people/ingrid.md", "people/tomas.txt", "places/tallholm.md");
        world.Should().OnlyContain(r => r.Status == IngestStatus.Added);
    }

    [Fact]
    public async Task Estimate_DryRun_NamesFilesAsTheRunWouldAndRecordsNoRoot()
    {
        var fresh = await EstimateAsync(Path.Combine(World, "people", "ingrid.md"));
        var recorded = await _store.GetValueAsync(CorpusRoot.Key);
        await RunAsync(World);
        var after = await EstimateAsync(Path.Combine(World, "people", "ingrid.md"));

        fresh.Single().DocumentId.Should().Be("ingrid.md");
        recorded.Should().BeNull("a dry run writes nothing, the corpus root included");
        after.Single().Should().Match<IngestEstimate>(e => e.DocumentId == "people/ingrid.md" && e.Status == IngestStatus.Unchanged);
    }

    private async Task<List<IngestEstimate>> EstimateAsync(string path)
    {
        var estimates = new List<IngestEstimate>();
        await foreach (var estimate in Pipeline().EstimateAsync(new IngestRun { Paths = [path] }))
        {
            estimates.Add(estimate);
        }

        return estimates;
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(World, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private IngestionPipeline Pipeline() => new(
        _store,
        _store,
        new FormatReaderRegistry(),
        new Chunker(new ChunkingOptions { MaxTokens = 64, OverlapTokens = 8 }, new TiktokenTokenCounter()),
        new NoGraphExtractor(),
        new IngestOptions { Parallelism = 2 });

    private async Task<List<IngestResult>> RunAsync(params string[] paths) => await CollectAsync(new IngestRun { Paths = paths });

    /// <summary>Files with the ids their caller gives them (as uploads and stores written before roots are).</summary>
    private async Task RunFilesAsync(params (string File, string Id)[] files)
    {
        var results = await CollectAsync(new IngestRun { Files = [.. files.Select(f => new SourceFile(Path.Combine(World, f.File), f.Id))] });
        results.Should().OnlyContain(r => r.Status == IngestStatus.Added);
    }

    private async Task<List<IngestResult>> CollectAsync(IngestRun run)
    {
        var results = new List<IngestResult>();
        await foreach (var result in Pipeline().RunAsync(run))
        {
            results.Add(result);
        }

        return results;
    }

    private async Task<List<string>> Ids() =>
        [.. (await _store.ListDocumentsAsync(new DocumentListRequest(0, 100))).Select(d => d.Id)];
}
