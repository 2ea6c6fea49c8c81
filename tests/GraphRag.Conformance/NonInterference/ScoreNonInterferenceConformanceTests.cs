using System.Text.Json;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Security;
using GraphRag.Graph.Traversal;
using GraphRag.Hosting;
using GraphRag.Query;
using GraphRag.Query.Exploration;
using GraphRag.Query.Security;

namespace GraphRag.Conformance.NonInterference;

/// <summary>
/// Two stores: one with tenant A's documents and tenant B's (which name the same people and companies, far more
/// often), and one with tenant A's documents alone. A's view of the shared store must be indistinguishable from the
/// private one: B's documents may not move a score, a rank or a linking weight.
/// </summary>
public abstract class NonInterferenceStores : TenantStores
{
    private static readonly (string Name, string Text)[] TenantA =
    [
        ("a-keller.txt", "Maria Keller is the CEO of Northwind Systems. Northwind Systems was founded by Jonas Weber in Hamburg. "
            + "Keller studied physics at Heidelberg University before she joined Northwind Systems.\n"),
        ("a-weber.txt", "Jonas Weber founded Adatum Corporation in 2010. Adatum Corporation builds solar panels in Hamburg. "
            + "Weber later sold Adatum Corporation to Northwind Systems.\n"),
        ("a-litware.txt", "Northwind Systems acquired Litware in 2019. Maria Keller led the acquisition of Litware. "
            + "Litware makes accounting software for schools.\n"),
    ];

    private static readonly (string Name, string Text)[] TenantB =
    [
        ("b-contoso.txt", "Maria Keller founded Contoso Labs in Berlin. Northwind Systems acquired Contoso Labs in 2021.\n"),
        ("b-fabrikam.txt", "Jonas Weber founded Fabrikam Ventures. Maria Keller advised Fabrikam Ventures on solar panels.\n"),
        ("b-tailspin.txt", "Northwind Systems acquired Tailspin Toys. Jonas Weber studied physics in Munich.\n"),
        ("b-keller.txt", "Maria Keller studied law at Heidelberg University. Keller joined Northwind Systems from Contoso Labs.\n"),
        ("b-hamburg.txt", "Northwind Systems opened an office in Hamburg. Jonas Weber and Maria Keller met in Hamburg.\n"),
        ("b-software.txt", "Northwind Systems makes accounting software. Litware competes with Northwind Systems in software.\n"),
        ("b-adatum.txt", "Adatum Corporation was founded by Maria Keller, not Jonas Weber, according to Fabrikam Ventures.\n"),
        ("b-ceo.txt", "Jonas Weber was the CEO of Northwind Systems before Maria Keller. Weber founded Northwind Systems.\n"),
        ("b-solar.txt", "Solar panels from Adatum Corporation power the Northwind Systems office in Berlin.\n"),
    ];

    /// <summary>More of tenant B's documents, written after the fact by the tests that check writes change nothing for A.</summary>
    public static readonly (string Name, string Text)[] TenantBLater =
    [
        ("b-later-1.txt", "Maria Keller sold Contoso Labs to Northwind Systems. Jonas Weber founded Northwind Systems in Hamburg.\n"),
        ("b-later-2.txt", "Northwind Systems acquired Litware and Adatum Corporation. Keller studied physics in Munich.\n"),
    ];

    public static readonly Caller AliceCaller = new("alice", ["a"], []);

    /// <summary>Tenant A's documents and tenant B's.</summary>
    public Engine Shared { get; private set; } = null!;

    /// <summary>Tenant A's documents alone.</summary>
    public Engine Private { get; private set; } = null!;

    public AccessScope Alice { get; private set; } = null!;

    /// <summary>The folder of tenant A's documents.</summary>
    public string FolderA { get; private set; } = null!;

    /// <summary>The folder of tenant B's documents.</summary>
    public string FolderB { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        FolderA = await WriteFolderAsync("a", TenantA);
        FolderB = await WriteFolderAsync("b", TenantB);

        Shared = await OpenWithAclsAsync("shared", (FolderA, "group:a"), (FolderB, "group:b"));
        Private = await OpenWithAclsAsync("private", (FolderA, "group:a"));
        Alice = (await Shared.Scopes.ForAsync(AliceCaller))!;
    }
}

/// <summary>
/// Tenant non-interference, scores and weights: A's view of the shared store (queries in every mode, lexical search,
/// the explorer's entities, names, types, relation weights, subgraphs and paths) equals the administrator's view of the
/// store with A's documents alone, and stays equal while B writes and deletes.
/// </summary>
public abstract class ScoreNonInterferenceConformanceTests(NonInterferenceStores stores)
{
    /// <summary>
    /// Every mode but the dense one: these stores' engines have no embedding model, and the vector channel's scoped
    /// results and work are <see cref="VectorConformanceTests"/>' (ACL partitions, whatever another tenant holds).
    /// </summary>
    private static QueryMode[] TextAndGraphModes => [.. Enum.GetValues<QueryMode>().Where(m => m != QueryMode.Vector)];

