using System.Text.Json;
using GraphRag.Graph;
using GraphRag.Graph.Security;
using GraphRag.Hosting;
using GraphRag.Query;
using GraphRag.Query.Exploration;

namespace GraphRag.Conformance.NonInterference;

/// <summary>
/// Two tenants whose documents name the same person and company. Tenant A (group a) must never see anything only
/// tenant B's document says, through any read path, and the administrator sees both.
/// </summary>
public abstract class TenantIsolationStores : TenantStores
{
    public const string DocumentA = "tenant-a.txt";
    public const string DocumentB = "tenant-b.txt";

    /// <summary>Both tenants' documents; its query engine and explorer are the ones the tests use.</summary>
    public Engine Store { get; private set; } = null!;

    public QueryEngine Engine => Store.Query;

    public GraphExplorer Explorer => Store.Explorer;

    public AccessScope Alice { get; private set; } = null!;

    public AccessScope Bob { get; private set; } = null!;

    /// <summary>Strings only tenant B's document holds: B's entity ids and chunk ids are added once ingested.</summary>
    public List<string> BOnly { get; } = ["Contoso", "Berlin", "Nightjar", "Fabrikam", "B.V.", "tenant-b"];

    public override async Task InitializeAsync()
    {
        var a = await WriteFolderAsync("a", [(DocumentA,
            "Maria Keller, called \"the Falcon\" by colleagues, is CEO of Northwind Systems. Keller joined Northwind Systems in 2015 "
            + "after working for Adatum Corporation in Hamburg. Northwind Systems was founded by Jonas Weber.\n")]);
        var b = await WriteFolderAsync("b", [(DocumentB,
            "Maria Keller founded Contoso Labs in Berlin. Keller's codename is \"Project Nightjar\". "
            + "Contoso Labs was acquired by Northwind Systems B.V. in 2021. Fabrikam Ventures invested in Contoso Labs.\n")]);

        Store = await OpenWithAclsAsync("tenants", (a, "group:a"), (b, "group:b"));

        Alice = (await Store.Scopes.ForAsync(new Caller("alice", ["a"], [])))!;
        Bob = (await Store.Scopes.ForAsync(new Caller("bob", ["b"], [])))!;

        var snapshot = await Store.Backend.Indexes.GetSnapshotAsync();
        foreach (var name in new[] { "Contoso Labs", "Berlin", "Project Nightjar", "Fabrikam Ventures", "2021" })
        {
            var entity = snapshot.LookupKey(EntityKey.Normalize(name)).Single().Entity;
            BOnly.Add(entity.Id);
            BOnly.AddRange(snapshot.ChunksOf(entity.Id).Select(c => c.ChunkId));
        }
    }
}

/// <summary>
/// Tenant isolation: through every read path (explorer search, entity pages, subgraphs, paths, queries in every mode)
/// tenant A sees nothing only tenant B's document says, each caller sees entities under the names its own documents
/// use, and the administrator sees both.
/// </summary>
public abstract class TenantIsolationConformanceTests(TenantIsolationStores tenants)
{
    /// <summary>
    /// Every mode but the dense one: these stores' engines have no embedding model, and the vector channel's scoped
    /// results and work are <see cref="VectorConformanceTests"/>' (ACL partitions, whatever another tenant holds).
    /// </summary>
    private static QueryMode[] TextAndGraphModes => [.. Enum.GetValues<QueryMode>().Where(m => m != QueryMode.Vector)];

    private GraphExplorer Explorer => tenants.Explorer;

    [Fact]
    public void Fixture_TenantBHasItsOwnEntitiesAndChunks()
    {
        // Five B-only entities and at least one B chunk id, so the leak checks below check something.
        tenants.BOnly.Count.Should().BeGreaterThan(11);
    }

