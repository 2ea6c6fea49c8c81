using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;

namespace GraphRag.Conformance;

/// <summary>
/// The contract every store backend must meet, role by role. A backend's test project subclasses this and provides a
/// fresh, empty store per test; the same assertions then hold for the embedded store and for Neo4j.
/// </summary>
public abstract partial class StoreConformanceTests : BackendConformanceTests
{
    protected IDocumentWriter Writer { get; private set; } = null!;

    protected IDocumentReader Reader { get; private set; } = null!;

    protected ILexicalIndex Lexical { get; private set; } = null!;

    protected IStoreStatistics Statistics { get; private set; } = null!;

    protected IGraphReader Graph { get; private set; } = null!;

    protected ISnapshotSource Snapshots { get; private set; } = null!;

    protected IApiKeyStore Keys { get; private set; } = null!;

    protected IAuditLog Audit { get; private set; } = null!;

    protected IExtractionCache? ExtractionCache { get; private set; }

    protected IStoreSecrets Secrets { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        var backend = await NewBackendAsync("store");
        (Writer, Reader, Lexical, Statistics, Graph) = (backend.Writer, backend.Documents, backend.Indexes, backend.Statistics, backend.Graph);
        (Keys, Audit, Snapshots, Secrets) = (backend.Keys, backend.Audit, backend.Indexes, backend.Secrets);
        ExtractionCache = backend.ExtractionCache;
    }

    /// <summary>The corpus root is recorded this way: the first value stays, whatever later callers offer.</summary>
    [Fact]
    public async Task GetOrAdd_NamedValue_FirstValueStaysAndOtherNamesAreApart()
    {
        (await Secrets.GetValueAsync("corpus-root")).Should().BeNull();
        var first = await Secrets.GetOrAddAsync("corpus-root", "/data/world"u8.ToArray());
        var second = await Secrets.GetOrAddAsync("corpus-root", "/data/world/people"u8.ToArray());
        var other = await Secrets.GetOrAddAsync("other", "x"u8.ToArray());

        first.ToArray().Should().Equal("/data/world"u8.ToArray());
        second.ToArray().Should().Equal("/data/world"u8.ToArray());
        other.ToArray().Should().Equal("x"u8.ToArray());
        (await Secrets.GetValueAsync("corpus-root"))!.Value.ToArray().Should().Equal("/data/world"u8.ToArray());
        (await Secrets.GetOrCreateSecretAsync("key")).Length.Should().Be(32);
        (await Secrets.GetOrCreateSecretAsync("key")).ToArray().Should().Equal((await Secrets.GetOrCreateSecretAsync("key")).ToArray());
    }

    [Fact]
    public async Task Upsert_NewDocument_StoresDocumentAndChunksVerbatim()
    {
        var bundle = Bundles.Create("doc-1", "Ada Lovelace wrote the first program.\n\nShe worked with Charles Babbage.", "Ada");

        (await Writer.UpsertAsync(bundle)).Should().Be(WriteOutcome.Added);

        var stored = await Reader.GetDocumentAsync("doc-1");
        stored!.Text.Should().Be(bundle.Document.Text);
        stored.Title.Should().Be("Ada");
        var chunks = await Reader.GetDocumentChunksAsync("doc-1");
        chunks.Should().HaveCount(2);
        chunks.Should().AllSatisfy(c => stored.Text[c.Start..c.End].Should().Be(c.Text));
        (await Statistics.GetCountsAsync()).Should().Be(new StoreCounts(1, 2, 0, 0));
    }

    [Fact]
    public async Task Upsert_SameContentTwice_IsUnchangedAndCountsStayEqual()
    {
        var bundle = Bundles.WithEntities("doc-1", "Ada Lovelace met Charles Babbage in London.", "Ada Lovelace", "Charles Babbage", "London");
        await Writer.UpsertAsync(bundle);
        var before = await Statistics.GetCountsAsync();

        (await Writer.UpsertAsync(bundle)).Should().Be(WriteOutcome.Unchanged);

        (await Statistics.GetCountsAsync()).Should().Be(before);
        before.Should().Be(new StoreCounts(1, 1, 3, 2));
    }

    [Fact]
    public async Task Upsert_ChangedContent_ReplacesOldChunksAndGraph()
    {
        await Writer.UpsertAsync(Bundles.WithEntities("doc-1", "Ada Lovelace met Charles Babbage.\n\nOld paragraph.", "Ada Lovelace", "Charles Babbage"));

        var outcome = await Writer.UpsertAsync(Bundles.WithEntities("doc-1", "Grace Hopper built compilers.", "Grace Hopper"));

        outcome.Should().Be(WriteOutcome.Replaced);
        var chunks = await Reader.GetDocumentChunksAsync("doc-1");
        chunks.Select(c => c.Text).Should().Equal("Grace Hopper built compilers.");
        (await Statistics.GetCountsAsync()).Should().Be(new StoreCounts(1, 1, 1, 0));
        (await Lexical.SearchAsync(new LexicalQuery(["babbage"], []))).Should().BeEmpty();
        (await Lexical.SearchAsync(new LexicalQuery(["hopper"], []))).Should().ContainSingle();
    }

