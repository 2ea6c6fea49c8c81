using GraphRag.Conformance;
using GraphRag.Embeddings;
using GraphRag.Graph.Model;
using GraphRag.Graph.Rows;
using GraphRag.Graph.Sqlite;
using GraphRag.Graph.Synonyms;
using GraphRag.Graph.Traversal;

namespace GraphRag.Graph.Tests;

/// <summary>The local arctic-xs model, loaded once for the synonym tests (a second or two).</summary>
public sealed class ArcticNames : IEntityNameEmbedder, IDisposable
{
    private readonly OnnxEmbeddingGenerator _generator = new(new OnnxEmbeddingOptions());

    public int Calls;

    public string ModelId => _generator.GetModelInfo().Id;

    public Task<IReadOnlyList<ReadOnlyMemory<float>>> EmbedNamesAsync(IReadOnlyList<string> names, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Calls);
        return _generator.GeneratePassageVectorsAsync(names, cancellationToken);
    }

    public void Dispose() => _generator.Dispose();
}

/// <summary>
/// Synonym edges with the real local model: "Tidewater" reaches "Tidewater Robotics AS" through PageRank without the two
/// being merged, distinct names stay apart, a caller who cannot read one end never walks the edge, and the edges follow
/// writes and deletes and survive the index file.
/// </summary>
public sealed class SynonymEdgeTests(ArcticNames names) : StoreFolderTests("graphrag-synonyms-"), IClassFixture<ArcticNames>
{
    private static readonly string Tidewater = StableId.Create("ent", EntityKey.Normalize("Tidewater"));
    private static readonly string TidewaterRobotics = StableId.Create("ent", EntityKey.Normalize("Tidewater Robotics AS"));
    private static readonly string Ada = StableId.Create("ent", EntityKey.Normalize("Ada Lovelace"));
    private static readonly string Grace = StableId.Create("ent", EntityKey.Normalize("Grace Hopper"));

    private static readonly EntitySynonymOptions Enabled = new() { Enabled = true };

    [Fact]
    public async Task Tidewater_ReachesTidewaterRoboticsPassages_ThroughTheSynonymEdge()
    {
        await using var store = await OpenAsync();
        await WriteCorpusAsync(store);

        var snapshot = await store.Indexes.GetSnapshotAsync();
        var seeds = new Dictionary<string, double> { [Tidewater] = 1 };
        var walked = snapshot.PersonalizedPageRank(seeds, synonymFactor: 1);
        var without = snapshot.PersonalizedPageRank(seeds, synonymFactor: 0);

        var edge = snapshot.Synonyms.Of(Tidewater).ToArray().Should().ContainSingle(s => s.EntityId == TidewaterRobotics).Subject;
        edge.Similarity.Should().BeGreaterThanOrEqualTo(Enabled.Threshold).And.BeLessThan(1);
        snapshot.ContainsEntity(Tidewater).Should().BeTrue("the two are linked, not merged");
        snapshot.ContainsEntity(TidewaterRobotics).Should().BeTrue();
        walked.Chunks.Keys.Should().Contain(ChunkOf(snapshot, "robotics"));
        without.Chunks.Keys.Should().NotContain(ChunkOf(snapshot, "robotics"), "no relation joins the two documents");
    }

    [Fact]
    public async Task DistinctEntities_BelowTheThreshold_StayUnconnected()
    {
        await using var store = await OpenAsync();
        await WriteCorpusAsync(store);

        var snapshot = await store.Indexes.GetSnapshotAsync();

        snapshot.Synonyms.Of(Ada).ToArray().Should().BeEmpty();
        snapshot.Synonyms.Of(Grace).ToArray().Should().BeEmpty();
        snapshot.PersonalizedPageRank(new Dictionary<string, double> { [Ada] = 1 }, synonymFactor: 1)
            .Chunks.Keys.Should().NotContain(ChunkOf(snapshot, "hopper"));
    }

