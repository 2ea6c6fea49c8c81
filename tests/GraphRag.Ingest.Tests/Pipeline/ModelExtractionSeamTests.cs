using GraphRag.Graph.Model;
using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Privacy;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Tests.Pipeline;

/// <summary>
/// The pipeline's side of model-backed extraction, with a scripted extractor: cached replies are stored with their
/// document, a run that cannot go on stops with nothing half-written, and a dry run estimates without writing.
/// </summary>
public sealed class ModelExtractionSeamTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-seam-").FullName;
    private SqliteGraphStore _store = null!;

    private string Input => Path.Combine(_root, "input.jsonl");

    public async Task InitializeAsync() =>
        _store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_root, "store.db") });

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private IngestionPipeline Pipeline(IGraphExtractor extractor, int parallelism = 1) => new(
        _store,
        _store,
        new FormatReaderRegistry(),
        new Chunker(new ChunkingOptions { MaxTokens = 64, OverlapTokens = 8 }, new TiktokenTokenCounter()),
        extractor,
        new IngestOptions { Parallelism = parallelism });

    private void WriteRecords(params string[] texts) =>
        File.WriteAllLines(Input, texts.Select((t, i) => $"{{\"id\":\"d{i + 1}\",\"title\":\"Doc {i + 1}\",\"text\":\"{t}\"}}"));

    private static async Task<List<T>> ListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    [Fact]
    public async Task Run_ExtractorCachesReplies_TheyAreStoredWithTheDocument()
    {
        WriteRecords("Ada Lovelace wrote notes.");
        var extractor = new ScriptedExtractor();

        var results = await ListAsync(Pipeline(extractor).RunAsync([Input]));

        results.Should().ContainSingle().Which.Status.Should().Be(IngestStatus.Added);
        (await _store.Documents.GetExtractionRepliesAsync(["key:Ada Lovelace wrote notes."])).Should().ContainKey("key:Ada Lovelace wrote notes.");
    }

    [Fact]
    public async Task Run_ExtractorStops_EarlierDocumentsStayAndTheRestAreNotProcessed()
    {
        WriteRecords("First text.", "Second text.", "Third text stops.", "Fourth text.", "Fifth text.");
        var extractor = new ScriptedExtractor { StopOn = "Third" };

        var results = await ListAsync(Pipeline(extractor).RunAsync([Input]));
        var summary = IngestSummary.From(results);

        results.Select(r => r.Status).Should().Equal(
            IngestStatus.Added, IngestStatus.Added, IngestStatus.NotProcessed, IngestStatus.NotProcessed, IngestStatus.NotProcessed);
        results.Skip(2).Should().OnlyContain(r => r.Reason == "budget spent");
        summary.NotProcessed.Should().Be(3);
        summary.StopReason.Should().Be("budget spent");
        (await _store.GetCountsAsync()).Documents.Should().Be(2);
        extractor.Calls.Should().Be(3, "no document after the stop is extracted");

        // Run again with room to spare: the stored documents are unchanged and the rest are added.
        var again = await ListAsync(Pipeline(new ScriptedExtractor()).RunAsync([Input]));
        again.Select(r => r.Status).Should().Equal(
            IngestStatus.Unchanged, IngestStatus.Unchanged, IngestStatus.Added, IngestStatus.Added, IngestStatus.Added);
    }

    [Fact]
    public async Task Estimate_NewAndUnchangedDocuments_EstimatesOnlyWhatWouldBeExtractedAndWritesNothing()
    {
        WriteRecords("First text.", "Second text.");
        await ListAsync(Pipeline(new ScriptedExtractor()).RunAsync([Input]));
        WriteRecords("First text.", "Second text, changed.", "Third text.");
        var extractor = new ScriptedExtractor();

        var estimates = await ListAsync(Pipeline(extractor).EstimateAsync(new IngestRun { Paths = [Input] }));

        estimates.Select(e => (e.DocumentId, e.Status)).Should().Equal(
            ("d1", IngestStatus.Unchanged), ("d2", IngestStatus.Replaced), ("d3", IngestStatus.Added));
        estimates.Select(e => e.Cost.Requests.Count).Should().Equal(0, 1, 1);
        extractor.Calls.Should().Be(0, "a dry run extracts nothing");
        (await _store.GetCountsAsync()).Documents.Should().Be(2);
        (await _store.GetDocumentAsync("d2"))!.Text.Should().Be("Second text.");
    }

    [Fact]
    public async Task Estimate_MaskedPersonalData_IsNeutralisedInWhatWouldBeSent()
    {
        WriteRecords("Write to ada@example.com today.");
        var extractor = new ScriptedExtractor();

        await ListAsync(Pipeline(extractor).EstimateAsync(new IngestRun { Paths = [Input], PiiPolicy = PiiPolicy.Mask }));
        await ListAsync(Pipeline(extractor).RunAsync(new IngestRun { Paths = [Input], PiiPolicy = PiiPolicy.Mask }));

        extractor.Seen.Should().HaveCount(2).And.OnlyContain(t => !t.Contains("ada@example.com") && t.Contains("Write to x"));
    }

    /// <summary>Extracts nothing; caches one reply per chunk keyed by its text; stops the run on a chunk containing <see cref="StopOn"/>.</summary>
    private sealed class ScriptedExtractor : IGraphExtractor, IExtractionCostEstimator
    {
        private int _calls;

        public string? StopOn { get; init; }

        public int Calls => _calls;

        public List<string> Seen { get; } = [];

        public string Version => "scripted";

        public DocumentGraph Extract(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default) => DocumentGraph.Empty;

        public ValueTask<ExtractionResult> ExtractForStorageAsync(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            lock (Seen)
            {
                Seen.AddRange(chunks.Select(c => c.Text));
            }

            if (StopOn is { } stop && chunks.Any(c => c.Text.Contains(stop, StringComparison.Ordinal)))
            {
                throw new ExtractionStoppedException("budget spent");
            }

            return ValueTask.FromResult(new ExtractionResult(DocumentGraph.Empty)
            {
                Cache = [.. chunks.Select(c => new ExtractionCacheEntry(c.Id, "key:" + c.Text, "{}"))],
            });
        }

        public ValueTask<ExtractionCostEstimate> EstimateAsync(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default)
        {
            lock (Seen)
            {
                Seen.AddRange(chunks.Select(c => c.Text));
            }

            return ValueTask.FromResult(new ExtractionCostEstimate([.. chunks.Select(c => new ExtractionRequestEstimate("key:" + c.Text, 10, 5, 20))], 0));
        }
    }
}