    [Fact]
    public async Task Upsert_BundleThatFailsMidWrite_LeavesPreviousVersionIntact()
    {
        var original = Bundles.Create("doc-1", "First version.\n\nSecond paragraph.");
        await Writer.UpsertAsync(original);
        var broken = Bundles.Create("doc-1", "New version.\n\nAnother paragraph.");
        // Two chunks with one id: the second insert violates uniqueness after the document row is already written.
        broken = broken with { Chunks = [broken.Chunks[0], broken.Chunks[1] with { Id = broken.Chunks[0].Id }] };

        var write = () => Writer.UpsertAsync(broken);

        await write.Should().ThrowAsync<Exception>();
        (await Reader.GetDocumentAsync("doc-1"))!.Text.Should().Be(original.Document.Text);
        (await Reader.GetDocumentChunksAsync("doc-1")).Select(c => c.Text).Should().Equal("First version.", "Second paragraph.");
        (await Lexical.SearchAsync(new LexicalQuery(["another"], []))).Should().BeEmpty();
    }

    [Fact]
    public async Task Upsert_NewDocumentThatFailsMidWrite_LeavesNoTrace()
    {
        var broken = Bundles.Create("doc-1", "One.\n\nTwo.");
        broken = broken with { Chunks = [broken.Chunks[0], broken.Chunks[1] with { Id = broken.Chunks[0].Id }] };

        var write = () => Writer.UpsertAsync(broken);

        await write.Should().ThrowAsync<Exception>();
        (await Reader.GetDocumentAsync("doc-1")).Should().BeNull();
        (await Statistics.GetCountsAsync()).Should().Be(new StoreCounts(0, 0, 0, 0));
    }

