using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Privacy;
using GraphRag.Ingest.Readers;
using Microsoft.Extensions.AI;

namespace GraphRag.Ingest.Tests.Pipeline;

public sealed class EmbedStepTests : IAsyncLifetime
{
    private const string Email = "john.smith@example.com";
    private static readonly VectorModel Model = new("test-bag-of-words", 32);

    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-embed-").FullName;
    private readonly RecordingGenerator _generator = new(Model.Dimensions);
    private SqliteGraphStore _store = null!;

    private string Input => Path.Combine(_root, "input");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Input);
        _store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_root, "store.db"), VectorModel = Model });
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private IngestionPipeline Pipeline(int batchSize = 32, IEmbeddingGenerator<string, Embedding<float>>? generator = null) => new(
        _store,
        _store,
        new FormatReaderRegistry(),
        new Chunker(new ChunkingOptions { MaxTokens = 16, OverlapTokens = 0 }, new TiktokenTokenCounter()),
        new NoGraphExtractor(),
        new IngestOptions { Parallelism = 1, VectorModel = Model, EmbeddingBatchSize = batchSize },
        embeddings: generator ?? _generator);

    private async Task<List<IngestResult>> IngestAsync(IngestionPipeline pipeline, IngestRun run)
    {
        var results = new List<IngestResult>();
        await foreach (var result in pipeline.RunAsync(run))
        {
            results.Add(result);
        }

        results.Should().NotContain(r => r.Status == IngestStatus.Failed);
        return results;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(Input, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string LongText(int sentences) =>
        string.Join(' ', Enumerable.Range(0, sentences).Select(i => $"Sentence number {i} talks about sonar buoy model {i} at depth."));

    [Fact]
    public async Task Ingest_EmbedsEachChunkAsTitleNewlineText_InBatches()
    {
        Write("buoys.md", "# Buoys\n\n" + LongText(12));

        var results = await IngestAsync(Pipeline(batchSize: 4), new IngestRun { Paths = [Input] });

        var chunks = await _store.GetDocumentChunksAsync(results[0].DocumentId!);
        chunks.Count.Should().BeGreaterThan(4);
        results[0].EmbeddedChunks.Should().Be(chunks.Count);
        results[0].ReusedVectors.Should().Be(0);
        _generator.Calls.Should().Be((chunks.Count + 3) / 4);
        _generator.Texts.Should().Equal(chunks.OrderBy(c => c.Ordinal).Select(c => "Buoys\n" + c.Text));
        (await _store.Indexes.CountVectorsAsync()).Should().Be(chunks.Count);
        (await _store.GetVectorModelAsync()).Should().Be(Model);
    }

    [Fact]
    public async Task Ingest_TextRepeatedWithinADocument_IsEmbeddedOnceAndEveryChunkGetsAVector()
    {
        Write("boilerplate.txt", "Boiler\n\n" + string.Join(' ', Enumerable.Repeat("Same words again and again here.", 40)));

        var results = await IngestAsync(Pipeline(), new IngestRun { Paths = [Input] });

        var chunks = await _store.GetDocumentChunksAsync(results[0].DocumentId!);
        var distinct = chunks.Select(c => c.Text).Distinct(StringComparer.Ordinal).Count();
        distinct.Should().BeLessThan(chunks.Count);
        _generator.Texts.Should().HaveCount(distinct).And.OnlyHaveUniqueItems();
        results[0].EmbeddedChunks.Should().Be(distinct);
        results[0].ReusedVectors.Should().Be(chunks.Count - distinct);
        (await _store.Indexes.CountVectorsAsync()).Should().Be(chunks.Count);
    }

    [Fact]
    public async Task Reingest_SameContent_NeverCallsTheGenerator()
    {
        Write("a.txt", "Alpha\n\n" + LongText(4));
        await IngestAsync(Pipeline(), new IngestRun { Paths = [Input] });
        var calls = _generator.Calls;

        var again = await IngestAsync(Pipeline(), new IngestRun { Paths = [Input] });

        again.Should().ContainSingle().Which.Status.Should().Be(IngestStatus.Unchanged);
        _generator.Calls.Should().Be(calls);
    }

    [Fact]
    public async Task Reingest_OneChangedSentence_EmbedsOnlyTheChangedChunks()
    {
        Write("a.txt", "Alpha\n\n" + LongText(8));
        var first = await IngestAsync(Pipeline(), new IngestRun { Paths = [Input] });
        _generator.Reset();

        Write("a.txt", "Alpha\n\n" + LongText(8).Replace("model 7 at depth", "model 7 near the surface", StringComparison.Ordinal));
        var second = await IngestAsync(Pipeline(), new IngestRun { Paths = [Input] });

        second[0].Status.Should().Be(IngestStatus.Replaced);
        second[0].EmbeddedChunks.Should().BeInRange(1, first[0].EmbeddedChunks - 1);
        second[0].ReusedVectors.Should().Be(first[0].EmbeddedChunks - second[0].EmbeddedChunks);
        _generator.Texts.Should().OnlyContain(t => t.Contains("surface", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(PiiPolicy.Mask)]
    [InlineData(PiiPolicy.Redact)]
    public async Task Ingest_WithPersonalData_NeverEmbedsIt(PiiPolicy policy)
    {
        var path = Path.Combine(Input, "people.jsonl");
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(new { id = "p1", title = "Contact " + Email, text = "Write to " + Email + " about the sonar buoys." }) + "\n");

        await IngestAsync(Pipeline(), new IngestRun { Paths = [path], PiiPolicy = policy });

        _generator.Texts.Should().NotBeEmpty().And.OnlyContain(t => !t.Contains(Email, StringComparison.Ordinal) && t.Contains("sonar buoys", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pipeline_WithoutAGenerator_StoresNoVectors()
    {
        Write("a.txt", "Alpha\n\n" + LongText(3));
        var pipeline = new IngestionPipeline(
            _store, _store, new FormatReaderRegistry(), new Chunker(new ChunkingOptions(), new TiktokenTokenCounter()), new NoGraphExtractor(), new IngestOptions());

        var results = await IngestAsync(pipeline, new IngestRun { Paths = [Input] });

        results[0].EmbeddedChunks.Should().Be(0);
        (await _store.Indexes.CountVectorsAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Reingest_WithEmbeddingsOff_KeepsTheStoredVectors_AndTakesNewDocuments()
    {
        Write("a.txt", "Alpha\n\n" + LongText(6));
        var first = await IngestAsync(Pipeline(), new IngestRun { Paths = [Input] });
        var vectors = await _store.Indexes.CountVectorsAsync();
        vectors.Should().Be(first[0].EmbeddedChunks).And.BeGreaterThan(0);
        Write("b.txt", "Beta\n\n" + LongText(2));
        var withoutEmbeddings = new IngestionPipeline(
            _store, _store, new FormatReaderRegistry(), new Chunker(new ChunkingOptions { MaxTokens = 16, OverlapTokens = 0 }, new TiktokenTokenCounter()),
            new NoGraphExtractor(), new IngestOptions { Parallelism = 1 });

        var results = new List<IngestResult>();
        await foreach (var result in withoutEmbeddings.RunAsync(new IngestRun { Paths = [Input] }))
        {
            results.Add(result);
        }

        results.Should().ContainSingle(r => r.Status == IngestStatus.Failed).Which.Reason.Should().Contain("embeddings off");
        results.Should().ContainSingle(r => r.Status == IngestStatus.Added);
        (await _store.Indexes.CountVectorsAsync()).Should().Be(vectors);
        (await _store.GetDocumentChunksAsync(first[0].DocumentId!)).Should().HaveCount(first[0].EmbeddedChunks);
    }

    [Fact]
    public void Pipeline_WithAGeneratorButNoModel_IsRefused()
    {
        var create = () => new IngestionPipeline(
            _store, _store, new FormatReaderRegistry(), new Chunker(new ChunkingOptions(), new TiktokenTokenCounter()), new NoGraphExtractor(), new IngestOptions(),
            embeddings: _generator);

        create.Should().Throw<ArgumentException>().WithMessage("*VectorModel*");
    }

    /// <summary>Test-only embeddings: a stable hashed bag of words, L2-normalised; records what it was asked to embed.</summary>
    private sealed class RecordingGenerator(int dimensions) : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly List<string> _texts = [];

        public int Calls { get; private set; }

        public IReadOnlyList<string> Texts => _texts;

        public void Reset()
        {
            Calls = 0;
            _texts.Clear();
        }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var value in values)
            {
                _texts.Add(value);
                var vector = new float[dimensions];
                foreach (var word in value.ToLowerInvariant().Split([' ', '\n', '.', ','], StringSplitOptions.RemoveEmptyEntries))
                {
                    var hash = 2166136261u;
                    foreach (var c in word)
                    {
                        hash = (hash ^ c) * 16777619u;
                    }

                    vector[(int)(hash % (uint)dimensions)] += 1;
                }

                var norm = MathF.Sqrt(vector.Sum(v => v * v));
                result.Add(new Embedding<float>(vector.Select(v => norm > 0 ? v / norm : 0).ToArray()));
            }

            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
