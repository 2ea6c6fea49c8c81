using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Readers;

namespace GraphRag.Conformance;

/// <summary>
/// Chunk vectors as a store role: stored and removed with their document, reused when their text is unchanged, tied to
/// one embedding model, and searched within the caller's access partitions only — with work that depends on nothing
/// the caller cannot read. A backend subclasses this and opens its stores with an embedding model.
/// </summary>
public abstract class VectorConformanceTests : BackendConformanceTests
{
    private readonly string _input = Directory.CreateTempSubdirectory("graphrag-vectors-input-").FullName;

    protected HashedBagOfWordsGenerator Generator { get; } = new();

    protected VectorModel Model => Generator.Model;

    /// <summary>
    /// The store named <paramref name="name"/> opened with <paramref name="model"/> (null: embeddings off), created
    /// empty the first time and opened again (as another process would) after that.
    /// </summary>
    protected abstract Task<IGraphBackend> OpenWithModelAsync(string name, VectorModel? model);

    /// <summary>The backend's vector store role, which this suite requires.</summary>
    protected static IChunkVectorStore VectorsOf(IGraphBackend backend) =>
        backend.Vectors ?? throw new InvalidOperationException("The backend keeps no chunk vectors.");

    protected DocumentBundle Embedded(string id, string text, params string[] acl)
    {
        var plain = Bundles.Create(id, text);
        var document = plain.Document with { Acl = acl, ContentHash = StableId.Hash(text, string.Join('\n', acl)) };
        var vectors = plain.Chunks
            .Select(c =>
            {
                var embedded = document.Title + "\n" + c.Text;
                return ChunkVector.Create(c.Id, ChunkVector.HashText(embedded), HashedBagOfWordsGenerator.Embed(embedded, Model.Dimensions));
            })
            .ToList();
        return plain with { Document = document, Vectors = vectors, VectorModel = Model };
    }

    protected VectorQuery Query(string text, int limit = 10) => new(HashedBagOfWordsGenerator.Embed(text, Model.Dimensions), limit);

    [Fact]
    public async Task Upsert_WithVectors_MakesChunksSearchableByVector()
    {
        var store = await OpenWithModelAsync("store", Model);
        await store.Writer.UpsertAsync(Embedded("doc-1", "Ada Lovelace wrote the first program.\n\nCharles Babbage designed the engine."));

        var hits = await store.Indexes.SearchAsync(Query("doc-1\nCharles Babbage designed the engine."));

        hits.Should().HaveCount(2);
        hits[0].DocumentId.Should().Be("doc-1");
        hits[0].Similarity.Should().BeApproximately(1.0, 0.02);
        (await VectorsOf(store).GetVectorModelAsync()).Should().Be(Model);
    }

    [Fact]
    public async Task Delete_RemovesTheDocumentsVectors()
    {
        var store = await OpenWithModelAsync("store", Model);
        var bundle = Embedded("doc-1", "Grace Hopper built compilers.");
        await store.Writer.UpsertAsync(bundle);
        await store.Writer.UpsertAsync(Embedded("doc-2", "Alan Turing broke codes."));

        (await store.Writer.DeleteAsync("doc-1")).Should().BeTrue();

        (await store.Indexes.SearchAsync(Query("Grace Hopper built compilers."))).Should().OnlyContain(h => h.DocumentId == "doc-2");
        (await VectorsOf(store).GetVectorsByTextHashAsync([bundle.Vectors[0].TextHash])).Should().BeEmpty();
        var reopened = await OpenWithModelAsync("store", Model);
        (await reopened.Indexes.SearchAsync(Query("Grace Hopper built compilers."))).Should().OnlyContain(h => h.DocumentId == "doc-2");
    }

    [Fact]
    public async Task Upsert_ChangedContent_ReplacesTheOldVectors()
    {
        var store = await OpenWithModelAsync("store", Model);
        await store.Writer.UpsertAsync(Embedded("doc-1", "Old paragraph about whales.\n\nAnother about ships."));

        await store.Writer.UpsertAsync(Embedded("doc-1", "New paragraph about compilers."));

        var hits = await store.Indexes.SearchAsync(Query("whales ships compilers", 10));
        hits.Select(h => h.ChunkId).Should().Equal(Bundles.Create("doc-1", "New paragraph about compilers.").Chunks[0].Id);
    }

