using GraphRag.Graph.Model;
using GraphRag.Graph.Security;
using GraphRag.Hosting;
using GraphRag.Query;
using GraphRag.Query.Exploration;
using GraphRag.Query.Security;

namespace GraphRag.Conformance.NonInterference;

/// <summary>
/// One name, two readings: tenant A's documents write about Calder the person, tenant B's (more of them) about Calder
/// the country. The stored type is B's majority; each tenant must see the type its own documents vote for, as a store
/// of only its documents would hold.
/// </summary>
public abstract class TypeVoteStores : TenantStores
{
    private static readonly (string Name, string Text)[] TenantA =
    [
        ("a-calder-1.txt", "Calder (born 12 May 1970) is a farmer. Calder said the harvest would be late this year. Calder was born near Lyon.\n"),
        ("a-calder-2.txt", "Calder (born 3 June 1968) grows apples. Calder said the new orchard needs more water. Calder was born to farmers.\n"),
    ];

    private static readonly (string Name, string Text)[] TenantB =
    [
        ("b-calder-1.txt", "The river flows south through the valleys of Calder. The capital of Calder is Ardley, where many people were born in Calder.\n"),
        ("b-calder-2.txt", "Tourists travel to the mountains of Calder every spring. The capital of Calder hosts the national museum.\n"),
        ("b-calder-3.txt", "Olive farms are common in Calder. The capital of Calder grew quickly after 1950, and families moved to Calder.\n"),
    ];

    /// <summary>Both tenants' documents.</summary>
    public Engine Shared { get; private set; } = null!;

    /// <summary>Tenant A's documents alone.</summary>
    public Engine PrivateA { get; private set; } = null!;

    /// <summary>Tenant B's documents alone.</summary>
    public Engine PrivateB { get; private set; } = null!;

    public AccessScope Alice { get; private set; } = null!;

    public AccessScope Bob { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        var a = await WriteFolderAsync("a", TenantA);
        var b = await WriteFolderAsync("b", TenantB);

        Shared = await OpenWithAclsAsync("shared", (a, "group:a"), (b, "group:b"));
        PrivateA = await OpenWithAclsAsync("a", (a, "group:a"));
        PrivateB = await OpenWithAclsAsync("b", (b, "group:b"));
        Alice = (await Shared.Scopes.ForAsync(new Caller("alice", ["a"], [])))!;
        Bob = (await Shared.Scopes.ForAsync(new Caller("bob", ["b"], [])))!;
    }
}

/// <summary>
/// Tenant non-interference, types: each caller sees an entity typed as its own documents vote, as the administrator
/// of a store holding only those documents would, whatever the other tenant's documents say.
/// </summary>
public abstract class TypeVisibilityConformanceTests(TypeVoteStores stores)
{
    [Fact]
    public async Task Fixture_TenantsTypeTheNameDifferently()
    {
        // Without this the tests below would prove nothing: the stored type must be B's majority, not A's reading.
        (await EntityAsync(stores.Shared, null)).Type.Should().Be(EntityTypes.Location);
        (await EntityAsync(stores.PrivateA, null)).Type.Should().Be(EntityTypes.Person);
        (await EntityAsync(stores.PrivateB, null)).Type.Should().Be(EntityTypes.Location);
    }

    [Fact]
    public async Task Explorer_ShowsEachCallerTheTypeItsOwnDocumentsVoteFor()
    {
        (await EntityAsync(stores.Shared, stores.Alice)).Type.Should().Be(EntityTypes.Person);
        (await EntityAsync(stores.Shared, stores.Bob)).Type.Should().Be(EntityTypes.Location);

        var explorer = stores.Shared.Explorer;
        (await explorer.SearchEntitiesAsync("Calder", EntityTypes.Person, 10, stores.Alice)).Should().ContainSingle()
            .Which.Type.Should().Be(EntityTypes.Person);
        (await explorer.SearchEntitiesAsync("Calder", EntityTypes.Location, 10, stores.Alice)).Should().BeEmpty();
        (await explorer.SearchEntitiesAsync(null, EntityTypes.Location, 100, stores.Alice)).Should().NotContain(e => e.Name == "Calder");
        (await explorer.SearchEntitiesAsync(null, EntityTypes.Person, 100, stores.Alice)).Should().Contain(e => e.Name == "Calder");
        (await explorer.ResolveAsync("Calder", 1, stores.Alice)).Single().Type.Should().Be(EntityTypes.Person);
        (await explorer.ResolveAsync("Calder", 1, stores.Bob)).Single().Type.Should().Be(EntityTypes.Location);

        var subgraph = await explorer.GetSubgraphAsync("Calder", 1, 50, stores.Alice);
        subgraph!.Nodes.Single(n => n.Id == subgraph.RootId).Type.Should().Be(EntityTypes.Person);
    }

    [Fact]
    public async Task Explorer_ForEachTenant_EqualsAdministratorOnItsOwnStore()
    {
        var shared = stores.Shared.Explorer;
        foreach (var (scope, alone) in new[] { (stores.Alice, stores.PrivateA), (stores.Bob, stores.PrivateB) })
        {
            var scoped = await shared.SearchEntitiesAsync(null, null, 100, scope);
            var admin = await alone.Explorer.SearchEntitiesAsync(null, null, 100, null);
            // Types only: a date's stored name is its normalised form, a caller's the surface text it reads.
            scoped.Select(e => (e.Id, e.Type)).Should().BeEquivalentTo(admin.Select(e => (e.Id, e.Type)));
        }
    }

    [Fact]
    public async Task Query_LinksTheNameWithTheCallersType()
    {
        var engine = stores.Shared.Query;
        var alice = await engine.QueryAsync(new QueryRequest { Question = "Who is Calder?", Scope = stores.Alice });
        var bob = await engine.QueryAsync(new QueryRequest { Question = "Who is Calder?", Scope = stores.Bob });

        alice.LinkedEntities.Should().Contain(l => l.Name == "Calder").Which.Type.Should().Be(EntityTypes.Person);
        bob.LinkedEntities.Should().Contain(l => l.Name == "Calder").Which.Type.Should().Be(EntityTypes.Location);
    }

    [Fact]
    public async Task Snapshot_VisibleType_IsTheStoredTypeWhenEverythingIsVisible()
    {
        var snapshot = await stores.Shared.Backend.Indexes.GetSnapshotAsync();
        var everything = snapshot.CreateVisibility(_ => true);
        var alice = Visibilities.For(snapshot, stores.Alice);
        var calder = snapshot.LookupKey("calder").Single().Entity;

        snapshot.TypeOf(calder.Id).Should().Be(calder.Type);
        snapshot.TypeOf(calder.Id, everything).Should().Be(EntityTypes.Location);
        snapshot.TypeOf(calder.Id, alice).Should().Be(EntityTypes.Person);
        snapshot.VisibleNode(calder.Id, alice)!.Type.Should().Be(EntityTypes.Person);
        snapshot.LookupKey("calder", alice).Single().Entity.Type.Should().Be(EntityTypes.Person);
        snapshot.Describe(calder.Id, alice)!.Type.Should().Be(EntityTypes.Person);
        foreach (var label in snapshot.TopEntities(null, 1000))
        {
            snapshot.TypeOf(label.Id, everything).Should().Be(label.Type, label.Name);
            snapshot.Describe(label.Id, everything)!.Type.Should().Be(label.Type);
        }
    }

    private static async Task<EntityDetails> EntityAsync(Engine store, AccessScope? scope) =>
        (await store.Explorer.GetEntityAsync("Calder", scope))!;
}
