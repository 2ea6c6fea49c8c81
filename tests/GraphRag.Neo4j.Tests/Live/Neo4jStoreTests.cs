using GraphRag.Conformance;
using GraphRag.Graph.Abstractions;

namespace GraphRag.Neo4j.Tests.Live;

/// <summary>What the conformance suites cannot say about Neo4j: the stored graph is the model of cypher/MODEL.md.</summary>
public sealed class Neo4jStoreTests : IAsyncLifetime
{
    private readonly LiveServer _server = new();
    private readonly OpenedBackends _opened = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _opened.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task<long> CountAsync(string store, string cypher)
    {
        using var http = await Neo4jHttp.ConnectAsync(_server.Options(store));
        var result = await http.RunAsync([new Statement(cypher, new Dictionary<string, object?> { ["store"] = _server.Options(store).Store })]);
        return result[0].Rows[0][0].GetInt64();
    }

    [Fact]
    public async Task Write_ProducesTheModelsNodesAndRelationships_CountedAsStatsCountThem()
    {
        var store = _opened.Track(await _server.CreateAsync("model"));
        await store.Writer.UpsertManyAsync(
        [
            Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage in London.", "Ada Lovelace", "Charles Babbage", "London"),
            Bundles.WithEntities("b", "Charles Babbage lived in London.\n\nHe built engines.", "Charles Babbage", "London"),
        ]);

        var counts = await store.Statistics.GetCountsAsync();

        counts.Should().Be(new StoreCounts(2, 3, 3, 2));
        (await CountAsync("model", "MATCH (n:Document {store: $store}) RETURN count(n)")).Should().Be(counts.Documents);
        (await CountAsync("model", "MATCH (:Document {store: $store})-[r:HAS_CHUNK]->(:Chunk) RETURN count(r)")).Should().Be(counts.Chunks);
        (await CountAsync("model", "MATCH (n:Entity {store: $store}) RETURN count(n)")).Should().Be(counts.Entities);
        (await CountAsync("model", "MATCH (:Entity {store: $store})-[r:RELATES]->(:Entity) RETURN count(r)")).Should().Be(counts.Relations);
        (await CountAsync("model", "MATCH (:Chunk {store: $store})-[r:MENTIONS]->(:Entity) RETURN count(r)")).Should().Be(5);
        (await CountAsync("model", "MATCH (:Document {store: $store})-[r:DESCRIBES]->(:Entity) RETURN count(r)")).Should().Be(5);
        (await CountAsync("model", "MATCH (:Entity {store: $store})-[r:RELATES]->() WHERE size(r.evidenceDocumentIds) = 2 RETURN count(r)"))
            .Should().Be(1, "Charles Babbage - London has evidence from both documents");
        (await CountAsync("model", "MATCH (c:Chunk {store: $store}) WHERE c.preview IS NULL OR size(c.preview) > 60 RETURN count(c)")).Should().Be(0);
    }

    [Fact]
    public async Task Delete_SharedRelation_FiltersItsEvidenceArraysAndRecomputesTheWeight()
    {
        var store = _opened.Track(await _server.CreateAsync("evidence"));
        await store.Writer.UpsertAsync(Bundles.WithEntities("a", "Charles Babbage visited London.", "Charles Babbage", "London"));
        await store.Writer.UpsertAsync(Bundles.WithEntities("b", "Charles Babbage lived in London.", "Charles Babbage", "London"));

        await store.Writer.DeleteAsync("a");

        var relation = (await store.Graph.FindEntitiesAsync(new EntitySearch("Charles Babbage"))) is [var babbage]
            ? (await store.Graph.GetRelationsAsync(new RelationQuery { EntityIds = [babbage.Id] })).Single()
            : throw new InvalidOperationException("Charles Babbage is not stored.");
        relation.Weight.Should().Be(1);
        relation.Evidence.Select(e => e.Span.DocumentId).Should().Equal("b");
        (await CountAsync("evidence", "MATCH (:Entity {store: $store})-[r:RELATES]->() RETURN sum(r.evidenceCount)")).Should().Be(1);
    }

