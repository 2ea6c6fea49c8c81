using System.Net;
using System.Net.Http.Json;

namespace GraphRag.Api.Tests.Http;

/// <summary><c>mode: "vector"</c> on <c>/v1/query</c>: answered by the dense channel alone, or a clear 400 when embeddings are off.</summary>
public sealed class VectorModeTests
{
    [Fact]
    public async Task VectorMode_WithEmbeddingsOff_Answers400ProblemNamingTheCause()
    {
        await using var server = await ApiServer.StartAsync(s => s.Embeddings.Enabled = false);
        var alice = await server.ClientForAsync("alice", ["a"]);

        var response = await alice.PostAsJsonAsync("/v1/query", new { question = "Who wrote the first program?", mode = "vector" });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await ApiServer.ReadJsonAsync(response);
        problem.GetProperty("detail").GetString().Should().Contain("vector").And.Contain("embeddings").And.Contain("hybrid, bm25, graph");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("dense")]
    public async Task UnknownMode_Answers400ListingEveryMode(string mode)
    {
        await using var server = await ApiServer.StartAsync(s => s.Embeddings.Enabled = false);
        var alice = await server.ClientForAsync("alice", ["a"]);

        var response = await alice.PostAsJsonAsync("/v1/query", new { question = "Who?", mode });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ApiServer.ReadJsonAsync(response)).GetProperty("detail").GetString().Should().Be("mode must be one of hybrid, bm25, graph, vector.");
    }

    [Fact]
    public async Task VectorMode_WithEmbeddings_AnswersFromTheDenseChannelWithinTheCallersScope()
    {
        await using var server = await ApiServer.StartAsync(embeddings: true);
        var admin = await server.ClientForAsync("root", [], "admin", "write");
        (await ApiServer.UploadTextAsync(admin, "ada.txt", "Ada Lovelace wrote the first program for the Analytical Engine.", acl: ["group:a"]))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        (await ApiServer.UploadTextAsync(admin, "babbage.txt", "Charles Babbage designed the Analytical Engine and wrote its first program notes.", acl: ["group:b"]))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var alice = await server.ClientForAsync("alice", ["a"]);

        var response = await alice.PostAsJsonAsync("/v1/query", new { question = "Who wrote the first program for the Analytical Engine?", mode = "VECTOR", k = 10 });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await ApiServer.ReadJsonAsync(response);
        body.GetProperty("mode").GetString().Should().Be("vector");
        var passages = body.GetProperty("passages").EnumerateArray().ToList();
        passages.Should().NotBeEmpty();
        passages.Should().OnlyContain(p => p.GetProperty("documentId").GetString()!.EndsWith("ada.txt", StringComparison.Ordinal));
    }
}
