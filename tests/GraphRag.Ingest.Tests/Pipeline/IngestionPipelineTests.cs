using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Readers;
using GraphRag.Ingest.Tests.Readers;

namespace GraphRag.Ingest.Tests.Pipeline;

public sealed class IngestionPipelineTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-pipeline-").FullName;
    private SqliteGraphStore _store = null!;

    private string Input => Path.Combine(_root, "input");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Input);
        _store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_root, "store.db") });
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private IngestionPipeline Pipeline(IngestOptions? options = null) => new(
        _store,
        _store,
        new FormatReaderRegistry(),
        new Chunker(new ChunkingOptions { MaxTokens = 64, OverlapTokens = 8 }, new TiktokenTokenCounter()),
        new NoGraphExtractor(),
        options ?? new IngestOptions { Parallelism = 2 });

    private async Task<List<IngestResult>> RunAsync(IngestionPipeline pipeline, params string[] paths)
    {
        var results = new List<IngestResult>();
        await foreach (var result in pipeline.RunAsync(paths))
        {
            results.Add(result);
        }

        return results;
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(Input, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public async Task Run_MixedFolder_StoresEveryDocumentWithIdsFromRelativePaths()
    {
        Write("a.txt", "Alpha\n\nAlpha is the first letter.");
        Write("sub/b.md", "# Beta\n\nBeta comes second.");
        Write("records.jsonl", "{\"id\":\"r1\",\"title\":\"One\",\"text\":\"Record one.\"}\n{\"id\":\"r2\",\"title\":\"Two\",\"text\":\"Record two.\"}\n");

        var results = await RunAsync(Pipeline(), Input);

        results.Should().OnlyContain(r => r.Status == IngestStatus.Added);
        results.Select(r => r.DocumentId).Should().Equal("a.txt", "r1", "r2", "sub/b.md");
        (await _store.GetCountsAsync()).Documents.Should().Be(4);
        var chunks = await _store.GetDocumentChunksAsync("sub/b.md");
        var document = await _store.GetDocumentAsync("sub/b.md");
        chunks.Should().AllSatisfy(c => document!.Text[c.Start..c.End].Should().Be(c.Text));
    }

    [Fact]
    public async Task Run_SameInputTwice_ChangesNothing()
    {
        Write("a.txt", "Alpha\n\nAlpha is the first letter.");
        Write("records.jsonl", "{\"id\":\"r1\",\"text\":\"Record one.\"}\n");
        await RunAsync(Pipeline(), Input);
        var before = await _store.GetCountsAsync();

        var again = await RunAsync(Pipeline(), Input);

        again.Should().OnlyContain(r => r.Status == IngestStatus.Unchanged);
        (await _store.GetCountsAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Run_ChangedFile_ReplacesItsOldChunks()
    {
        Write("a.txt", "Alpha\n\nThe old text mentions zeppelins.");
        await RunAsync(Pipeline(), Input);
        Write("a.txt", "Alpha\n\nThe new text mentions submarines.");

        var results = await RunAsync(Pipeline(), Input);

        results.Should().ContainSingle().Which.Status.Should().Be(IngestStatus.Replaced);
        (await _store.SearchAsync(new LexicalQuery(["zeppelins"], []))).Should().BeEmpty();
        (await _store.SearchAsync(new LexicalQuery(["submarines"], []))).Should().ContainSingle();
    }

    [Fact]
    public async Task Run_BadFiles_AreReportedOneLineEachAndNothingElseChanges()
    {
        Write("existing.txt", "Existing\n\nAlready stored before the bad batch.");
        await RunAsync(Pipeline(), Input);
        var before = await _store.GetDocumentAsync("existing.txt");
        var pdf = ReaderTestSupport.CreatePdf("Report", "Page one text.", "Page two text.");
        await File.WriteAllBytesAsync(Path.Combine(Input, "truncated.pdf"), pdf[..(pdf.Length / 2)]);
        await File.WriteAllBytesAsync(Path.Combine(Input, "random.docx"), Enumerable.Range(0, 5000).Select(i => (byte)((i * 7919) % 251)).ToArray());
        // Latin-1 text is read now (as Windows-1252); a text file with binary content is still refused.
        await File.WriteAllBytesAsync(Path.Combine(Input, "binary.txt"), [0x43, 0x61, 0x66, 0xE9, 0x00, 0xFF]);
        Write("good.txt", "Good\n\nA perfectly good file.");

        var results = await RunAsync(Pipeline(), Input);

        var failures = results.Where(r => r.Status == IngestStatus.Failed).ToList();
        failures.Select(f => f.Source).Should().BeEquivalentTo(["binary.txt", "random.docx", "truncated.pdf"]);
        failures.Should().AllSatisfy(f => f.Reason.Should().NotBeNullOrWhiteSpace().And.NotContain("\n"));
        results.Should().ContainSingle(r => r.DocumentId == "good.txt").Which.Status.Should().Be(IngestStatus.Added);
        (await _store.GetDocumentAsync("existing.txt")).Should().BeEquivalentTo(before);
        (await _store.GetCountsAsync()).Documents.Should().Be(2);
    }

    [Fact]
    public async Task Run_DuplicateIdsAcrossFiles_KeepsTheFirstInInputOrder()
    {
        Write("a.jsonl", "{\"id\":\"same\",\"text\":\"First version.\"}\n");
        Write("b.jsonl", "{\"id\":\"same\",\"text\":\"Second version.\"}\n");

        var results = await RunAsync(Pipeline(), Input);

        results.Select(r => r.Status).Should().Equal(IngestStatus.Added, IngestStatus.Failed);
        results[1].Reason.Should().Contain("duplicate document id 'same'");
        (await _store.GetDocumentAsync("same"))!.Text.Should().Be("First version.");
    }

    [Fact]
    public async Task Run_IncludeAndExcludeGlobs_SelectFiles()
    {
        Write("keep/a.md", "# A\n\nKeep me.");
        Write("keep/skip.md", "# Skip\n\nSkip me.");
        Write("other/b.txt", "B\n\nNot included.");
        var options = new IngestOptions { Parallelism = 1 };
        options.Include.Add("keep/**/*.md");
        options.Exclude.Add("**/skip.md");

        var results = await RunAsync(Pipeline(options), Input);

        results.Select(r => r.DocumentId).Should().Equal("keep/a.md");
    }

    [Fact]
    public async Task Run_MissingPath_IsAFailedResult()
    {
        var results = await RunAsync(Pipeline(), Path.Combine(_root, "nope"));

        results.Should().ContainSingle().Which.Reason.Should().Be("no such file or folder");
    }

    [Fact]
    public async Task Run_ManyRecords_AreWrittenInInputOrderWhateverTheParallelism()
    {
        var lines = Enumerable.Range(0, 300).Select(i => $"{{\"id\":\"r{i:D3}\",\"text\":\"Record number {i} about topic {i % 7}.\"}}");
        Write("many.jsonl", string.Join('\n', lines));

        var results = await RunAsync(Pipeline(new IngestOptions { Parallelism = 4 }), Input);

        results.Select(r => r.DocumentId).Should().Equal(Enumerable.Range(0, 300).Select(i => $"r{i:D3}"));
        (await _store.GetCountsAsync()).Documents.Should().Be(300);
    }

    [Fact]
    public async Task Run_CancelledBeforeStart_WritesNothing()
    {
        Write("a.txt", "Alpha\n\nText.");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var run = async () =>
        {
            await foreach (var _ in Pipeline().RunAsync([Input], null, cancelled.Token))
            {
            }
        };

        await run.Should().ThrowAsync<OperationCanceledException>();
        (await _store.GetCountsAsync()).Documents.Should().Be(0);
    }
}