    [Fact]
    public async Task ScopedCaller_WhoCannotReadTheOtherEnd_NeverWalksTheEdgeNorSeesTheEntity()
    {
        await using var store = await OpenAsync();
        await WriteCorpusAsync(store);
        var snapshot = await store.Indexes.GetSnapshotAsync();
        var seeds = new Dictionary<string, double> { [Tidewater] = 1 };

        var scoped = snapshot.PersonalizedPageRank(seeds, visibility: snapshot.CreateVisibility(id => id != "robotics"), synonymFactor: 1);
        var both = snapshot.PersonalizedPageRank(seeds, visibility: snapshot.CreateVisibility(_ => true), synonymFactor: 1);

        scoped.Entities.Keys.Should().NotContain(TidewaterRobotics);
        scoped.Chunks.Keys.Should().OnlyContain(c => snapshot.DocumentOf(c) != "robotics");
        scoped.Entities.Values.Sum().Should().BeApproximately(scoped.Entities[Tidewater], 1e-12, "the hidden edge takes no mass either");
        both.Entities.Keys.Should().Contain(TidewaterRobotics);
        both.Chunks.Keys.Should().Contain(ChunkOf(snapshot, "robotics"));
    }

    [Fact]
    public async Task AddAndDelete_KeepTheEdgesAsAFreshBuildMakesThem()
    {
        await using var store = await OpenAsync();
        await store.UpsertAsync(Bundles.WithEntities("contract", "Tidewater won the harbour contract.", "Tidewater"));
        (await store.Indexes.GetSnapshotAsync()).Synonyms.Of(Tidewater).ToArray().Should().BeEmpty();

        await store.UpsertAsync(Bundles.WithEntities("robotics", "Tidewater Robotics AS builds underwater drones.", "Tidewater Robotics AS"));
        var added = await store.Indexes.GetSnapshotAsync();
        var fresh = await FreshEdgesAsync(store);

        added.Synonyms.Of(Tidewater).ToArray().Select(s => s.EntityId).Should().Equal(TidewaterRobotics);
        Pairs(added).Should().Equal(fresh.Select(p => p.Pair));
        // The int8 model quantises activations per batch, so a name's vector shifts slightly with its batch-mates.
        added.Synonyms.Of(Tidewater)[0].Similarity.Should().BeApproximately(fresh[0].Similarity, 0.02);

        await store.Documents.DeleteAsync("robotics");
        var deleted = await store.Indexes.GetSnapshotAsync();

        deleted.Synonyms.Of(Tidewater).ToArray().Should().BeEmpty();
        deleted.Synonyms.Of(TidewaterRobotics).ToArray().Should().BeEmpty();
        Pairs(deleted).Should().BeEmpty().And.Equal((await FreshEdgesAsync(store)).Select(p => p.Pair));
    }

