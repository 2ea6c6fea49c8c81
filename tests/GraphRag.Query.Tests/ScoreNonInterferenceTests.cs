using System.Text.Json;
using GraphRag.Graph.Security;
using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Readers;
using GraphRag.Query.Answering;
using GraphRag.Query.Exploration;
using GraphRag.Query.Security;

namespace GraphRag.Query.Tests;

/// <summary>
/// Two stores: one with tenant A's documents and tenant B's (which name the same people and companies, far more
/// often), and one with tenant A's documents alone. A's view of the shared store must be indistinguishable from the
/// private one: B's documents may not move a score, a rank or a linking weight.
/// </summary>
public sealed class NonInterferenceFixture : IAsyncLifetime
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

    private readonly string _folder = Directory.CreateTempSubdirectory("graphrag-noninterference-").FullName;

    public SqliteGraphStore Shared { get; private set; } = null!;

    public SqliteGraphStore Private { get; private set; } = null!;

    public QueryEngine SharedEngine { get; private set; } = null!;

    public QueryEngine PrivateEngine { get; private set; } = null!;

    public AccessScope Alice { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var a = await SamplesFixture.WriteFolderAsync(_folder, "a", TenantA);
        var b = await SamplesFixture.WriteFolderAsync(_folder, "b", TenantB);

        Shared = await SamplesFixture.OpenWithAclsAsync(Path.Combine(_folder, "shared.db"), [(a, "group:a"), (b, "group:b")]);
        Private = await SamplesFixture.OpenWithAclsAsync(Path.Combine(_folder, "private.db"), [(a, "group:a")]);
        SharedEngine = new QueryEngine(Shared, Shared, Shared, Shared, new ExtractiveAnswerGenerator(), new QueryEngineOptions());
        PrivateEngine = new QueryEngine(Private, Private, Private, Private, new ExtractiveAnswerGenerator(), new QueryEngineOptions());
        Alice = (await new AccessScopes(Shared).ForAsync(new Caller("alice", ["a"], [])))!;
    }

    public async Task DisposeAsync()
    {
        await Shared.DisposeAsync();
        await Private.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

public sealed class ScoreNonInterferenceTests(NonInterferenceFixture stores) : IClassFixture<NonInterferenceFixture>
{
    public static TheoryData<QueryMode, string> Questions()
    {
        var data = new TheoryData<QueryMode, string>();
        foreach (var mode in Enum.GetValues<QueryMode>())
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
        var scoped = await stores.SharedEngine.QueryAsync(new QueryRequest { Question = question, Mode = mode, Scope = stores.Alice });
        var alone = await stores.PrivateEngine.QueryAsync(new QueryRequest { Question = question, Mode = mode });

        alone.Passages.Should().NotBeEmpty("the question should exercise retrieval");
        Comparable(scoped).Should().Be(Comparable(alone));
    }

    [Theory]
    [InlineData("maria", "keller", "Maria Keller")]
    [InlineData("founded", "northwind", "Northwind Systems")]
    [InlineData("software", "accounting", "solar panels")]
    public async Task Search_RestrictedToEveryDocument_EqualsFts5Bm25(string first, string second, string phrase)
    {
        var query = new Graph.Abstractions.LexicalQuery([first, second], [phrase], 50);
        var all = (await stores.Shared.ListDocumentsAsync(new Graph.Abstractions.DocumentListRequest(0, 1000))).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);

        var fts5 = await stores.Shared.SearchAsync(query);
        var recomputed = await stores.Shared.SearchAsync(query with { DocumentIds = all });

        recomputed.Select(h => (h.ChunkId, h.DocumentId, h.Title, Math.Round(h.Score, 9)))
            .Should().Equal(fts5.Select(h => (h.ChunkId, h.DocumentId, h.Title, Math.Round(h.Score, 9))));
    }

    [Fact]
    public async Task Fixture_TheOtherTenantChangesUnscopedScores()
    {
        // Without this, the equality above would prove nothing: B's documents must matter to an unscoped query.
        var shared = await stores.SharedEngine.QueryAsync(new QueryRequest { Question = "Who founded Northwind Systems?", Mode = QueryMode.Bm25 });
        var alone = await stores.PrivateEngine.QueryAsync(new QueryRequest { Question = "Who founded Northwind Systems?", Mode = QueryMode.Bm25 });

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
        var shared = new GraphExplorer(stores.Shared, stores.Shared);
        var alone = new GraphExplorer(stores.Private, stores.Private);

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
        var shared = await new GraphExplorer(stores.Shared, stores.Shared).GetEntityAsync("Maria Keller", null);
        var alone = await new GraphExplorer(stores.Private, stores.Private).GetEntityAsync("Maria Keller", null);

        var aloneWeights = alone!.Relations.ToDictionary(r => r.RelationId, r => r.Weight);
        shared!.Relations.Where(r => aloneWeights.ContainsKey(r.RelationId))
            .Should().Contain(r => Math.Abs(r.Weight - aloneWeights[r.RelationId]) > 1e-6);
    }

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