    [Fact]
    public async Task SearchEntities_WithoutText_ListsOnlyWhatTheCallersDocumentsMention()
    {
        var alice = await Explorer.SearchEntitiesAsync(null, null, 100, tenants.Alice);
        var admin = await Explorer.SearchEntitiesAsync(null, null, 100, null);

        NoBOnlyString(alice);
        alice.Select(e => e.Name).Should().Contain(["Maria Keller", "Northwind Systems", "Jonas Weber", "Hamburg"]);
        var keller = alice.Single(e => e.Name == "Maria Keller");
        keller.MentionCount.Should().Be(2);
        keller.DocumentCount.Should().Be(1);
        keller.Aliases.Should().Equal("Keller");
        alice.Single(e => e.Name == "Northwind Systems").Aliases.Should().BeEmpty();
        alice.Select(e => e.MentionCount).Should().BeInDescendingOrder();

        admin.Select(e => e.Name).Should().Contain(["Contoso Labs", "Berlin", "Project Nightjar", "Fabrikam Ventures"]);
        var adminKeller = admin.Single(e => e.Name == "Maria Keller");
        adminKeller.MentionCount.Should().Be(4);
        adminKeller.DocumentCount.Should().Be(2);
        admin.Single(e => e.Name == "Northwind Systems").Aliases.Should().Contain("Northwind Systems B.V.");
    }

    [Theory]
    [InlineData("Contoso Labs")]
    [InlineData("Contoso")]
    [InlineData("Berlin")]
    [InlineData("Project Nightjar")]
    [InlineData("Fab")]
    [InlineData("No Such Company")]
    public async Task SearchEntities_BOnlyOrAbsentName_IsEmptyForA(string search)
    {
        (await Explorer.SearchEntitiesAsync(search, null, 20, tenants.Alice)).Should().BeEmpty();
    }

