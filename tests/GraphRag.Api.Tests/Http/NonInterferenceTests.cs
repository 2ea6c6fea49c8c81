using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace GraphRag.Api.Tests.Http;

/// <summary>
/// What a tenant gets from a shared server equals what an administrator gets from a server holding only that
/// tenant's documents: the other tenant changes no text, count, rank or score, over HTTP.
/// </summary>
public sealed class NonInterferenceTests : IAsyncLifetime
{
    private static readonly (string Name, string Text)[] TenantA =
    [
        ("northwind.txt", "Maria Keller is the chief executive of Northwind Systems. Northwind Systems acquired Helios Analytics in 2021. Maria Keller studied at Delft University of Technology."),
        ("brandt.txt", "Jonas Brandt works for Northwind Systems in Rotterdam. Jonas Brandt reports to Maria Keller. Northwind Systems is headquartered in Rotterdam."),
        ("helios.txt", "Helios Analytics builds forecasting software. Helios Analytics was founded by Lena Vos in Utrecht."),
    ];

    private static readonly (string Name, string Text)[] TenantB =
    [
        ("contoso.txt", "Maria Keller founded Contoso Labs in Berlin. Contoso Labs partnered with Northwind Systems on Project Nightjar."),
        ("wrobel.txt", "Tomasz Wrobel was born in Krakow. Tomasz Wrobel works for Northwind Systems in Berlin."),
        ("keller.txt", "Maria Keller studied in Berlin. Maria Keller is the chief executive of Contoso Labs. Northwind Systems supplies Contoso Labs."),
        ("rotterdam.txt", "Northwind Systems opened an office in Rotterdam. Rotterdam is the home of Northwind Systems Logistics."),
        ("software.txt", "Contoso Labs builds forecasting software for Northwind Systems and Helios Analytics customers."),
    ];

    private ApiServer _shared = null!;
    private ApiServer _alone = null!;
    private HttpClient _alice = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _shared = await ApiServer.StartAsync(embeddings: true);
        _alone = await ApiServer.StartAsync(embeddings: true);
        // The uploader names the document id, so both servers store tenant A's documents under the same ids.
        var writerA = await _shared.ClientForAsync("alice", ["a"], "write");
        var writerB = await _shared.ClientForAsync("bob", ["b"], "write");
        var writerAlone = await _alone.ClientForAsync("alice", ["a"], "write");
        foreach (var (name, text) in TenantA)
        {
            await ApiServer.UploadTextAsync(writerA, name, text);
            await ApiServer.UploadTextAsync(writerAlone, name, text);
        }

        foreach (var (name, text) in TenantB)
        {
            await ApiServer.UploadTextAsync(writerB, name, text);
        }

        _alice = writerA;
        _admin = await _alone.ClientForAsync("root", [], "admin");
    }

    public async Task DisposeAsync()
    {
        await _shared.DisposeAsync();
        await _alone.DisposeAsync();
    }

    [Theory]
    [InlineData("Who is the chief executive of Northwind Systems?", "bm25")]
    [InlineData("Who is the chief executive of Northwind Systems?", "graph")]
    [InlineData("Who is the chief executive of Northwind Systems?", "hybrid")]
    [InlineData("Where is Northwind Systems headquartered?", "hybrid")]
    [InlineData("Who founded the company that Northwind Systems acquired?", "hybrid")]
    [InlineData("Who founded the company that Northwind Systems acquired?", "bm25")]
    [InlineData("Where did Maria Keller study?", "graph")]
    [InlineData("Who builds forecasting software?", "hybrid")]
    public async Task Query_TenantOnSharedServer_EqualsAdministratorOnTenantOnlyServer(string question, string mode)
    {
        var shared = await QueryAsync(_alice, question, mode);
        var alone = await QueryAsync(_admin, question, mode);

        shared.Should().Be(alone);
    }

    [Theory]
    [InlineData("/v1/entities?limit=100")]
    [InlineData("/v1/entities?search=Northwind")]
    [InlineData("/v1/entities?search=Maria%20Keller")]
    [InlineData("/v1/documents")]
    public async Task Listings_TenantOnSharedServer_EqualAdministratorOnTenantOnlyServer(string path)
    {
        var shared = await _alice.GetStringAsync(path);
        var alone = await _admin.GetStringAsync(path);

        shared.Should().Be(alone);
    }

    private static async Task<string> QueryAsync(HttpClient client, string question, string mode)
    {
        var response = await client.PostAsJsonAsync("/v1/query", new { question, mode, k = 5 });
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        json.Remove("timings");
        return json.ToJsonString();
    }
}
