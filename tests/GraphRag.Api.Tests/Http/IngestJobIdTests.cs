using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace GraphRag.Api.Tests.Http;

/// <summary>Ingest jobs name documents by the same rule as the CLI: from the store's corpus root, however the path is given.</summary>
public sealed class IngestJobIdTests : IAsyncLifetime
{
    private ApiServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task IngestJob_FileUnderAFolderIngestedBefore_KeepsItsIdAndUploadsKeepTheirs()
    {
        var admin = await _server.ClientForAsync("root", [], "admin", "write");
        var people = Directory.CreateDirectory(Path.Combine(_server.IngestRoot, "world", "people")).FullName;
        await File.WriteAllTextAsync(Path.Combine(people, "ingrid.txt"), "Ingrid Halvorsen\n\nIngrid Halvorsen was born in Tallholm.");

        var folder = await RunJobAsync(admin, _server.IngestRoot);
        var file = await RunJobAsync(admin, Path.Combine(people, "ingrid.txt"));
        var glob = await RunJobAsync(admin, Path.Combine(_server.IngestRoot, "world", "**", "*.txt"));
        var upload = await ApiServer.UploadTextAsync(admin, "ingrid.txt", "Ingrid Halvorsen\n\nIngrid Halvorsen was born in Tallholm.");

        Ids(folder).Should().Equal("world/people/ingrid.txt");
        Ids(file).Should().Equal("world/people/ingrid.txt");
        Ids(glob).Should().Equal("world/people/ingrid.txt");
        Statuses(file).Concat(Statuses(glob)).Should().OnlyContain(s => s == "unchanged");
        (await ApiServer.ReadJsonAsync(upload)).GetProperty("id").GetString().Should().Be("uploads/root/ingrid.txt");
    }

    private static IEnumerable<string> Ids(JsonElement job) => job.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("documentId").GetString()!);

    private static IEnumerable<string> Statuses(JsonElement job) => job.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()!);

    private static async Task<JsonElement> RunJobAsync(HttpClient client, string path)
    {
        var created = await client.PostAsJsonAsync("/v1/ingest-jobs", new { paths = new[] { path } });
        created.StatusCode.Should().Be(HttpStatusCode.Accepted, await created.Content.ReadAsStringAsync());
        for (var polls = 0; polls < 100_000; polls++)
        {
            var job = await ApiServer.ReadJsonAsync(await client.GetAsync(created.Headers.Location));
            if (job.GetProperty("state").GetString() is not ("queued" or "running"))
            {
                job.GetProperty("state").GetString().Should().Be("succeeded");
                return job;
            }
        }

        throw new Xunit.Sdk.XunitException("the job did not finish");
    }
}