    [Fact]
    public async Task SearchEntities_ByPrefix_FindsVisibleNamesAndTheAdministratorFindsBoth()
    {
        var alice = await Explorer.SearchEntitiesAsync("northw", null, 20, tenants.Alice);
        var bob = await Explorer.SearchEntitiesAsync("Northwind", "Organization", 20, tenants.Bob);
        var admin = await Explorer.SearchEntitiesAsync("Contoso", null, 20, null);

        alice.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Name = "Northwind Systems", MentionCount = 3, DocumentCount = 1 });
        NoBOnlyString(alice);
        bob.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Name = "Northwind Systems B.V.", MentionCount = 1, DocumentCount = 1 });
        admin.Should().ContainSingle().Which.Name.Should().Be("Contoso Labs");
    }

    [Fact]
    public async Task GetEntity_ShowsOnlyReadableMentionsRelationsAndEvidence()
    {
        var alice = await Explorer.GetEntityAsync("Maria Keller", tenants.Alice);
        var admin = await Explorer.GetEntityAsync("Maria Keller", null);

        alice.Should().NotBeNull();
        NoBOnlyString(alice!);
        alice!.Name.Should().Be("Maria Keller");
        alice.MentionCount.Should().Be(2);
        alice.DocumentCount.Should().Be(1);
        alice.Mentions.Should().HaveCount(2).And.OnlyContain(m => m.DocumentId == TenantIsolationStores.DocumentA);
        alice.Relations.Should().NotBeEmpty();
        alice.Relations.SelectMany(r => r.Evidence).Should().OnlyContain(e => e.DocumentId == TenantIsolationStores.DocumentA);
        alice.Relations.Should().Contain(r => r.Label == "member_of" && r.TargetName == "Northwind Systems");

        admin.Should().NotBeNull();
        admin!.MentionCount.Should().Be(4);
        admin.Mentions.Select(m => m.DocumentId).Should().Contain([TenantIsolationStores.DocumentA, TenantIsolationStores.DocumentB]);
        admin.Relations.Should().Contain(r => r.Label == "founded_by" && r.SourceName == "Contoso Labs");
    }

    [Fact]
    public async Task GetEntity_BOnlyNameOrId_LooksExactlyLikeAnAbsentOne()
    {
        var contosoId = tenants.BOnly[6];

        (await Explorer.GetEntityAsync("Contoso Labs", tenants.Alice)).Should().BeNull();
        (await Explorer.GetEntityAsync(contosoId, tenants.Alice)).Should().BeNull();
        (await Explorer.GetEntityAsync("Project Nightjar", tenants.Alice)).Should().BeNull();
        (await Explorer.GetEntityAsync("No Such Company", tenants.Alice)).Should().BeNull();
        (await Explorer.ResolveAsync("Contoso Labs", 5, tenants.Alice)).Should().BeEmpty();
        (await Explorer.GetEntityAsync("Contoso Labs", null)).Should().NotBeNull();
        (await Explorer.GetEntityAsync(contosoId, null))!.Name.Should().Be("Contoso Labs");
    }

    [Fact]
    public async Task GetEntity_DisplayedNameDependsOnWhichSurfaceFormsTheCallerReads()
    {
        var alice = await Explorer.GetEntityAsync("Northwind Systems", tenants.Alice);
        var bob = await Explorer.GetEntityAsync("Northwind Systems B.V.", tenants.Bob);
        var admin = await Explorer.GetEntityAsync("Northwind Systems", null);

        alice!.Id.Should().Be(bob!.Id).And.Be(admin!.Id);
        alice.Name.Should().Be("Northwind Systems");
        alice.Aliases.Should().BeEmpty();
        bob.Name.Should().Be("Northwind Systems B.V.");
        bob.Aliases.Should().BeEmpty();
        bob.MentionCount.Should().Be(1);
        admin.Name.Should().Be("Northwind Systems");
        admin.Aliases.Should().Equal("Northwind Systems B.V.");
        admin.MentionCount.Should().Be(4);

        // The same entity at the far end of a relation is named for the caller too.
        var bobKeller = await Explorer.GetEntityAsync("Keller", tenants.Bob);
        bobKeller!.Relations.Should().NotContain(r => r.TargetName == "Northwind Systems" || r.SourceName == "Northwind Systems");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task GetSubgraph_FollowsOnlyRelationsWithReadableEvidence(int hops)
    {
        var alice = await Explorer.GetSubgraphAsync("Maria Keller", hops, 100, tenants.Alice);
        var admin = await Explorer.GetSubgraphAsync("Maria Keller", hops, 100, null);

        alice.Should().NotBeNull();
        NoBOnlyString(alice!);
        alice!.Nodes.Should().Contain(n => n.Name == "Northwind Systems" && n.Depth == 1);
        alice.Edges.Should().NotBeEmpty();
        alice.Edges.Should().OnlyContain(e => e.Provenance.Count > 0 && e.Provenance.All(p => p.DocumentId == TenantIsolationStores.DocumentA));
        var ids = alice.Nodes.Select(n => n.Id).ToHashSet();
        alice.Edges.Should().OnlyContain(e => ids.Contains(e.SourceId) && ids.Contains(e.TargetId));

        admin!.Nodes.Select(n => n.Name).Should().Contain(["Contoso Labs", "Northwind Systems"]);
        (await Explorer.GetSubgraphAsync("Contoso Labs", hops, 100, tenants.Alice)).Should().BeNull();
        (await Explorer.GetSubgraphAsync("No Such Company", hops, 100, tenants.Alice)).Should().BeNull();
    }

    [Fact]
    public async Task FindPath_UsesOnlyVisibleRelationsAndNames()
    {
        var alice = await Explorer.FindPathAsync("Maria Keller", "Jonas Weber", 4, tenants.Alice);
        var bob = await Explorer.FindPathAsync("Maria Keller", "Northwind Systems", 4, tenants.Bob);
        var adminAcross = await Explorer.FindPathAsync("Jonas Weber", "Contoso Labs", 4, null);

        alice.Should().NotBeNull();
        NoBOnlyString(alice!);
        alice!.Steps.Should().NotBeEmpty();
        alice.Steps.SelectMany(s => s.Evidence).Should().OnlyContain(e => e.DocumentId == TenantIsolationStores.DocumentA);

        // Bob reaches Northwind only through his own document, under the name it uses there.
        bob.Should().NotBeNull();
        bob!.To.Should().Be("Northwind Systems B.V.");
        bob.Steps.SelectMany(s => new[] { s.From, s.To }).Should().NotContain("Northwind Systems");
        bob.Steps.SelectMany(s => s.Evidence).Should().OnlyContain(e => e.DocumentId == TenantIsolationStores.DocumentB);

        adminAcross.Should().NotBeNull();
        (await Explorer.FindPathAsync("Jonas Weber", "Contoso Labs", 4, tenants.Alice)).Should().BeNull();
        (await Explorer.FindPathAsync("Jonas Weber", "No Such Company", 4, tenants.Alice)).Should().BeNull();
    }

    public static TheoryData<QueryMode, string> Questions()
    {
        var data = new TheoryData<QueryMode, string>();
        foreach (var mode in TextAndGraphModes)
        {
            data.Add(mode, "What did Maria Keller found?");
            data.Add(mode, "Which company did Keller join?");
            data.Add(mode, "Who is Maria Keller?");
            data.Add(mode, "Who acquired the company Maria Keller founded?");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Questions))]
    public async Task Query_ForA_NeverReturnsAnythingOnlyBSays(QueryMode mode, string question)
    {
        var result = await tenants.Engine.QueryAsync(new QueryRequest { Question = question, Mode = mode, Scope = tenants.Alice });

        NoBOnlyString(result);
        result.Passages.Should().OnlyContain(p => p.Chunk.DocumentId == TenantIsolationStores.DocumentA);
        result.Citations.Should().OnlyContain(c => c.DocumentId == TenantIsolationStores.DocumentA);
    }

    [Theory]
    [InlineData(QueryMode.Bm25)]
    [InlineData(QueryMode.Graph)]
    [InlineData(QueryMode.Hybrid)]
    public async Task Query_ForA_AskingAboutABOnlyName_FindsNothingOfB(QueryMode mode)
    {
        var result = await tenants.Engine.QueryAsync(new QueryRequest { Question = "Who acquired Contoso Labs?", Mode = mode, Scope = tenants.Alice });
        var absent = await tenants.Engine.QueryAsync(new QueryRequest { Question = "Who acquired Tailspin Labs?", Mode = mode, Scope = tenants.Alice });

        result.LinkedEntities.Should().BeEmpty();
        absent.LinkedEntities.Should().BeEmpty();
        NoBOnlyString(new { result.Answer, result.Passages, result.Citations, result.Paths, result.LinkedEntities });
        result.Hops.SelectMany(h => h.BridgeEntities.Concat(h.NewPassages)).Should().NotContain(s => tenants.BOnly.Any(b => s.Contains(b, StringComparison.Ordinal)));
        result.Passages.Select(p => p.Chunk.Id).Should().Equal(absent.Passages.Select(p => p.Chunk.Id));
    }

    [Theory]
    [InlineData(QueryMode.Bm25)]
    [InlineData(QueryMode.Graph)]
    [InlineData(QueryMode.Hybrid)]
    public async Task Query_ForTheAdministrator_SeesBothTenants(QueryMode mode)
    {
        var result = await tenants.Engine.QueryAsync(new QueryRequest { Question = "What did Maria Keller found?", Mode = mode });

        result.Passages.Select(p => p.Chunk.DocumentId).Should().Contain(TenantIsolationStores.DocumentB);
        JsonSerializer.Serialize(result).Should().Contain("Contoso");
    }

    [Fact]
    public async Task Query_ForB_NamesEntitiesAsBsDocumentDoes()
    {
        var bob = await tenants.Engine.QueryAsync(new QueryRequest { Question = "Who acquired Contoso Labs?", Scope = tenants.Bob });
        var admin = await tenants.Engine.QueryAsync(new QueryRequest { Question = "Who acquired Contoso Labs?" });

        var names = bob.Paths.SelectMany(p => p.Steps).SelectMany(s => new[] { s.SourceName, s.TargetName })
            .Concat(bob.LinkedEntities.Select(l => l.Name))
            .Concat(bob.Passages.SelectMany(p => p.Explanation.Entities))
            .Concat(bob.Hops.SelectMany(h => h.BridgeEntities))
            .ToList();
        names.Should().NotContain("Northwind Systems");
        names.Should().NotContain(n => n.Contains("Weber", StringComparison.Ordinal) || n.Contains("Hamburg", StringComparison.Ordinal));
        bob.Answer.Should().NotBe("Northwind Systems");
        bob.Passages.Should().OnlyContain(p => p.Chunk.DocumentId == TenantIsolationStores.DocumentB);

        // The acquirer is reached along the acquired relation; each caller sees it under its own name.
        bob.Answer.Should().Be("Northwind Systems B.V.");
        bob.Paths.SelectMany(p => p.Steps).SelectMany(s => new[] { s.SourceName, s.TargetName }).Should().Contain("Northwind Systems B.V.");
        admin.Paths.SelectMany(p => p.Steps).SelectMany(s => new[] { s.SourceName, s.TargetName }).Should().Contain("Northwind Systems");
    }

    private void NoBOnlyString(object value)
    {
        var json = JsonSerializer.Serialize(value);
        foreach (var secret in tenants.BOnly)
        {
            json.Should().NotContain(secret, "tenant A must not see \"{0}\" from tenant B's document", secret);
        }
    }
}
