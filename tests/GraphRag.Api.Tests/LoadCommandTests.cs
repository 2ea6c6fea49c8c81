using GraphRag.Bench;
using System.Net;
using System.Text.Json;
using GraphRag.Api.Cli;
using GraphRag.Api.Security;
using GraphRag.Graph;
using GraphRag.Graph.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GraphRag.Api.Tests;

/// <summary><c>bench load</c>: the pure parts, then real runs against a Kestrel server on a loopback port.</summary>
public sealed class LoadCommandTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-load-").FullName;
    private SqliteGraphStore _store = null!;
    private WebApplication _server = null!;
    private string _baseUrl = null!;
    private string _validKey = null!;
    private int _authorized;
    private int _unauthorized;
    private readonly System.Collections.Concurrent.ConcurrentBag<string> _bodies = [];

    public async Task InitializeAsync()
    {
        _store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_root, "keys.db") });
        var keys = new ApiKeyService(_store);
        _validKey = (await keys.CreateAsync("loadtester", [], [])).Key;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.MapPost("/v1/query", async (HttpContext context) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            var caller = header.StartsWith("Bearer ", StringComparison.Ordinal) ? await keys.AuthenticateAsync(header[7..]) : null;
            using var reader = new StreamReader(context.Request.Body);
            _bodies.Add(await reader.ReadToEndAsync());
            if (caller is null)
            {
                Interlocked.Increment(ref _unauthorized);
                return Results.Unauthorized();
            }

            Interlocked.Increment(ref _authorized);
            return Results.Json(new { answer = "ok", principal = caller.Principal });
        });
        await _server.StartAsync();
        _baseUrl = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public async Task DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("http://localhost:5000", "http://localhost:5000/v1/query")]
    [InlineData("http://LOCALHOST:5000/", "http://localhost:5000/v1/query")]
    [InlineData("https://127.0.0.1:8443/api/", "https://127.0.0.1:8443/api/v1/query")]
    [InlineData("http://127.255.3.4", "http://127.255.3.4/v1/query")]
    [InlineData("http://[::1]:5000", "http://[::1]:5000/v1/query")]
    public void ParseTarget_LoopbackUrl_GivesTheQueryEndpoint(string url, string endpoint)
    {
        LoadTest.ParseTarget(url).ToString().Should().Be(endpoint);
    }

    [Theory]
    [InlineData("http://example.com", "only targets this machine")]
    [InlineData("http://10.0.0.1:5000", "only targets this machine")]
    [InlineData("http://128.0.0.1", "only targets this machine")]
    [InlineData("http://0.0.0.0:5000", "only targets this machine")]
    [InlineData("http://[::2]:5000", "only targets this machine")]
    [InlineData("http://localhost.example.com", "only targets this machine")]
    [InlineData("http://127.0.0.1.nip.io", "only targets this machine")]
    [InlineData("http://localhost@example.com", "without user info")]
    [InlineData("http://localhost:5000/?x=1", "without user info, query or fragment")]
    [InlineData("ftp://localhost", "not an absolute http")]
    [InlineData("localhost:5000", "not an absolute http")]
    [InlineData("/v1/query", "not an absolute http")]
    public void ParseTarget_AnythingButLoopbackHttp_IsRefusedWithTheReason(string url, string reason)
    {
        var parse = () => LoadTest.ParseTarget(url);

        parse.Should().Throw<InvalidInputException>().WithMessage($"*{reason}*");
    }

    [Theory]
    [InlineData(0, 10, "hybrid", 5, "--clients must be 1-256")]
    [InlineData(257, 10, "hybrid", 5, "--clients must be 1-256")]
    [InlineData(1, 0, "hybrid", 5, "--seconds must be 1-600")]
    [InlineData(1, 601, "hybrid", 5, "--seconds must be 1-600")]
    [InlineData(1, 1, "dense", 5, "--mode must be one of hybrid, bm25, graph, vector")]
    [InlineData(1, 1, "hybrid", 0, "--k must be 1-100")]
    public void CheckBounds_OutOfRange_IsRefused(int clients, int seconds, string mode, int k, string message)
    {
        var check = () => LoadTest.CheckBounds(clients, seconds, mode, k);

        check.Should().Throw<InvalidInputException>().WithMessage($"*{message}*");
    }

    [Fact]
    public void CheckBounds_Limits_AreAccepted()
    {
        LoadTest.CheckBounds(1, 1, "bm25", 1);
        LoadTest.CheckBounds(256, 600, "graph", 100);
    }

    [Fact]
    public void Percentile_IsNearestRankOverSortedValues()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();

        LoadTest.Percentile(values, 0.50).Should().Be(50);
        LoadTest.Percentile(values, 0.95).Should().Be(95);
        LoadTest.Percentile(values, 0.99).Should().Be(99);
        LoadTest.Percentile(values, 1.0).Should().Be(100);
        LoadTest.Percentile([7.5], 0.99).Should().Be(7.5);
        LoadTest.Percentile([1, 2, 3], 0.5).Should().Be(2);
        LoadTest.Percentile([], 0.5).Should().Be(0);
    }

    [Fact]
    public async Task ReadQuestions_SharedDatasetShape_TakesEveryQuestionInOrder()
    {
        var path = Path.Combine(_root, "questions.jsonl");
        await File.WriteAllLinesAsync(path,
        [
            """{"id": "2hop__1", "question": "Who founded it?", "answer": "A", "answer_aliases": [], "type": "2hop", "supporting_ids": ["x"]}""",
            "",
            """{"id": "2hop__2", "question": "Where is \"it\"?", "answer": "B"}""",
        ]);

        (await LoadTest.ReadQuestionsAsync(path)).Should().Equal("Who founded it?", "Where is \"it\"?");
    }

    [Theory]
    [InlineData("""{"id": "q1"}""", "line 1: expected an object")]
    [InlineData("""{"question": ""}""", "line 1: expected an object")]
    [InlineData("""{"question": 42}""", "line 1: expected an object")]
    [InlineData("""["question"]""", "line 1: expected an object")]
    [InlineData("not json", "line 1: not JSON")]
    [InlineData("", "holds no questions")]
    public async Task ReadQuestions_BadFile_NamesTheLine(string line, string message)
    {
        var path = Path.Combine(_root, "bad.jsonl");
        await File.WriteAllTextAsync(path, line);

        var read = () => LoadTest.ReadQuestionsAsync(path);

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage($"*{message}*");
    }

    [Fact]
    public async Task Run_ValidKey_CountsEveryRequestTheServerAnsweredAndNoErrors()
    {
        var options = new LoadOptions(LoadTest.ParseTarget(_baseUrl), _validKey, 4, TimeSpan.FromSeconds(1), ["Who founded it?", "Where?"], "bm25", 3);

        var report = await LoadTest.RunAsync(options);

        report.Requests.Should().BePositive().And.Be(_authorized);
        report.Succeeded.Should().Be(report.Requests);
        report.Errors.Should().Be(0);
        report.ErrorsByKind.Should().BeEmpty();
        report.LatencyMs.Count.Should().Be((int)report.Requests);
        report.LatencyMs.P50.Should().BeLessThanOrEqualTo(report.LatencyMs.P95);
        report.LatencyMs.P95.Should().BeLessThanOrEqualTo(report.LatencyMs.P99);
        report.LatencyMs.P99.Should().BeLessThanOrEqualTo(report.LatencyMs.Max);
        report.RequestsPerSecond.Should().BePositive();
        _unauthorized.Should().Be(0);
        var bodies = _bodies.Select(b => JsonDocument.Parse(b).RootElement).ToList();
        bodies.Select(b => b.GetProperty("question").GetString()).Distinct().Should().BeEquivalentTo("Who founded it?", "Where?");
        bodies.Should().AllSatisfy(b =>
        {
            b.GetProperty("mode").GetString().Should().Be("bm25");
            b.GetProperty("k").GetInt32().Should().Be(3);
        });
    }

    [Fact]
    public async Task Run_BadOrMissingKey_Counts401sAsErrors()
    {
        var endpoint = LoadTest.ParseTarget(_baseUrl);
        var forged = "grk_" + _validKey[4..16] + "_" + new string('A', 43);

        var wrong = await LoadTest.RunAsync(new LoadOptions(endpoint, forged, 2, TimeSpan.FromSeconds(1), LoadTest.BuiltInQuestions, "hybrid", 5));
        var missing = await LoadTest.RunAsync(new LoadOptions(endpoint, null, 1, TimeSpan.FromSeconds(1), LoadTest.BuiltInQuestions, "hybrid", 5));

        foreach (var report in new[] { wrong, missing })
        {
            report.Requests.Should().BePositive();
            report.Succeeded.Should().Be(0);
            report.Errors.Should().Be(report.Requests);
            report.ErrorsByKind.Should().Equal(new Dictionary<string, long> { ["HTTP 401"] = report.Requests });
            report.LatencyMs.Count.Should().Be((int)report.Requests, "a 401 is still a completed request");
        }

        _unauthorized.Should().Be((int)(wrong.Requests + missing.Requests));
        _authorized.Should().Be(0);
    }

    [Fact]
    public async Task Run_NothingListening_CountsConnectionErrorsByKind()
    {
        var port = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().Split(':')[^1];
        await _server.StopAsync();
        var endpoint = LoadTest.ParseTarget($"http://127.0.0.1:{port}");

        var report = await LoadTest.RunAsync(new LoadOptions(endpoint, _validKey, 1, TimeSpan.FromSeconds(1), ["q"], "hybrid", 5));

        report.Succeeded.Should().Be(0);
        report.Errors.Should().Be(report.Requests).And.BePositive();
        report.ErrorsByKind.Keys.Should().ContainSingle().Which.Should().StartWith("HttpRequestException");
        report.LatencyMs.Count.Should().Be(0);
    }

    [Fact]
    public async Task Cli_Json_ReportsRequestsErrorsAndLatency()
    {
        var questions = Path.Combine(_root, "q.jsonl");
        await File.WriteAllTextAsync(questions, """{"question": "Who founded it?"}""" + "\n");

        var (exit, output, error) = await CliTests.RunAsync(
            "bench", "load", "--url", _baseUrl, "--key", _validKey, "--clients", "2", "--seconds", "1", "--questions", questions, "--json");

        exit.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("requests").GetInt64().Should().BePositive().And.Be(_authorized);
        root.GetProperty("errors").GetInt64().Should().Be(0);
        root.GetProperty("requestsPerSecond").GetDouble().Should().BePositive();
        root.GetProperty("latencyMs").EnumerateObject().Select(p => p.Name).Should().Equal("p50", "p95", "p99", "max", "count");
    }

    [Fact]
    public async Task Cli_Text_WithErrors_ListsThemByKindAndExitsWithPartialFailure()
    {
        var (exit, output, _) = await CliTests.RunAsync("bench", "load", "--url", _baseUrl, "--clients", "1", "--seconds", "1");

        exit.Should().Be(1);
        output.Should().Contain("requests/s").And.Contain("HTTP 401").And.Contain("p99");
    }

    [Fact]
    public async Task Cli_RemoteUrl_IsRefusedBeforeAnyRequest()
    {
        var (exit, _, error) = await CliTests.RunAsync("bench", "load", "--url", "http://example.com", "--clients", "1", "--seconds", "1");

        exit.Should().Be(2);
        error.Should().Contain("only targets this machine");
    }

    [Fact]
    public async Task Cli_TooManyClients_IsRefused()
    {
        var (exit, _, error) = await CliTests.RunAsync("bench", "load", "--url", _baseUrl, "--clients", "1000", "--seconds", "1");

        exit.Should().Be(2);
        error.Should().Contain("--clients must be 1-256");
        (_authorized + _unauthorized).Should().Be(0);
    }
}
