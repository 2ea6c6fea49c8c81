using GraphRag.Graph;

namespace GraphRag.Neo4j.Tests;

/// <summary>
/// The Query API v2 path (Aura and servers without the transactional endpoint) against a local endpoint answering in that
/// API's documented format. No Query API server could run here, so this is what checks it.
/// </summary>
public sealed class QueryApiTests
{
    private static Neo4jStoreOptions Options(string url) => new() { Url = url, MaxRetries = 2, RetryDelayMilliseconds = 1, TimeoutSeconds = 5 };

    private static WireResponse Components() =>
        new(202, WireServer.QueryData("""["name","versions","edition"]""", """[["Neo4j Kernel",["5.27-aura"],"enterprise"]]"""));

    [Fact]
    public async Task Connect_QueryOnlyDiscovery_SendsOneStatementPerRequestToQueryV2()
    {
        await using var server = new WireServer(request => request switch
        {
            { Method: "GET", Path: "/" } => WireResponse.Ok(WireServer.QueryOnlyRoot),
            { Path: "/db/neo4j/query/v2" } when request.Body.Contains("dbms.components", StringComparison.Ordinal) => Components(),
            { Path: "/db/neo4j/query/v2" } => new(202, WireServer.QueryData("""["n","s"]""", """[[7,"seven"],[8,"eight"]]""")),
            _ => new WireResponse(404, "{}"),
        });

        using var http = await Neo4jHttp.ConnectAsync(Options(server.Url));
        var result = await http.RunAsync([new Statement("UNWIND $n AS n RETURN n, toString(n) AS s", new Dictionary<string, object?> { ["n"] = new[] { 7, 8 } })]);

        http.Major.Should().Be(5);
        result[0].Columns.Should().Equal("n", "s");
        result[0].Rows.Select(r => r[0].GetInt64()).Should().Equal(7, 8);
        server.Requests.Last().Body.Should().StartWith("{\"statement\":\"UNWIND").And.Contain("\"parameters\":{\"n\":[7,8]}");
    }

    [Fact]
    public async Task Transaction_OnTheQueryApi_EchoesTheClusterAffinityAndCommitsById()
    {
        await using var server = new WireServer(request => request switch
        {
            { Method: "GET", Path: "/" } => WireResponse.Ok(WireServer.QueryOnlyRoot),
            { Path: "/db/neo4j/query/v2" } => Components(),
            { Method: "POST", Path: "/db/neo4j/query/v2/tx" } =>
                new WireResponse(202, WireServer.QueryData("""["g"]""", "[[41]]", transaction: "tx-9")) { Affinity = "member-2" },
            { Method: "POST", Path: "/db/neo4j/query/v2/tx/tx-9" } => new(202, WireServer.QueryData("""["g"]""", "[[42]]")),
            { Method: "POST", Path: "/db/neo4j/query/v2/tx/tx-9/commit" } => new(202, WireServer.QueryData("[]", "[]")),
            _ => new WireResponse(404, "{}"),
        });
        using var http = await Neo4jHttp.ConnectAsync(Options(server.Url));

        var values = await http.InTransactionAsync(async tx =>
        {
            tx.Defer(new Statement("MATCH (m) SET m.x = 1", Neo4jHttp.Empty));
            var both = await tx.RunAsync([new Statement("RETURN 42 AS g", Neo4jHttp.Empty)]);
            return both.Select(r => r.Rows[0][0].GetInt64()).ToList();
        });

        values.Should().Equal([42L], "results are those of the statements asked for, not of deferred ones");
        var inTransaction = server.Requests.Where(r => r.Path.StartsWith("/db/neo4j/query/v2/tx/", StringComparison.Ordinal)).ToList();
        inTransaction.Select(r => r.Path).Should().Equal("/db/neo4j/query/v2/tx/tx-9", "/db/neo4j/query/v2/tx/tx-9/commit");
        inTransaction.Should().OnlyContain(r => r.Affinity == "member-2");
    }

    [Fact]
    public async Task Run_QueryApiTransientError_IsRetriedAndAClientErrorIsNot()
    {
        var calls = 0;
        await using var server = new WireServer(request => request switch
        {
            { Method: "GET", Path: "/" } => WireResponse.Ok(WireServer.QueryOnlyRoot),
            { Path: "/db/neo4j/query/v2" } when request.Body.Contains("dbms.components", StringComparison.Ordinal) => Components(),
            { Path: "/db/neo4j/query/v2" } when request.Body.Contains("RETRUN", StringComparison.Ordinal) =>
                new(400, WireServer.Error("Neo.ClientError.Statement.SyntaxError", "Invalid input 'RETRUN'")),
            { Path: "/db/neo4j/query/v2" } => Interlocked.Increment(ref calls) == 1
                ? new(202, WireServer.Error("Neo.TransientError.Transaction.LockClientStopped", "stopped"))
                : new(202, WireServer.QueryData("""["n"]""", "[[1]]")),
            _ => new WireResponse(404, "{}"),
        });
        using var http = await Neo4jHttp.ConnectAsync(Options(server.Url));

        (await http.RunAsync([new Statement("RETURN 1 AS n", Neo4jHttp.Empty)]))[0].Rows[0][0].GetInt64().Should().Be(1);
        var bad = () => http.RunAsync([new Statement("RETRUN 1", Neo4jHttp.Empty)]);

        calls.Should().Be(2);
        var error = (await bad.Should().ThrowAsync<StoreException>()).Which;
        error.IsTransient.Should().BeFalse();
        error.Message.Should().Contain("Neo.ClientError.Statement.SyntaxError");
    }

    [Fact]
    public async Task Connect_ApiQueryOnAServerWithBoth_UsesTheQueryApi()
    {
        await using var server = new WireServer(request => request switch
        {
            { Method: "GET", Path: "/" } => WireResponse.Ok(WireServer.V5Root),
            { Path: "/db/neo4j/query/v2" } => Components(),
            _ => new WireResponse(404, "{}"),
        });
        var options = Options(server.Url);
        options.Api = Neo4jApi.Query;

        using var http = await Neo4jHttp.ConnectAsync(options);

        server.Requests.Should().NotContain(r => r.Path.Contains("/tx", StringComparison.Ordinal));
        http.Version.Should().Be("5.27-aura");
    }
}