    [Fact]
    public async Task IndexFile_RoundTrip_KeepsNameVectorsAndEdges_WithoutEmbeddingAgain()
    {
        var path = Path.Combine(Folder, "store.db");
        List<string> saved;
        await using (var store = await OpenAsync(path))
        {
            await WriteCorpusAsync(store);
            saved = Edges(await store.Indexes.GetSnapshotAsync());
        }

        var counting = new CountingNames(names);
        await using var reopened = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path });
        reopened.Indexes.UseSynonyms(counting, Enabled);
        var loaded = await reopened.Indexes.GetSnapshotAsync();

        reopened.Indexes.LoadedFrom.Should().Be("file");
        var prefix = Tidewater + ">";
        Edges(loaded).Should().Equal(saved);
        saved.Where(e => e.StartsWith(prefix, StringComparison.Ordinal)).Should().NotBeEmpty();
        counting.Calls.Should().Be(0, "every name vector came from the file");

        await reopened.UpsertAsync(Bundles.WithEntities("later", "Tidewater Robotics Group opened an office.", "Tidewater Robotics Group"));
        var later = await reopened.Indexes.GetSnapshotAsync();
        counting.Names.Should().Equal("tidewater robotics group");
        var group = StableId.Create("ent", "tidewater robotics group");
        later.Synonyms.Of(TidewaterRobotics).ToArray().Select(s => s.EntityId).Should().Contain(group);
    }

    [Fact]
    public async Task OtherThreshold_RematchesTheSavedNameVectors_WithoutEmbeddingAgain()
    {
        var path = Path.Combine(Folder, "store.db");
        await using (var store = await OpenAsync(path))
        {
            await WriteCorpusAsync(store);
            (await store.Indexes.GetSnapshotAsync()).Synonyms.Of(Tidewater).ToArray().Should().NotBeEmpty();
        }

        var counting = new CountingNames(names);
        await using var reopened = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path });
        reopened.Indexes.UseSynonyms(counting, new EntitySynonymOptions { Enabled = true, Threshold = 0.99 });

        var strict = await reopened.Indexes.GetSnapshotAsync();

        strict.Synonyms.Count.Should().Be(0);
        counting.Calls.Should().Be(0);
    }

    [Fact]
    public async Task WithoutANameEmbedder_SnapshotsCarryNoSynonymEdges()
    {
        await using var store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(Folder, "plain.db") });
        await WriteCorpusAsync(store);

        var snapshot = await store.Indexes.GetSnapshotAsync();

        snapshot.Synonyms.Count.Should().Be(0);
        snapshot.PersonalizedPageRank(new Dictionary<string, double> { [Tidewater] = 1 }, synonymFactor: 1)
            .Entities.Keys.Should().NotContain(TidewaterRobotics);
    }

    private async Task<SqliteGraphStore> OpenAsync(string? path = null)
    {
        var store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path ?? Path.Combine(Folder, Guid.NewGuid().ToString("N") + ".db") });
        store.Indexes.UseSynonyms(names, Enabled);
        return store;
    }

    private static async Task WriteCorpusAsync(SqliteGraphStore store)
    {
        await store.UpsertAsync(Bundles.WithEntities("contract", "Tidewater won the harbour contract.", "Tidewater"));
        await store.UpsertAsync(Bundles.WithEntities("robotics", "Tidewater Robotics AS builds underwater drones.", "Tidewater Robotics AS"));
        await store.UpsertAsync(Bundles.WithEntities("lovelace", "Ada Lovelace wrote the first program.", "Ada Lovelace"));
        await store.UpsertAsync(Bundles.WithEntities("hopper", "Grace Hopper wrote the first compiler.", "Grace Hopper"));
    }

    /// <summary>The edges a new index over the same rows makes, from nothing.</summary>
    private async Task<List<(string Pair, double Similarity)>> FreshEdgesAsync(SqliteGraphStore store)
    {
        await using var fresh = new GraphIndexes(store.Documents);
        fresh.UseSynonyms(names, Enabled);
        var snapshot = await fresh.GetSnapshotAsync();
        return [.. snapshot.Synonyms.All().SelectMany(p => p.Value.Select(s => ($"{p.Key}>{s.EntityId}", s.Similarity)))];
    }

    private static List<string> Pairs(GraphSnapshot snapshot) =>
        [.. snapshot.Synonyms.All().SelectMany(p => p.Value.Select(s => $"{p.Key}>{s.EntityId}"))];

    private static List<string> Edges(GraphSnapshot snapshot) =>
        [.. snapshot.Synonyms.All().SelectMany(p => p.Value.Select(s => $"{p.Key}>{s.EntityId}:{s.Similarity:F4}"))];

    private static string ChunkOf(GraphSnapshot snapshot, string documentId) =>
        snapshot.ChunksOf(snapshot.EntitiesInDocument(documentId).First()).Single().ChunkId;

    private sealed class CountingNames(IEntityNameEmbedder inner) : IEntityNameEmbedder
    {
        public int Calls;

        public List<string> Names { get; } = [];

        public string ModelId => inner.ModelId;

        public Task<IReadOnlyList<ReadOnlyMemory<float>>> EmbedNamesAsync(IReadOnlyList<string> names, CancellationToken cancellationToken = default)
        {
            Calls++;
            Names.AddRange(names);
            return inner.EmbedNamesAsync(names, cancellationToken);
        }
    }
}
