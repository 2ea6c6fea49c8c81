using GraphRag.Graph;

namespace GraphRag.Neo4j.Tests;

/// <summary>The HTTP layer against a local endpoint that speaks Neo4j's wire format: discovery, auth, errors, retries.</summary>
public sealed class Neo4jHttpTests
{
    private static Neo4jStoreOptions Options(string url, int retries = 3) => new()
    {
        Url = url, MaxRetries = retries, RetryDelayMilliseconds = 1, TimeoutSeconds = 5,
    };

    /// <summary>A 3.x server whose transactional endpoint answers with <paramref name="commit"/> (after the version check).</summary>
    private static WireServer V3(Func<WireRequest, WireResponse> commit, string version = "3.1.1") => new(request => request switch
    {
        { Method: "GET", Path: "/" } => WireResponse.Ok(WireServer.V3Root),
        { Method: "GET", Path: "/db/data/" } => WireResponse.Ok(WireServer.V3Data),
        { Path: "/db/data/transaction/commit" } when request.Body.Contains("dbms.components", StringComparison.Ordinal) =>
            WireResponse.Ok(WireServer.Components(version)),
        _ => commit(request),
    });

    [Fact]
    public async Task Connect_V3Discovery_UsesTheDataDocumentsEndpointOnTheConfiguredHost()
    {
        await using var server = V3(_ => WireResponse.Ok(WireServer.Single(7)));

        using var http = await Neo4jHttp.ConnectAsync(Options(server.Url));
        var result = await http.RunAsync([new Statement("RETURN $n", new Dictionary<string, object?> { ["n"] = 7 })]);

        http.Version.Should().Be("3.1.1");
        http.Major.Should().Be(3);
        result[0].Rows[0][0].GetInt64().Should().Be(7);
        server.Requests.Last().Path.Should().Be("/db/data/transaction/commit");
        server.Requests.Last().Body.Should().Contain("\"parameters\":{\"n\":7}");
    }

    [Fact]
    public async Task Connect_V5Discovery_UsesTheDatabasesTxEndpoint()
    {
        await using var server = new WireServer(request => request switch
        {
            { Method: "GET", Path: "/" } => WireResponse.Ok(WireServer.V5Root),
            { Path: "/db/graphs/tx/commit" } => WireResponse.Ok(WireServer.Components("5.26.0")),
            _ => new WireResponse(404, "{}"),
        });

        var options = Options(server.Url);
        options.Database = "graphs";

        using var http = await Neo4jHttp.ConnectAsync(options);

        http.Major.Should().Be(5);
        server.Requests.Should().Contain(r => r.Path == "/db/graphs/tx/commit");
    }

    [Fact]
    public async Task Connect_WithUserAndPassword_SendsBasicAuthentication()
    {
        await using var server = V3(_ => WireResponse.Ok(WireServer.Single(1)));
        var options = Options(server.Url);
        options.User = "neo4j";
        options.Password = "s3cret";

        var expected = "Basic " + Convert.ToBase64String("neo4j:s3cret"u8.ToArray());

        using var http = await Neo4jHttp.ConnectAsync(options);

        server.Requests.Should().OnlyContain(r => r.Authorization == expected);
    }

    [Fact]
    public async Task Connect_WithToken_SendsBearerAuthentication()
    {
        await using var server = V3(_ => WireResponse.Ok(WireServer.Single(1)));
        var options = Options(server.Url);
        options.Token = "abc.def";
        options.User = "ignored";

        using var http = await Neo4jHttp.ConnectAsync(options);

        server.Requests.Should().OnlyContain(r => r.Authorization == "Bearer abc.def");
    }

    [Fact]
    public async Task Connect_Unauthorized_FailsAtOnceNamingAuthentication()
    {
        await using var server = new WireServer(_ => new WireResponse(401, WireServer.Error("Neo.ClientError.Security.Unauthorized", "No authentication header supplied.")));

        var connect = () => Neo4jHttp.ConnectAsync(Options(server.Url));

        var error = (await connect.Should().ThrowAsync<StoreException>()).Which;
        error.Message.Should().Contain("authentication failed").And.NotContain("\n");
        error.IsTransient.Should().BeFalse();
        server.Requests.Should().ContainSingle("an authentication failure is not retried");
    }

