using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphRag.Ingest.Pipeline;

namespace GraphRag.Api.Tests.Http;

/// <summary>
/// Security finding: with tenant A holding about 10,500 names starting "Zqa", tenant B's <c>/v1/entities?search=z</c>
/// returned nothing, because a prefix cap of about 10,000 keys was applied before the visibility filter. Here A holds
/// more than any cap's worth — of names under one prefix, of documents, of mentions of a shared name — and every listing
/// and search route must answer B exactly as a server holding only B's documents answers its administrator.
/// </summary>
public sealed class CapNonInterferenceTests : IAsyncLifetime
{
    private const int TenantADocuments = 1_100;
    private const int NamesPerDocument = 10;

    private static readonly (string Name, string Text)[] TenantB =
    [
        ("zzyx.txt", "Zzyx Omnara founded Quellhaven Robotics in Tallinn. Zzyx Omnara studied at Tartu University."),
        ("quell.txt", "Quellhaven Robotics acquired Zephyr Lattice in 2019. Zephyr Lattice builds harbour cranes."),
        ("tallinn.txt", "Ingrid Zalewski runs the Tallinn office of Quellhaven Robotics. Ingrid Zalewski reports to Zzyx Omnara."),
        ("harbour.txt", "The harbour master Odile Varga met Zzyx Omnara at the Tallinn harbour."),
    ];

    private ApiServer _shared = null!;
    private ApiServer _alone = null!;
    private HttpClient _bob = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _shared = await ApiServer.StartAsync(embeddings: true);
        _alone = await ApiServer.StartAsync(embeddings: true);
        _bob = await _shared.ClientForAsync("bob", ["b"], "write");
        var bobAlone = await _alone.ClientForAsync("bob", ["b"], "write");
        foreach (var (name, text) in TenantB)
        {
            (await ApiServer.UploadTextAsync(_bob, name, text)).EnsureSuccessStatusCode();
            (await ApiServer.UploadTextAsync(bobAlone, name, text)).EnsureSuccessStatusCode();
        }

