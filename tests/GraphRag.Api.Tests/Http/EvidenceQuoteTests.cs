using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace GraphRag.Api.Tests.Http;

/// <summary>Evidence text has one name on every route: "quote", the stored text at the evidence span.</summary>
public sealed class EvidenceQuoteTests : IAsyncLifetime
{
    private ApiServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>/v1/entities, /v1/subgraph and /v1/paths said "phrase" (the words between two names) where /v1/query says "quote".</summary>
    [Fact]
    public async Task GraphRoutes_RelationEvidence_IsAQuoteOfTheStoredTextLikeQueryCitations()
    {
        var alice = await _server.ClientForAsync("alice", ["a"], "write");
        (await ApiServer.UploadTextAsync(alice, "lab.txt", "Harbour Lab\n\nHarbour Lab was founded by Ada Lovelace in 1843. Ada Lovelace was born in London."))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var text = (await ApiServer.ReadJsonAsync(await alice.GetAsync("/v1/documents/uploads/alice/lab.txt"))).GetProperty("text").GetString()!;

        var entity = await ApiServer.ReadJsonAsync(await alice.GetAsync("/v1/entities/Ada%20Lovelace"));
        var subgraph = await ApiServer.ReadJsonAsync(await alice.GetAsync("/v1/subgraph?entity=Ada%20Lovelace&hops=1"));
        var path = await ApiServer.ReadJsonAsync(await alice.GetAsync("/v1/paths?from=Harbour%20Lab&to=London"));
        var query = await ApiServer.ReadJsonAsync(await alice.PostAsJsonAsync("/v1/query", new { question = "Where was the founder of Harbour Lab born?" }));

        var evidence = entity.GetProperty("relations").EnumerateArray().SelectMany(r => r.GetProperty("evidence").EnumerateArray())
            .Concat(subgraph.GetProperty("edges").EnumerateArray().SelectMany(e => e.GetProperty("provenance").EnumerateArray()))
            .Concat(path.GetProperty("steps").EnumerateArray().SelectMany(s => s.GetProperty("evidence").EnumerateArray()))
            .Concat(query.GetProperty("paths").EnumerateArray().SelectMany(p => p.GetProperty("steps").EnumerateArray()).SelectMany(s => s.GetProperty("evidence").EnumerateArray()))
            .ToList();
        evidence.Should().NotBeEmpty();
        foreach (var e in evidence)
        {
            e.TryGetProperty("phrase", out _).Should().BeFalse();
            e.GetProperty("quote").GetString().Should().Be(text[e.GetProperty("start").GetInt32()..e.GetProperty("end").GetInt32()]);
        }
    }
}
