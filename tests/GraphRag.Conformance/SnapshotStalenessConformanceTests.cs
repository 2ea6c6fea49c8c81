using System.Globalization;
using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;

namespace GraphRag.Conformance;

/// <summary>
/// The in-memory indexes a backend hands out (<see cref="IGraphBackend.Indexes"/>: the graph snapshot and lexical
/// search) are never stale: after an upsert, a replace or a delete the next snapshot and search show the new content
/// and nothing of the removed or replaced one, and a snapshot already taken stays as it was. When the backend can open
/// a second instance over the same store (another process), that instance sees the first one's writes too.
/// </summary>
public abstract class SnapshotStalenessConformanceTests : BackendConformanceTests
{
    [Fact]
    public async Task Snapshot_AfterUpsert_ShowsTheNewDocument()
    {
        var store = await NewBackendAsync("store");
        await store.Writer.UpsertAsync(Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage.", "Ada Lovelace", "Charles Babbage"));
        var before = await store.Indexes.GetSnapshotAsync();

        await store.Writer.UpsertAsync(Bundles.WithEntities("b", "Charles Babbage lived in London.", "Charles Babbage", "London"));
        var after = await store.Indexes.GetSnapshotAsync();

        var (babbage, london) = (await IdAsync(store, "Charles Babbage"), await IdAsync(store, "London"));
        before.ContainsEntity(london).Should().BeFalse();
        after.ContainsEntity(london).Should().BeTrue("a snapshot taken after an upsert shows the new document");
        after.ChunksOf(babbage).Select(c => c.DocumentId).Should().BeEquivalentTo(["a", "b"]);
        after.Neighbours(babbage).Select(n => n.Entity.Id).Should().Contain(london);
        after.Generation.Should().Be(await store.Access.GetGenerationAsync());
        (await store.Indexes.SearchAsync(new LexicalQuery(["london"], []))).Select(h => h.DocumentId).Should().Equal("b");
    }

    [Fact]
    public async Task Snapshot_AfterReplace_NeverShowsTheReplacedVersion()
    {
        var store = await NewBackendAsync("store");
        await store.Writer.UpsertAsync(Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage.", "Ada Lovelace", "Charles Babbage"));
        await store.Writer.UpsertAsync(Bundles.WithEntities("b", "Mary Somerville lived in London.", "Mary Somerville", "London"));
        var before = await store.Indexes.GetSnapshotAsync();
        var babbage = await IdAsync(store, "Charles Babbage");
        before.ContainsEntity(babbage).Should().BeTrue();

        await store.Writer.UpsertAsync(Bundles.WithEntities("a", "Ada Lovelace met Michael Faraday.", "Ada Lovelace", "Michael Faraday"));
        var after = await store.Indexes.GetSnapshotAsync();

        after.ContainsEntity(babbage).Should().BeFalse("a snapshot taken after a replace must not show the old version");
        after.ContainsEntity(await IdAsync(store, "Michael Faraday")).Should().BeTrue();
    }

    [Fact]
    public async Task Snapshot_AfterReplace_KeepsNoChunkRelationOrSearchHitOfTheOldVersion()
    {
        var store = await NewBackendAsync("store");
        var old = Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage.\n\nThe engine was never finished.", "Ada Lovelace", "Charles Babbage");
        await store.Writer.UpsertAsync(old);
        var ada = await IdAsync(store, "Ada Lovelace");
        var oldRelation = old.Graph.Relations.Single().Id;
        (await store.Indexes.GetSnapshotAsync()).IsRelationVisible(oldRelation).Should().BeTrue();

        var replacement = Bundles.WithEntities("a", "Ada Lovelace met Michael Faraday.", "Ada Lovelace", "Michael Faraday");
        await store.Writer.UpsertAsync(replacement);
        var after = await store.Indexes.GetSnapshotAsync();

        after.IsRelationVisible(oldRelation).Should().BeFalse();
        after.ChunksOf(ada).Select(c => c.ChunkId).Should().Equal(replacement.Chunks[0].Id);
        old.Chunks.Should().AllSatisfy(c => after.DocumentOf(c.Id).Should().BeNull("chunk {0} belonged to the old version", c.Id));
        after.EntitiesInDocument("a").Should().BeEquivalentTo([ada, await IdAsync(store, "Michael Faraday")]);
        (await store.Indexes.SearchAsync(new LexicalQuery(["babbage", "engine"], []))).Should().BeEmpty();
        (await store.Indexes.SearchAsync(new LexicalQuery(["faraday"], []))).Select(h => h.ChunkId).Should().Equal(replacement.Chunks[0].Id);
    }

    [Fact]
    public async Task Snapshot_AfterDelete_ShowsNothingOfTheDeletedDocument()
    {
        var store = await NewBackendAsync("store");
        await store.Writer.UpsertAsync(Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage.", "Ada Lovelace", "Charles Babbage"));
        var b = Bundles.WithEntities("b", "Charles Babbage lived in London.", "Charles Babbage", "London");
        await store.Writer.UpsertAsync(b);
        var (babbage, london) = (await IdAsync(store, "Charles Babbage"), await IdAsync(store, "London"));
        (await store.Indexes.GetSnapshotAsync()).ContainsEntity(london).Should().BeTrue();

        await store.Writer.DeleteAsync("b");
        var after = await store.Indexes.GetSnapshotAsync();

        after.ContainsEntity(london).Should().BeFalse();
        after.ChunksOf(babbage).Select(c => c.DocumentId).Should().Equal("a");
        after.IsRelationVisible(b.Graph.Relations.Single().Id).Should().BeFalse();
        after.DocumentOf(b.Chunks[0].Id).Should().BeNull();
        after.EntitiesInDocument("b").Should().BeEmpty();
        after.LookupKey(EntityKey.Normalize("London")).Should().BeEmpty();
        (await store.Indexes.SearchAsync(new LexicalQuery(["london", "lived"], []))).Should().BeEmpty();
        after.Generation.Should().Be(await store.Access.GetGenerationAsync());
    }

    [Fact]
    public async Task Snapshot_TakenBeforeAWrite_IsNotChangedByIt()
    {
        var store = await NewBackendAsync("store");
        await store.Writer.UpsertAsync(Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage.", "Ada Lovelace", "Charles Babbage"));
        var before = await store.Indexes.GetSnapshotAsync();
        var babbage = await IdAsync(store, "Charles Babbage");
        var generation = before.Generation;

        await store.Writer.UpsertAsync(Bundles.WithEntities("a", "Ada Lovelace met Michael Faraday.", "Ada Lovelace", "Michael Faraday"));
        await store.Writer.UpsertAsync(Bundles.WithEntities("c", "Grace Hopper built compilers.", "Grace Hopper"));
        await store.Writer.DeleteAsync("c");
        (await store.Indexes.GetSnapshotAsync()).Generation.Should().BeGreaterThan(generation);

        before.Generation.Should().Be(generation, "a snapshot is an immutable view of one generation");
        before.ContainsEntity(babbage).Should().BeTrue();
        before.ChunksOf(babbage).Select(c => c.DocumentId).Should().Equal("a");
        before.EntitiesInDocument("c").Should().BeEmpty();
    }

    [Fact]
    public async Task Snapshot_AfterABatchThatAddsReplacesAndKeeps_ShowsExactlyTheNewVersions()
    {
        var store = await NewBackendAsync("store");
        var kept = Bundles.WithEntities("kept", "Mary Somerville lived in London.", "Mary Somerville", "London");
        await store.Writer.UpsertManyAsync([kept, Bundles.WithEntities("replaced", "Ada Lovelace met Charles Babbage.", "Ada Lovelace", "Charles Babbage")]);
        var babbage = await IdAsync(store, "Charles Babbage");
        (await store.Indexes.GetSnapshotAsync()).ContainsEntity(babbage).Should().BeTrue();

        var outcomes = await store.Writer.UpsertManyAsync(
        [
            kept,
            Bundles.WithEntities("replaced", "Ada Lovelace met Michael Faraday.", "Ada Lovelace", "Michael Faraday"),
            Bundles.WithEntities("added", "Grace Hopper built compilers.", "Grace Hopper"),
        ]);
        var after = await store.Indexes.GetSnapshotAsync();

        outcomes.Should().Equal(WriteOutcome.Unchanged, WriteOutcome.Replaced, WriteOutcome.Added);
        after.ContainsEntity(babbage).Should().BeFalse();
        after.ContainsEntity(await IdAsync(store, "Michael Faraday")).Should().BeTrue();
        after.ContainsEntity(await IdAsync(store, "Grace Hopper")).Should().BeTrue();
        after.ContainsEntity(await IdAsync(store, "London")).Should().BeTrue();
        after.Generation.Should().Be(await store.Access.GetGenerationAsync());
        (await store.Indexes.SearchAsync(new LexicalQuery(["babbage"], []))).Should().BeEmpty();
        (await store.Indexes.SearchAsync(new LexicalQuery(["hopper", "somerville"], []))).Select(h => h.DocumentId)
            .Should().BeEquivalentTo(["added", "kept"]);
    }

    [Fact]
    public async Task SecondInstance_SnapshotShowsTheFirstInstancesUpsertsReplacesAndDeletes()
    {
        var writer = await NewBackendAsync("store");
        if (await SecondInstanceAsync("store") is not { } reader)
        {
            return; // The backend cannot open a second instance over one store.
        }

        await writer.Writer.UpsertAsync(Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage.", "Ada Lovelace", "Charles Babbage"));
        await writer.Writer.UpsertAsync(Bundles.WithEntities("b", "Charles Babbage lived in London.", "Charles Babbage", "London"));
        var babbage = await IdAsync(writer, "Charles Babbage");
        var london = await IdAsync(writer, "London");
        var first = await reader.Indexes.GetSnapshotAsync();
        first.ContainsEntity(london).Should().BeTrue("the second instance sees what the first wrote");

        await writer.Writer.UpsertAsync(Bundles.WithEntities("a", "Ada Lovelace met Michael Faraday.", "Ada Lovelace", "Michael Faraday"));
        await writer.Writer.DeleteAsync("b");
        await writer.Writer.UpsertAsync(Bundles.WithEntities("c", "Grace Hopper built compilers.", "Grace Hopper"));
        var after = await reader.Indexes.GetSnapshotAsync();

        after.Generation.Should().Be(await writer.Access.GetGenerationAsync());
        after.ContainsEntity(babbage).Should().BeFalse("the replace and the delete removed every mention of Babbage");
        after.ContainsEntity(london).Should().BeFalse();
        after.ContainsEntity(await IdAsync(writer, "Michael Faraday")).Should().BeTrue();
        after.ContainsEntity(await IdAsync(writer, "Grace Hopper")).Should().BeTrue();
        after.EntitiesInDocument("b").Should().BeEmpty();
        first.ContainsEntity(london).Should().BeTrue("a snapshot already taken stays as it was");
    }

    [Fact]
    public async Task Writes_ByAnotherStoreInstance_AreSeenByTheNextSearch()
    {
        var writer = await NewBackendAsync("store");
        if (await SecondInstanceAsync("store") is not { } reader)
        {
            return; // The backend cannot open a second instance over one store.
        }

        await writer.Writer.UpsertAsync(Bundles.Create("one", "The lighthouse keeper trims the lamp."));
        (await reader.Indexes.SearchAsync(new LexicalQuery(["lighthouse"], []))).Select(h => h.DocumentId).Should().Equal("one");

        await writer.Writer.UpsertAsync(Bundles.Create("two", "A second lighthouse stands on the cape."));
        await writer.Writer.UpsertAsync(Bundles.Create("one", "The keeper retired; the lamp is automatic now."));
        await writer.Writer.DeleteAsync("two");
        await writer.Writer.UpsertAsync(Bundles.Create("three", "Lighthouse keepers kept logs."));

        (await reader.Indexes.SearchAsync(new LexicalQuery(["lighthouse"], []))).Select(h => h.DocumentId).Should().Equal("three");
        (await reader.Indexes.SearchAsync(new LexicalQuery(["automatic"], []))).Select(h => h.DocumentId).Should().Equal("one");
        (await writer.Indexes.SearchAsync(new LexicalQuery(["lighthouse"], []))).Select(h => h.DocumentId).Should().Equal("three");
    }

    [Fact]
    public async Task Writes_BeyondTheChangeLog_ReloadTheIndexWhole()
    {
        var writer = await NewBackendAsync("store");
        if (await SecondInstanceAsync("store") is not { } reader)
        {
            return; // The backend cannot open a second instance over one store.
        }

        await writer.Writer.UpsertAsync(Bundles.Create("first", "Alpha beacon."));
        (await reader.Indexes.SearchAsync(new LexicalQuery(["beacon"], []))).Should().ContainSingle();

        // More generations than a change log keeps (the embedded store keeps 1,000): a reader that cannot replay them
        // must reload.
        for (var i = 0; i < 1005; i++)
        {
            await writer.Writer.UpsertAsync(Bundles.Create("doc" + i.ToString(CultureInfo.InvariantCulture), $"Beacon number {i}."));
        }

        await writer.Writer.DeleteAsync("first");

        var hits = await reader.Indexes.SearchAsync(new LexicalQuery(["beacon"], [], 2000));
        hits.Should().HaveCount(1005).And.NotContain(h => h.DocumentId == "first");
    }

    private static async Task<string> IdAsync(IGraphBackend store, string name) =>
        (await store.Graph.FindEntitiesAsync(new EntitySearch(name))).Single().Id;
}
