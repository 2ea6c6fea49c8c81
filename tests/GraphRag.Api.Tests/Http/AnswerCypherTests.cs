using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphRag.Query.Answering;

namespace GraphRag.Api.Tests.Http;

/// <summary>The answer-path Cypher of <c>POST /v1/query</c>: the embedded statement, with only ids the answer already shows.</summary>
public sealed class AnswerCypherTests : IAsyncLifetime
{
    private ApiServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Query_AnswerWithAPath_CarriesTheStatementWhoseParametersAreIdsOfThatAnswerOnly()
    {
        var alice = await _server.ClientForAsync("alice", ["a"], "write");
        var bob = await _server.ClientForAsync("bob", ["b"], "write");
        await ApiServer.UploadTextAsync(alice, "nautilux.txt", "Nautilux Sensing was founded by Pieter van der Berg in 2009. Pieter van der Berg was born in Marrenhaven.");
        await ApiServer.UploadTextAsync(bob, "nautilux-b.txt", "Nautilux Sensing was founded by Greta Holm. Greta Holm was born in Oslo.");

        var response = await alice.PostAsJsonAsync("/v1/query", new { question = "Where was the founder of Nautilux Sensing born?" });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await ApiServer.ReadJsonAsync(response);
        var paths = body.GetProperty("paths");
        paths.GetArrayLength().Should().BeGreaterThan(0);
        var cypher = body.GetProperty("cypher");
        cypher.GetProperty("statement").GetString().Should().Be(AnswerPathCypher.Statement);
        var parameters = cypher.GetProperty("parameters");
        parameters.EnumerateObject().Select(p => p.Name).Should().Equal("entityIds", "relationIds", "chunkIds");

        // Every id passed to the statement is already in the answer, outside the statement.
        var rest = JsonSerializer.Serialize(body.EnumerateObject().Where(p => p.Name != "cypher").ToDictionary(p => p.Name, p => p.Value));
        var ids = parameters.EnumerateObject().SelectMany(p => p.Value.EnumerateArray().Select(v => v.GetString()!)).ToList();
        ids.Should().NotBeEmpty().And.OnlyContain(id => rest.Contains("\"" + id + "\"", StringComparison.Ordinal));
        var step = paths[0].GetProperty("steps")[0];
        parameters.GetProperty("relationIds").EnumerateArray().Select(v => v.GetString()).Should().Contain(step.GetProperty("relationId").GetString());
        rest.Should().NotContain("Greta").And.NotContain("Oslo");
    }

    [Fact]
    public async Task Query_NoAnswer_HasNoCypher()
    {
        var alice = await _server.ClientForAsync("alice", ["a"], "write");

        var response = await alice.PostAsJsonAsync("/v1/query", new { question = "Who painted the ceiling of the Sistine Chapel?" });

        var body = await ApiServer.ReadJsonAsync(response);
        // The server leaves null properties out.
        (body.TryGetProperty("cypher", out var cypher) ? cypher.ValueKind : JsonValueKind.Null).Should().Be(JsonValueKind.Null);
    }
}