    [Fact]
    public async Task Vectors_SurviveReopening_FromRowsAndFromTheIndexFile()
    {
        var store = await OpenWithModelAsync("store", Model);
        await store.Writer.UpsertAsync(Embedded("doc-1", "Ada Lovelace wrote the first program.\n\nCharles Babbage designed the engine."));
        var before = await store.Indexes.SearchAsync(Query("Babbage engine"));

        var second = await OpenWithModelAsync("store", Model);
        var fromRows = await second.Indexes.SearchAsync(Query("Babbage engine"));
        await second.Indexes.SaveAsync();
        var third = await OpenWithModelAsync("store", Model);
        var fromFile = await third.Indexes.SearchAsync(Query("Babbage engine"));
        third.Indexes.LoadedFrom.Should().Be("file");

        fromRows.Should().Equal(before);
        fromFile.Should().Equal(before);
    }

    [Fact]
    public async Task Open_WithAnotherModel_IsAClearErrorNamingBothModelsAndReembed()
    {
        var store = await OpenWithModelAsync("store", Model);
        await store.Writer.UpsertAsync(Embedded("doc-1", "Ada Lovelace wrote the first program."));
        var other = new VectorModel("snowflake-arctic-embed-xs", 384);

        var open = () => OpenWithModelAsync("store", other);

        var error = (await open.Should().ThrowAsync<VectorModelMismatchException>()).Which;
        error.Should().BeAssignableTo<GraphRagException>();
        error.Message.Should().Contain(Model.Id).And.Contain("snowflake-arctic-embed-xs").And.Contain("graphrag reembed");
        error.Stored.Should().Be(Model);
        error.Configured.Should().Be(other);
    }

    [Fact]
    public async Task Open_WithAModelBeforeAnyVectors_RecordsItOnTheFirstWrite()
    {
        var store = await OpenWithModelAsync("store", Model);
        (await VectorsOf(store).GetVectorModelAsync()).Should().BeNull();
        await store.Writer.UpsertAsync(Bundles.Create("plain", "No vectors here."));
        (await VectorsOf(store).GetVectorModelAsync()).Should().BeNull();

        await store.Writer.UpsertAsync(Embedded("doc-1", "Ada Lovelace wrote the first program."));

        (await VectorsOf(store).GetVectorModelAsync()).Should().Be(Model);
    }

    [Fact]
    public async Task Store_WithEmbeddingsOff_IgnoresVectors()
    {
        var store = await OpenWithModelAsync("store", null);

        await store.Writer.UpsertAsync(Embedded("doc-1", "Ada Lovelace wrote the first program."));

        (await store.Indexes.SearchAsync(Query("Ada Lovelace"))).Should().BeEmpty();
        (await VectorsOf(store).GetVectorModelAsync()).Should().BeNull();
        var withModel = await OpenWithModelAsync("store", Model);
        (await withModel.Indexes.SearchAsync(Query("Ada Lovelace"))).Should().BeEmpty();
    }

    [Fact]
    public async Task ResetVectorModel_ThenReplaceVectors_ReembedsTheStore()
    {
        var store = await OpenWithModelAsync("store", Model);
        var bundle = Embedded("doc-1", "Ada Lovelace wrote the first program.");
        await store.Writer.UpsertAsync(bundle);
        (await store.Indexes.SearchAsync(Query("Ada"))).Should().ContainSingle();

        await VectorsOf(store).ResetVectorModelAsync(Model);
        (await store.Indexes.SearchAsync(Query("Ada"))).Should().BeEmpty();
        (await VectorsOf(store).ReplaceVectorsAsync("doc-1", bundle.Vectors)).Should().BeTrue();
        (await VectorsOf(store).ReplaceVectorsAsync("missing", [])).Should().BeFalse();

        (await store.Indexes.SearchAsync(Query("Ada"))).Should().ContainSingle().Which.ChunkId.Should().Be(bundle.Chunks[0].Id);
    }