    [Fact]
    public async Task Connect_NothingListening_IsTransientAndNamesTheAddress()
    {
        int port;
        await using (var closed = new WireServer(_ => WireResponse.Ok("{}")))
        {
            port = closed.Port;
        }

        var connect = () => Neo4jHttp.ConnectAsync(Options($"http://127.0.0.1:{port}", retries: 1));

        var error = (await connect.Should().ThrowAsync<StoreException>()).Which;
        error.Message.Should().Contain("unreachable").And.Contain($"127.0.0.1:{port}");
        error.IsTransient.Should().BeTrue();
    }

    [Fact]
    public async Task Connect_OldServer_NamesTheUnsupportedVersion()
    {
        await using var server = V3(_ => WireResponse.Ok(WireServer.Single(1)), version: "3.0.12");

        var connect = () => Neo4jHttp.ConnectAsync(Options(server.Url));

        (await connect.Should().ThrowAsync<StoreException>()).Which.Message.Should().Contain("version '3.0.12'").And.Contain("3.1 or later");
    }

    [Fact]
    public async Task Connect_NotNeo4j_SaysSo()
    {
        await using var server = new WireServer(_ => WireResponse.Ok("""{"hello":"world"}"""));

        var connect = () => Neo4jHttp.ConnectAsync(Options(server.Url));

        (await connect.Should().ThrowAsync<StoreException>()).Which.Message.Should().Contain("not as a Neo4j server");
    }

    [Fact]
    public async Task Run_TransientErrorThenSuccess_IsRetried()
    {
        var calls = 0;
        await using var server = V3(_ => Interlocked.Increment(ref calls) <= 2
            ? WireResponse.Ok(WireServer.Error("Neo.TransientError.Transaction.DeadlockDetected", "deadlock"))
            : WireResponse.Ok(WireServer.Single(42)));
        using var http = await Neo4jHttp.ConnectAsync(Options(server.Url));

        var result = await http.RunAsync([new Statement("RETURN 42", Neo4jHttp.Empty)]);

        result[0].Rows[0][0].GetInt64().Should().Be(42);
        calls.Should().Be(3);
    }

    [Fact]
    public async Task Run_ServiceUnavailableEveryTime_GivesUpAsTransientAfterTheRetries()
    {
        var calls = 0;
        await using var server = V3(_ =>
        {
            Interlocked.Increment(ref calls);
            return new WireResponse(503, "");
        });
        using var http = await Neo4jHttp.ConnectAsync(Options(server.Url, retries: 2));

        var run = () => http.RunAsync([new Statement("RETURN 1", Neo4jHttp.Empty)]);

        (await run.Should().ThrowAsync<StoreException>()).Which.IsTransient.Should().BeTrue();
        calls.Should().Be(3, "the first attempt and two retries");
    }

    [Fact]
    public async Task Run_ClientError_IsNotRetriedAndKeepsTheCode()
    {
        var calls = 0;
        await using var server = V3(_ =>
        {
            Interlocked.Increment(ref calls);
            return WireResponse.Ok(WireServer.Error("Neo.ClientError.Statement.SyntaxError", "Invalid input"));
        });
        using var http = await Neo4jHttp.ConnectAsync(Options(server.Url));

        var run = () => http.RunAsync([new Statement("RETRUN 1", Neo4jHttp.Empty)]);

        var error = (await run.Should().ThrowAsync<StoreException>()).Which;
        error.IsTransient.Should().BeFalse();
        error.Message.Should().Contain("Neo.ClientError.Statement.SyntaxError");
        calls.Should().Be(1);
    }