        await IngestTenantAAsync();
        _admin = await _alone.ClientForAsync("root", [], "admin");
    }

    public async Task DisposeAsync()
    {
        await _shared.DisposeAsync();
        await _alone.DisposeAsync();
    }

    [Fact]
    public async Task Fixture_TenantAHoldsMoreThanTheCapsOfNamesUnderOnePrefixAndOfDocuments()
    {
        var root = await _shared.ClientForAsync("root", [], "admin");
        var zqa = await ApiServer.ReadJsonAsync(await root.GetAsync("/v1/entities?search=zqa&limit=1000"));
        var documents = await ApiServer.ReadJsonAsync(await root.GetAsync("/v1/documents?limit=10"));
        var snapshot = await _shared.Engine.SqliteStore().GetSnapshotAsync();

        zqa.GetProperty("entities").GetArrayLength().Should().Be(1_000, "the administrator's listing is capped by its limit, not short of names");
        snapshot.LookupPrefix("zqa", maxKeys: 1_000_000).Count.Should().BeGreaterThan(10_000);
        documents.GetProperty("total").GetInt32().Should().BeGreaterThan(1_000);
    }

    [Theory]
    [InlineData("/v1/entities?search=z")]
    [InlineData("/v1/entities?search=z&limit=1000")]
    [InlineData("/v1/entities?search=zz")]
    [InlineData("/v1/entities?search=Zzyx%20Omnara")]
    [InlineData("/v1/entities?search=q&type=Organization")]
    [InlineData("/v1/entities?limit=1000")]
    [InlineData("/v1/entities?type=Person&limit=50")]
    [InlineData("/v1/documents?limit=1000")]
    [InlineData("/v1/documents?offset=2&limit=1")]
    [InlineData("/v1/entities/Zzyx%20Omnara")]
    [InlineData("/v1/subgraph?entity=Zzyx%20Omnara&hops=3&limit=1000")]
    [InlineData("/v1/subgraph?entity=Tallinn&hops=2")]
    [InlineData("/v1/paths?from=Ingrid%20Zalewski&to=Zephyr%20Lattice&maxHops=6")]
    public async Task Listing_TenantOnSharedServer_EqualsAdministratorOnTenantOnlyServer(string path)
    {
        var shared = await _bob.GetAsync(path);
        var alone = await _admin.GetAsync(path);

        shared.StatusCode.Should().Be(alone.StatusCode);
        shared.IsSuccessStatusCode.Should().BeTrue(path);
        (await WithoutTraceAsync(shared)).Should().Be(await WithoutTraceAsync(alone));
    }

    [Theory]
    [InlineData("Who founded Quellhaven Robotics?", "hybrid")]
    [InlineData("Who founded Quellhaven Robotics?", "bm25")]
    [InlineData("Who founded Quellhaven Robotics?", "graph")]
    [InlineData("What does the company acquired by the company Zzyx Omnara founded build?", "hybrid")]
    [InlineData("Who met Zzyx Omnara at the harbour?", "hybrid")]
    public async Task Query_TenantOnSharedServer_EqualsAdministratorOnTenantOnlyServer(string question, string mode)
    {
        var shared = await QueryAsync(_bob, question, mode);
        var alone = await QueryAsync(_admin, question, mode);

        shared.Should().Be(alone);
    }

    /// <summary>
    /// 1,100 documents of tenant A, each naming ten people whose names start "Zqa" (11,000 names, more than the prefix
    /// cap) beside the harbour and Zzyx Omnara, which B's documents name too.
    /// </summary>
    private async Task IngestTenantAAsync()
    {
        var file = Path.Combine(_shared.Root, "tenant-a.jsonl");
        var lines = new List<string>(TenantADocuments);
        var n = 0;
        for (var d = 0; d < TenantADocuments; d++)
        {
            var sentences = new List<string>();
            for (var k = 0; k < NamesPerDocument; k++, n++)
            {
                sentences.Add($"Zqa{Syllables(n)} {Surname(n)} met Zzyx Omnara at the harbour.");
            }

            lines.Add(JsonSerializer.Serialize(new { id = "a-" + d.ToString("D4", CultureInfo.InvariantCulture), title = "Harbour log " + d, text = string.Join(' ', sentences) }));
        }

        await File.WriteAllLinesAsync(file, lines);
        var failed = 0;
        await foreach (var result in _shared.Engine.Pipeline.RunAsync(new IngestRun { Paths = [file], Acl = ["group:a"] }))
        {
            failed += result.Status == IngestStatus.Failed ? 1 : 0;
        }

        failed.Should().Be(0);
    }

    // Distinct pronounceable name parts: "Zqa" + two syllables for the given name, three for the surname.
    private static readonly string[] Parts = ["ba", "ke", "lo", "mi", "nu", "ra", "se", "ti", "vo", "du", "fe", "gi", "ho", "ja", "ly", "pe", "qo", "ru", "sy", "wa", "xe", "yo"];

    private static string Syllables(int n) => Parts[n % Parts.Length] + Parts[n / Parts.Length % Parts.Length] + "n";

    private static string Surname(int n) =>
        char.ToUpperInvariant(Parts[n / 484 % Parts.Length][0]) + Parts[n / 484 % Parts.Length][1..] + Parts[n % 7] + Parts[(n / 7) % Parts.Length] + "r";

    private static async Task<string> WithoutTraceAsync(HttpResponseMessage response)
    {
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        (json as JsonObject)?.Remove("traceId");
        return json.ToJsonString();
    }

    private static async Task<string> QueryAsync(HttpClient client, string question, string mode)
    {
        var response = await client.PostAsJsonAsync("/v1/query", new { question, mode, k = 5 });
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        json.Remove("timings");
        return json.ToJsonString();
    }
}