    [Fact]
    public async Task Delete_SharedEntity_RemovesOnlyTheDocumentsShare()
    {
        await Writer.UpsertAsync(Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage.", "Ada Lovelace", "Charles Babbage"));
        await Writer.UpsertAsync(Bundles.WithEntities("b", "Charles Babbage lived in London.", "Charles Babbage", "London"));

        (await Writer.DeleteAsync("a")).Should().BeTrue();

        (await Statistics.GetCountsAsync()).Should().Be(new StoreCounts(1, 1, 2, 1));
        (await Reader.GetDocumentAsync("a")).Should().BeNull();
        (await Writer.DeleteAsync("a")).Should().BeFalse();
    }

    [Fact]
    public async Task DeleteThenReingest_GivesIdenticalCounts()
    {
        var a = Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage.", "Ada Lovelace", "Charles Babbage");
        var b = Bundles.WithEntities("b", "Charles Babbage lived in London.", "Charles Babbage", "London");
        await Writer.UpsertAsync(a);
        await Writer.UpsertAsync(b);
        var before = await Statistics.GetCountsAsync();

        await Writer.DeleteAsync("a");
        await Writer.UpsertAsync(a);

        (await Statistics.GetCountsAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Search_RanksTheMatchingChunkFirst()
    {
        await Writer.UpsertAsync(Bundles.Create("a", "Rivers flow to the sea.\n\nThe lighthouse keeper lit the lamp."));
        await Writer.UpsertAsync(Bundles.Create("b", "Mountains are tall."));

        var hits = await Lexical.SearchAsync(new LexicalQuery(["lighthouse", "keeper"], []));

        hits.Should().ContainSingle().Which.DocumentId.Should().Be("a");
        var chunk = (await Reader.GetChunksAsync([hits[0].ChunkId])).Single();
        chunk.Text.Should().Be("The lighthouse keeper lit the lamp.");
    }

    [Fact]
    public async Task Search_RestrictedToDocuments_ReturnsOnlyThose()
    {
        await Writer.UpsertAsync(Bundles.Create("a", "Shared word here."));
        await Writer.UpsertAsync(Bundles.Create("b", "Shared word there."));

        var hits = await Lexical.SearchAsync(new LexicalQuery(["shared"], []) { DocumentIds = ["b"] });

        hits.Select(h => h.DocumentId).Should().Equal("b");
    }

    [Theory]
    [MemberData(nameof(HostileValues.Strings), MemberType = typeof(HostileValues))]
    public async Task HostileStrings_AreStoredAndReadBackVerbatim(string hostile)
    {
        var text = $"Before {hostile} after.";
        var bundle = Bundles.WithEntities(hostile, text, hostile) with { };
        bundle = bundle with
        {
            Document = bundle.Document with { Title = hostile, Metadata = new Dictionary<string, string> { [hostile] = hostile } },
        };

        await Writer.UpsertAsync(bundle);

        var stored = await Reader.GetDocumentAsync(hostile);
        stored!.Title.Should().Be(hostile);
        stored.Text.Should().Be(text);
        stored.Metadata.Should().ContainKey(hostile).WhoseValue.Should().Be(hostile);
        (await Statistics.GetCountsAsync()).Should().Be(new StoreCounts(1, 1, 1, 0));
    }

    [Theory]
    [MemberData(nameof(HostileValues.Strings), MemberType = typeof(HostileValues))]
    public async Task Search_HostileQuery_DoesNotFailOrChangeTheStore(string hostile)
    {
        await Writer.UpsertAsync(Bundles.Create("a", "Plain text about robots."));

        var terms = hostile.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var hits = await Lexical.SearchAsync(new LexicalQuery(terms, [hostile]));

        hits.Should().NotBeNull();
        (await Statistics.GetCountsAsync()).Should().Be(new StoreCounts(1, 1, 0, 0));
    }

    /// <summary>
    /// Was BuildMatchExpression_QuotesEveryTermSoOperatorsAreLiteral, when FTS5 parsed the query: query text is only
    /// ever words to look up, so quotes and operators are literal (or no term at all), never syntax.
    /// </summary>
    [Fact]
    public async Task Search_QuotesAndOperatorsAreLiteralWords()
    {
        await Writer.UpsertAsync(Bundles.Create("near", "Meet me NEAR the New York harbour, said a b."));
        await Writer.UpsertAsync(Bundles.Create("far", "Nothing about the city here."));

        var operators = await Lexical.SearchAsync(new LexicalQuery(["a\"b", "NEAR", "*", "OR", "AND"], []));
        var phrase = await Lexical.SearchAsync(new LexicalQuery([], ["New York"]));
        var onlySyntax = await Lexical.SearchAsync(new LexicalQuery(["*", "\"", "(", ")", "^"], ["\"\""]));

        operators.Select(h => h.DocumentId).Should().Equal("near");
        phrase.Select(h => h.DocumentId).Should().Equal("near");
        onlySyntax.Should().BeEmpty();
    }

    [Fact]
    public async Task ListDocuments_PagesInIdOrder()
    {
        foreach (var id in new[] { "c", "a", "b" })
        {
            await Writer.UpsertAsync(Bundles.Create(id, $"Text of {id}."));
        }

        var page = await Reader.ListDocumentsAsync(new DocumentListRequest(Offset: 1, Limit: 2));

        page.Select(d => d.Id).Should().Equal("b", "c");
    }

    [Fact]
    public async Task FindEntities_ByNameOrAlias_ReturnsMergedEntityWithCounts()
    {
        await Writer.UpsertAsync(Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage.", "Ada Lovelace", "Charles Babbage"));
        await Writer.UpsertAsync(Bundles.WithEntities("b", "Charles Babbage lived in London.", "Charles Babbage", "London"));

        var found = await Graph.FindEntitiesAsync(new EntitySearch("charles babbage"));

        var babbage = found.Should().ContainSingle().Subject;
        babbage.Name.Should().Be("Charles Babbage");
        babbage.MentionCount.Should().Be(2);
        babbage.DocumentCount.Should().Be(2);
        (await Graph.FindEntitiesAsync(new EntitySearch("Charl", Prefix: true))).Should().ContainSingle();
        (await Graph.FindEntitiesAsync(new EntitySearch("Nobody"))).Should().BeEmpty();
    }

    [Fact]
    public async Task Mentions_And_Relations_CarryTheirSpans()
    {
        const string text = "Ada Lovelace met Charles Babbage.";
        await Writer.UpsertAsync(Bundles.WithEntities("a", text, "Ada Lovelace", "Charles Babbage"));
        var ada = (await Graph.FindEntitiesAsync(new EntitySearch("Ada Lovelace"))).Single();

        var mentions = await Graph.GetMentionsAsync(new MentionQuery { EntityIds = [ada.Id] });
        var relations = await Graph.GetRelationsAsync(new RelationQuery { EntityIds = [ada.Id] });

        var mention = mentions.Should().ContainSingle().Subject;
        text[mention.Span.Start..mention.Span.End].Should().Be("Ada Lovelace");
        var relation = relations.Should().ContainSingle().Subject;
        relation.Evidence.Should().ContainSingle().Which.Span.DocumentId.Should().Be("a");
    }

    [Fact]
    public async Task Snapshot_FollowsRelationsAcrossDocuments_AndRefreshesAfterWrites()
    {
        await Writer.UpsertAsync(Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage.", "Ada Lovelace", "Charles Babbage"));
        await Writer.UpsertAsync(Bundles.WithEntities("b", "Charles Babbage lived in London.", "Charles Babbage", "London"));
        var ids = await IdsAsync("Ada Lovelace", "Charles Babbage", "London");

        var snapshot = await Snapshots.GetSnapshotAsync();

        var path = snapshot.ShortestPath(ids[0], ids[2]);
        path!.EntityIds.Should().Equal(ids[0], ids[1], ids[2]);
        path.RelationIds.Should().HaveCount(2);
        snapshot.FindPath(ids[0], ids[2]).Should().BeEquivalentTo(path, o => o.Excluding(p => p.Cost));
        snapshot.FindPath(ids[2], ids[0])!.EntityIds.Should().Equal(ids[2], ids[1], ids[0]);
        snapshot.FindPath(ids[0], ids[2], maxHops: 1).Should().BeNull();
        snapshot.KHop([ids[0]], 1).Nodes.Select(n => n.Entity.Id).Should().BeEquivalentTo([ids[0], ids[1]]);
        (await Snapshots.GetSnapshotAsync()).Should().BeSameAs(snapshot, "nothing changed");

        await Writer.DeleteAsync("b");
        var after = await Snapshots.GetSnapshotAsync();
        after.Should().NotBeSameAs(snapshot);
        after.ShortestPath(ids[0], ids[2]).Should().BeNull();
    }

    [Fact]
    public async Task Snapshot_WithVisibility_NeverRoutesThroughUnreadableDocuments()
    {
        await Writer.UpsertAsync(Bundles.WithEntities("public", "Ada Lovelace met Charles Babbage.", "Ada Lovelace", "Charles Babbage"));
        await Writer.UpsertAsync(Bundles.WithEntities("secret", "Charles Babbage lived in London.", "Charles Babbage", "London"));
        var ids = await IdsAsync("Ada Lovelace", "Charles Babbage", "London");
        var snapshot = await Snapshots.GetSnapshotAsync();

        var visibility = snapshot.CreateVisibility(document => document == "public");

        snapshot.ShortestPath(ids[0], ids[2], visibility).Should().BeNull();
        snapshot.FindPath(ids[0], ids[2], visibility).Should().BeNull();
        snapshot.Neighbours(ids[1], visibility).Select(n => n.Entity.Id).Should().Equal(ids[0]);
        snapshot.KHop([ids[0]], 3, visibility).Nodes.Select(n => n.Entity.Id).Should().NotContain(ids[2]);
        var rank = snapshot.PersonalizedPageRank(new Dictionary<string, double> { [ids[1]] = 1 }, null, visibility);
        rank.Entities.Keys.Should().NotContain(ids[2]);
        rank.Chunks.Keys.Should().OnlyContain(c => snapshot.ChunksOf(ids[0], visibility).Any(x => x.ChunkId == c)
            || snapshot.ChunksOf(ids[1], visibility).Any(x => x.ChunkId == c));
        snapshot.ChunksOf(ids[2], visibility).Should().BeEmpty();
    }

    [Fact]
    public async Task PersonalizedPageRank_RanksChunksNearTheSeedsHighest()
    {
        await Writer.UpsertAsync(Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage.", "Ada Lovelace", "Charles Babbage"));
        await Writer.UpsertAsync(Bundles.WithEntities("b", "Charles Babbage lived in London.", "Charles Babbage", "London"));
        await Writer.UpsertAsync(Bundles.WithEntities("c", "Paris is in France.", "Paris", "France"));
        var ids = await IdsAsync("Ada Lovelace", "Paris");
        var snapshot = await Snapshots.GetSnapshotAsync();

        var rank = snapshot.PersonalizedPageRank(new Dictionary<string, double> { [ids[0]] = 1 });

        var best = rank.Chunks.OrderByDescending(p => p.Value).First().Key;
        (await Reader.GetChunksAsync([best])).Single().DocumentId.Should().Be("a");
        var ranked = await Reader.GetChunksAsync(rank.Chunks.Keys.ToList());
        ranked.Select(c => c.DocumentId).Should().NotContain("c");
    }

    private async Task<string[]> IdsAsync(params string[] names)
    {
        var ids = new List<string>();
        foreach (var name in names)
        {
            ids.Add((await Graph.FindEntitiesAsync(new EntitySearch(name))).Single().Id);
        }

        return [.. ids];
    }
}