    [Fact]
    public async Task Run_ServerSlowerThanTheTimeout_IsATransientTimeout()
    {
        var release = new TaskCompletionSource();
        var calls = 0;
        await using var server = V3(_ => Interlocked.Increment(ref calls) == 1 ? new WireResponse(200, WireServer.Single(1), Hold: release.Task) : WireResponse.Ok(WireServer.Single(1)));
        var options = Options(server.Url, retries: 0);
        options.TimeoutSeconds = 1;
        using var http = await Neo4jHttp.ConnectAsync(options);

        var run = () => http.RunAsync([new Statement("RETURN 1", Neo4jHttp.Empty)]);

        var error = (await run.Should().ThrowAsync<StoreException>()).Which;
        release.SetResult();
        error.IsTransient.Should().BeTrue();
        error.Message.Should().Contain("did not answer within 1 s");
    }

    [Fact]
    public async Task Transaction_TransientFailureMidway_RunsTheWholeTransactionAgain()
    {
        var begins = 0;
        var commits = 0;
        await using var server = V3(request => request switch
        {
            { Method: "POST", Path: "/db/data/transaction" } => Interlocked.Increment(ref begins) == 1
                ? WireResponse.Ok(WireServer.Error("Neo.TransientError.General.DatabaseUnavailable", "unavailable"))
                : new WireResponse(201, """{"commit":"{base}/db/data/transaction/9/commit","results":[{"columns":["n"],"data":[{"row":[1],"meta":[null]}]}],"errors":[]}""", "{base}/db/data/transaction/9"),
            { Method: "POST", Path: "/db/data/transaction/9/commit" } => Committed(ref commits),
            _ => WireResponse.Ok("""{"results":[],"errors":[]}"""),
        });
        using var http = await Neo4jHttp.ConnectAsync(Options(server.Url));

        var value = await http.InTransactionAsync(async tx => (await tx.RunAsync([new Statement("RETURN 1 AS n", Neo4jHttp.Empty)]))[0].Rows[0][0].GetInt64());

        value.Should().Be(1);
        begins.Should().Be(2);
        commits.Should().Be(1);
    }

    private static WireResponse Committed(ref int commits)
    {
        Interlocked.Increment(ref commits);
        return WireResponse.Ok("""{"results":[],"errors":[]}""");
    }

    [Fact]
    public async Task Transaction_WorkThrows_RollsBackWithDelete()
    {
        await using var server = V3(request => request switch
        {
            { Method: "POST", Path: "/db/data/transaction" } =>
                new WireResponse(201, """{"commit":"{base}/db/data/transaction/4/commit","results":[{"columns":["n"],"data":[]}],"errors":[]}""", "{base}/db/data/transaction/4"),
            _ => WireResponse.Ok("""{"results":[],"errors":[]}"""),
        });
        using var http = await Neo4jHttp.ConnectAsync(Options(server.Url));

        var work = () => http.InTransactionAsync<int>(async tx =>
        {
            await tx.RunAsync([new Statement("MATCH (n) RETURN n", Neo4jHttp.Empty)]);
            throw new InvalidOperationException("the caller's own failure");
        });

        await work.Should().ThrowAsync<InvalidOperationException>();
        server.Requests.Should().Contain(r => r.Method == "DELETE" && r.Path == "/db/data/transaction/4");
        server.Requests.Should().NotContain(r => r.Path == "/db/data/transaction/4/commit");
    }

    [Theory]
    [InlineData("Neo.TransientError.Transaction.DeadlockDetected", true)]
    [InlineData("Neo.TransientError.General.DatabaseUnavailable", true)]
    [InlineData("Neo.ClientError.Transaction.TransactionNotFound", true)]
    [InlineData("Neo.ClientError.Schema.ConstraintValidationFailed", false)]
    [InlineData("Neo.DatabaseError.General.UnknownError", false)]
    [InlineData("Neo.ClientError.Security.Forbidden", false)]
    public void Map_StatusCode_TellsTransientApart(string code, bool transient) =>
        Neo4jHttp.Map(code, "message", "here").IsTransient.Should().Be(transient);
}