    [Fact]
    public async Task ScopedSearch_NeverReturnsAVectorOfAnUnreadableDocument()
    {
        var store = await OpenWithModelAsync("store", Model);
        // The same text in both tenants: the unreadable copy would tie for first if scope were applied after ranking.
        await store.Writer.UpsertManyAsync([
            Embedded("a-1", "The hydrophone maker was acquired.", "tenant:a"),
            Embedded("b-1", "The hydrophone maker was acquired.", "tenant:b"),
            Embedded("b-2", "Hydrophone maker acquired, hydrophone maker acquired.", "tenant:b"),
        ]);

        var hits = await store.Indexes.SearchAsync(Query("hydrophone maker acquired", 10) with
        {
            CanReadAcl = acl => acl.Contains("tenant:a"),
        });

        hits.Should().NotBeEmpty().And.OnlyContain(h => h.DocumentId == "a-1");
    }

    [Fact]
    public async Task ScopedSearch_WorkAndHits_AreIndependentOfOtherTenantsData()
    {
        var alone = await OpenWithModelAsync("alone", Model);
        var shared = await OpenWithModelAsync("shared", Model);
        var mine = Enumerable.Range(0, 5).Select(i => Embedded($"a-{i}", $"Tenant A note {i} about sonar buoys and depth.", "tenant:a")).ToList();
        var theirs = Enumerable.Range(0, 200).Select(i => Embedded($"b-{i}", $"Tenant B memo {i} about sonar buoys.", "tenant:b")).ToList();
        await alone.Writer.UpsertManyAsync(mine);
        await shared.Writer.UpsertManyAsync([.. theirs.Take(100), .. mine, .. theirs.Skip(100)]);

        var aloneWork = new VectorWork();
        var sharedWork = new VectorWork();
        var scoped = Query("sonar buoys depth", 3) with { CanReadAcl = acl => acl.Contains("tenant:a") };
        var aloneHits = await alone.Indexes.SearchAsync(scoped with { Work = aloneWork });
        var sharedHits = await shared.Indexes.SearchAsync(scoped with { Work = sharedWork });

        sharedHits.Should().Equal(aloneHits);
        sharedWork.Vectors.Should().Be(aloneWork.Vectors).And.Be(5);
        sharedWork.Partitions.Should().Be(aloneWork.Partitions).And.Be(1);
    }

    [Fact]
    public async Task Pipeline_ReingestingUnchangedText_ReusesStoredVectorsWithoutCallingTheGenerator()
    {
        var store = await OpenWithModelAsync("store", Model);
        File.WriteAllText(Path.Combine(_input, "a.txt"), "Ada Lovelace\n\nAda Lovelace wrote the first program. Charles Babbage designed the engine.");
        var first = await IngestAsync(store, new IngestRun { Paths = [_input], Acl = ["team:x"] });
        var calls = Generator.Calls;

        // Another ACL makes the document a new version (it is written again), but no chunk's text changed.
        var again = await IngestAsync(store, new IngestRun { Paths = [_input], Acl = ["team:y"] });

        first.Should().ContainSingle().Which.EmbeddedChunks.Should().BeGreaterThan(0);
        again.Should().ContainSingle().Which.Status.Should().Be(IngestStatus.Replaced);
        again[0].ReusedVectors.Should().Be(first[0].EmbeddedChunks);
        again[0].EmbeddedChunks.Should().Be(0);
        Generator.Calls.Should().Be(calls);
        IngestSummary.From(again).ReusedVectors.Should().Be(first[0].EmbeddedChunks);
        (await store.Indexes.SearchAsync(Query("Charles Babbage designed the engine"))).Should().NotBeEmpty();
    }

    private async Task<List<IngestResult>> IngestAsync(IGraphBackend store, IngestRun run)
    {
        var options = new IngestOptions { Parallelism = 1, VectorModel = Model, EmbeddingBatchSize = 2 };
        var pipeline = new IngestionPipeline(
            store.Writer,
            store.Documents,
            new FormatReaderRegistry(),
            new Chunker(new ChunkingOptions { MaxTokens = 16, OverlapTokens = 0 }, new TiktokenTokenCounter()),
            new NoGraphExtractor(),
            options,
            store.Secrets,
            Generator,
            store.Vectors);
        var results = new List<IngestResult>();
        await foreach (var result in pipeline.RunAsync(run))
        {
            results.Add(result);
        }

        return results;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_input, recursive: true);
    }
}