    public static TheoryData<QueryMode, string> Questions()
    {
        var data = new TheoryData<QueryMode, string>();
        foreach (var mode in TextAndGraphModes)
        {
            data.Add(mode, "Who founded Northwind Systems?");
            data.Add(mode, "What did Northwind Systems acquire?");
            data.Add(mode, "Who is Maria Keller?");
            data.Add(mode, "Where did Keller study physics?");
            data.Add(mode, "What did Jonas Weber found in Hamburg?");
            if (mode != QueryMode.Graph)
            {
                // Names no entity, so the graph channel alone has nothing to start from.
                data.Add(mode, "Which company makes accounting software?");
            }

            data.Add(mode, "Who bought the company that Jonas Weber founded?");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Questions))]
    public async Task Query_ScopedOnSharedStore_EqualsAdministratorOnStoreWithOnlyTheCallersDocuments(QueryMode mode, string question)
    {
        var scoped = await stores.Shared.Query.QueryAsync(new QueryRequest { Question = question, Mode = mode, Scope = stores.Alice });
        var alone = await stores.Private.Query.QueryAsync(new QueryRequest { Question = question, Mode = mode });

        alone.Passages.Should().NotBeEmpty("the question should exercise retrieval");
        Comparable(scoped).Should().Be(Comparable(alone));
    }

    [Theory]
    [InlineData("maria", "keller", "Maria Keller")]
    [InlineData("founded", "northwind", "Northwind Systems")]
    [InlineData("software", "accounting", "solar panels")]
    public async Task Search_RestrictedToEveryDocument_EqualsFts5Bm25(string first, string second, string phrase)
    {
        var query = new LexicalQuery([first, second], [phrase], 50);
        var all = (await stores.Shared.Documents.ListDocumentsAsync(new DocumentListRequest(0, 1000))).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);

        var fts5 = await stores.Shared.Backend.Indexes.SearchAsync(query);
        var recomputed = await stores.Shared.Backend.Indexes.SearchAsync(query with { DocumentIds = all });

        recomputed.Select(h => (h.ChunkId, h.DocumentId, h.Title, Math.Round(h.Score, 9)))
            .Should().Equal(fts5.Select(h => (h.ChunkId, h.DocumentId, h.Title, Math.Round(h.Score, 9))));
    }

    [Fact]
    public async Task Fixture_TheOtherTenantChangesUnscopedScores()
    {
        // Without this, the equality above would prove nothing: B's documents must matter to an unscoped query.
        var shared = await stores.Shared.Query.QueryAsync(new QueryRequest { Question = "Who founded Northwind Systems?", Mode = QueryMode.Bm25 });
        var alone = await stores.Private.Query.QueryAsync(new QueryRequest { Question = "Who founded Northwind Systems?", Mode = QueryMode.Bm25 });

        var aloneScores = alone.Passages.ToDictionary(p => p.Chunk.Id, p => p.Explanation.Channels["bm25"]);
        shared.Passages.Where(p => aloneScores.ContainsKey(p.Chunk.Id))
            .Should().Contain(p => Math.Abs(p.Explanation.Channels["bm25"] - aloneScores[p.Chunk.Id]) > 1e-6);
    }

    [Theory]
    [InlineData("Maria Keller")]
    [InlineData("Northwind Systems")]
    [InlineData("Jonas Weber")]
    [InlineData("Adatum Corporation")]
    public async Task Explorer_ScopedOnSharedStore_EqualsAdministratorOnStoreWithOnlyTheCallersDocuments(string name)
    {
        var shared = stores.Shared.Explorer;
        var alone = stores.Private.Explorer;

        var scopedEntity = await shared.GetEntityAsync(name, stores.Alice);
        var aloneEntity = await alone.GetEntityAsync(name, null);
        aloneEntity!.Relations.Should().NotBeEmpty("the entity should exercise relation weights");
        Json(scopedEntity).Should().Be(Json(aloneEntity));

        foreach (var hops in new[] { 1, 2 })
        {
            var scopedGraph = await shared.GetSubgraphAsync(name, hops, 100, stores.Alice);
            var aloneGraph = await alone.GetSubgraphAsync(name, hops, 100, null);
            aloneGraph!.Edges.Should().NotBeEmpty();
            Json(scopedGraph).Should().Be(Json(aloneGraph));
        }
    }

    [Fact]
    public async Task Fixture_TheOtherTenantChangesUnscopedRelationWeights()
    {
        // Without this, the equality above would prove nothing for weights: B's evidence must add to stored weights.
        var shared = await stores.Shared.Explorer.GetEntityAsync("Maria Keller", null);
        var alone = await stores.Private.Explorer.GetEntityAsync("Maria Keller", null);

        var aloneWeights = alone!.Relations.ToDictionary(r => r.RelationId, r => r.Weight);
        shared!.Relations.Where(r => aloneWeights.ContainsKey(r.RelationId))
            .Should().Contain(r => Math.Abs(r.Weight - aloneWeights[r.RelationId]) > 1e-6);
    }

    public static TheoryData<string?, string?> EntitySearches() => new()
    {
        { null, null },
        { null, EntityTypes.Person },
        { null, EntityTypes.Organization },
        { "keller", null },
        { "north", null },
        { "Jonas Weber", EntityTypes.Person },
        { "Contoso", null },
        { "Heidelberg", null },
    };

    [Theory]
    [MemberData(nameof(EntitySearches))]
    public async Task Explorer_SearchEntities_ScopedOnSharedStore_EqualsAdministratorOnStoreWithOnlyTheCallersDocuments(string? search, string? type)
    {
        var scoped = await stores.Shared.Explorer.SearchEntitiesAsync(search, type, 100, stores.Alice);
        var alone = await stores.Private.Explorer.SearchEntitiesAsync(search, type, 100, null);

        Json(scoped).Should().Be(Json(alone));
    }

    [Theory]
    [InlineData("Keller")]
    [InlineData("Weber")]
    [InlineData("Northwind Systems")]
    [InlineData("Hamburg")]
    [InlineData("Contoso Labs")]
    public async Task Explorer_Resolve_ScopedOnSharedStore_EqualsAdministratorOnStoreWithOnlyTheCallersDocuments(string name)
    {
        var scoped = await stores.Shared.Explorer.ResolveAsync(name, 10, stores.Alice);
        var alone = await stores.Private.Explorer.ResolveAsync(name, 10, null);

        Json(scoped).Should().Be(Json(alone));
    }

    [Theory]
    [InlineData("Maria Keller", "Jonas Weber")]
    [InlineData("Maria Keller", "Litware")]
    [InlineData("Jonas Weber", "Adatum Corporation")]
    [InlineData("Litware", "Hamburg")]
    public async Task Explorer_FindPath_ScopedOnSharedStore_EqualsAdministratorOnStoreWithOnlyTheCallersDocuments(string from, string to)
    {
        var scoped = await stores.Shared.Explorer.FindPathAsync(from, to, 4, stores.Alice);
        var alone = await stores.Private.Explorer.FindPathAsync(from, to, 4, null);

        alone.Should().NotBeNull("the pair should exercise path finding");
        Json(scoped).Should().Be(Json(alone));
    }

    [Fact]
    public async Task Snapshot_UnderTheCallersMask_EntitiesNamesTypesAndRelationWeightsEqualTheStoreWithOnlyTheCallersDocuments()
    {
        var shared = await stores.Shared.Backend.Indexes.GetSnapshotAsync();
        var alone = await stores.Private.Backend.Indexes.GetSnapshotAsync();
        var mask = Visibilities.For(shared, stores.Alice);
        // Names under a mask come from the mentions it shows; the private store's names are compared the same way.
        var everything = alone.CreateVisibility(_ => true);
        var entities = alone.TopEntities(null, 10_000);
        var relations = await stores.Private.Backend.Graph.GetRelationsAsync(new RelationQuery { EntityIds = [.. entities.Select(e => e.Id)], Limit = 100_000 });
        var sharedRelations = await stores.Shared.Backend.Graph.GetRelationsAsync(new RelationQuery { EntityIds = [.. shared.TopEntities(null, 10_000).Select(e => e.Id)], Limit = 100_000 });

        entities.Should().NotBeEmpty();
        relations.Should().NotBeEmpty();
        shared.TopEntities(null, 10_000, mask).Select(e => e.Id).Should().BeEquivalentTo(entities.Select(e => e.Id));
        foreach (var entity in entities)
        {
            shared.Describe(entity.Id, mask).Should().BeEquivalentTo(alone.Describe(entity.Id, everything), o => o.WithStrictOrdering(), entity.Name);
            shared.NameOf(entity.Id, mask).Should().Be(alone.NameOf(entity.Id, everything), entity.Name);
            shared.TypeOf(entity.Id, mask).Should().Be(alone.TypeOf(entity.Id), entity.Name);
            Round(shared.Neighbours(entity.Id, mask, limit: 1000)).Should().Equal(Round(alone.Neighbours(entity.Id, everything, limit: 1000)), entity.Name);
        }

        foreach (var relation in relations)
        {
            shared.IsRelationVisible(relation.Id, mask).Should().BeTrue(relation.Id);
            Math.Round(shared.RelationWeight(relation.Id, mask)!.Value, 9).Should().Be(Math.Round(alone.RelationWeight(relation.Id)!.Value, 9), relation.Id);
        }

        var aloneIds = relations.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        sharedRelations.Where(r => !aloneIds.Contains(r.Id)).Should().NotBeEmpty("B's documents add relations of their own")
            .And.OnlyContain(r => !shared.IsRelationVisible(r.Id, mask) && shared.RelationWeight(r.Id, mask) == null);
    }

    [Fact]
    public async Task QueriesAndExplorer_AfterTheOtherTenantWritesAndDeletes_StillEqualTheStoreWithOnlyTheCallersDocuments()
    {
        var shared = await stores.OpenWithAclsAsync("shared-then-written", (stores.FolderA, "group:a"), (stores.FolderB, "group:b"));
        var adminBefore = await shared.Explorer.GetEntityAsync("Maria Keller", null);
        var aliceBefore = await shared.Scopes.ForAsync(NonInterferenceStores.AliceCaller);
        await shared.Query.QueryAsync(new QueryRequest { Question = "Who is Maria Keller?", Scope = aliceBefore });
        await shared.Explorer.GetSubgraphAsync("Maria Keller", 2, 100, aliceBefore);

        await TenantStores.IngestAsync(shared, await stores.WriteFolderAsync("b-later", NonInterferenceStores.TenantBLater), "group:b");
        (await shared.Writer.DeleteAsync("b-keller.txt")).Should().BeTrue();
        (await shared.Writer.DeleteAsync("b-ceo.txt")).Should().BeTrue();
        var alice = await shared.Scopes.ForAsync(NonInterferenceStores.AliceCaller);

        (await shared.Explorer.GetEntityAsync("Maria Keller", null)).Should().NotBeEquivalentTo(adminBefore, "B's writes change the administrator's view");
        foreach (var mode in TextAndGraphModes)
        {
            foreach (var question in new[] { "Who is Maria Keller?", "What did Northwind Systems acquire?", "Who founded Northwind Systems?" })
            {
                var scoped = await shared.Query.QueryAsync(new QueryRequest { Question = question, Mode = mode, Scope = alice });
                var alone = await stores.Private.Query.QueryAsync(new QueryRequest { Question = question, Mode = mode });
                Comparable(scoped).Should().Be(Comparable(alone), "{0} in mode {1}", question, mode);
            }
        }

        foreach (var name in new[] { "Maria Keller", "Northwind Systems", "Jonas Weber" })
        {
            Json(await shared.Explorer.GetEntityAsync(name, alice)).Should().Be(Json(await stores.Private.Explorer.GetEntityAsync(name, null)));
            Json(await shared.Explorer.GetSubgraphAsync(name, 2, 100, alice)).Should().Be(Json(await stores.Private.Explorer.GetSubgraphAsync(name, 2, 100, null)));
        }

        Json(await shared.Explorer.SearchEntitiesAsync(null, null, 100, alice)).Should().Be(Json(await stores.Private.Explorer.SearchEntitiesAsync(null, null, 100, null)));
        Json(await shared.Explorer.FindPathAsync("Maria Keller", "Jonas Weber", 4, alice))
            .Should().Be(Json(await stores.Private.Explorer.FindPathAsync("Maria Keller", "Jonas Weber", 4, null)));
    }

    private static IEnumerable<(string Id, string Name, string Type, string RelationId, string Label, double Weight, bool Outgoing)> Round(IEnumerable<Neighbour> neighbours) =>
        neighbours.Select(n => (n.Entity.Id, n.Entity.Name, n.Entity.Type, n.RelationId, n.Label, Math.Round(n.Weight, 9), n.Outgoing)).ToList();

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Everything a caller sees of a result except timings, with scores rounded far below any meaningful difference.</summary>
    private static string Comparable(QueryResult result) => JsonSerializer.Serialize(new
    {
        result.Answer,
        result.InsufficientEvidence,
        Confidence = Math.Round(result.Confidence, 9),
        Passages = result.Passages.Select(p => new
        {
            p.Chunk.Id,
            p.Chunk.DocumentId,
            p.DocumentTitle,
            Score = Math.Round(p.Score, 9),
            Channels = p.Explanation.Channels.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={Math.Round(c.Value, 9)}"),
            p.Explanation.Entities,
            p.Explanation.Relations,
            p.Explanation.Hop,
        }),
        result.Citations,
        Paths = result.Paths.Select(p => new { p.Steps, Score = Math.Round(p.Score, 9) }),
        Hops = result.Hops.Select(h => new { h.Hop, h.Query, h.BridgeEntities, h.NewPassages, TopScore = Math.Round(h.TopScore, 9) }),
        LinkedEntities = result.LinkedEntities.Select(l => l with { Weight = Math.Round(l.Weight, 9) }),
    }, new JsonSerializerOptions { WriteIndented = true });
}