    [Fact]
    public async Task GetRelationsById_FromAnotherInstance_EqualsTheWritersAnswer()
    {
        var writer = _opened.Track(await _server.CreateAsync("ids"));
        await writer.Writer.UpsertAsync(Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage in London.", "Ada Lovelace", "Charles Babbage", "London"));
        var ids = (await writer.Graph.GetRelationsAsync(new RelationQuery { EntityIds = [.. (await writer.Graph.FindEntitiesAsync(new EntitySearch())).Select(e => e.Id)] }))
            .Select(r => r.Id).ToList();
        var fresh = _opened.Track((await _server.OpenSecondInstanceAsync("ids"))!);

        // The writer knows each relation's source (an index seek); a fresh instance has read no rows yet (a scan).
        var known = await writer.Graph.GetRelationsAsync(new RelationQuery { RelationIds = ids });
        var scanned = await fresh.Graph.GetRelationsAsync(new RelationQuery { RelationIds = ids });

        ids.Should().HaveCount(2);
        scanned.Should().BeEquivalentTo(known, o => o.WithStrictOrdering());
        (await fresh.Graph.GetRelationsAsync(new RelationQuery { RelationIds = ids, Limit = 1 })).Should().ContainSingle();
    }

    [Fact]
    public async Task TwoStoresOnOneServer_DoNotSeeEachOther()
    {
        var first = _opened.Track(await _server.CreateAsync("first"));
        var second = _opened.Track(await _server.CreateAsync("second"));
        await first.Writer.UpsertAsync(Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage.", "Ada Lovelace", "Charles Babbage"));
        await second.Writer.UpsertAsync(Bundles.WithEntities("a", "Grace Hopper built compilers.", "Grace Hopper"));

        (await first.Statistics.GetCountsAsync()).Should().Be(new StoreCounts(1, 1, 2, 1));
        (await second.Statistics.GetCountsAsync()).Should().Be(new StoreCounts(1, 1, 1, 0));
        (await second.Documents.GetDocumentAsync("a"))!.Text.Should().Be("Grace Hopper built compilers.");
        await first.Writer.DeleteAsync("a");
        (await second.Statistics.GetCountsAsync()).Should().Be(new StoreCounts(1, 1, 1, 0));
    }

    [Fact]
    public async Task ConcurrentWriters_OfOneStore_QueueOnItsLockAndLoseNothing()
    {
        var first = _opened.Track(await _server.CreateAsync("shared"));
        var second = _opened.Track((await _server.OpenSecondInstanceAsync("shared"))!);
        var before = await first.Access.GetGenerationAsync();

        // Two store objects (as two processes) write documents that share entities and relations at the same time.
        await Task.WhenAll(
            Task.Run(async () =>
            {
                for (var i = 0; i < 10; i++)
                {
                    await first.Writer.UpsertAsync(Bundles.WithEntities($"first/{i}", $"Charles Babbage met Ada Lovelace, note {i}.", "Charles Babbage", "Ada Lovelace"));
                }
            }),
            Task.Run(async () =>
            {
                for (var i = 0; i < 10; i++)
                {
                    await second.Writer.UpsertAsync(Bundles.WithEntities($"second/{i}", $"Charles Babbage met Ada Lovelace, page {i}.", "Charles Babbage", "Ada Lovelace"));
                }
            }));

        (await first.Statistics.GetCountsAsync()).Should().Be(new StoreCounts(20, 20, 2, 1));
        (await first.Access.GetGenerationAsync()).Should().Be(before + 20);
        var relation = (await first.Graph.GetRelationsAsync(new RelationQuery { EntityIds = [(await first.Graph.FindEntitiesAsync(new EntitySearch("Ada Lovelace")))[0].Id] })).Single();
        relation.Evidence.Should().HaveCount(20);
        relation.Weight.Should().Be(20);
        (await first.Graph.FindEntitiesAsync(new EntitySearch("Charles Babbage")))[0].Should().Match<GraphRag.Graph.Model.Entity>(e => e.MentionCount == 20 && e.DocumentCount == 20);
    }
}
