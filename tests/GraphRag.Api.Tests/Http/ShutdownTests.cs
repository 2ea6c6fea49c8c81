using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GraphRag.Api.Http;
using GraphRag.Graph.Security;
using Microsoft.Data.Sqlite;

namespace GraphRag.Api.Tests.Http;

/// <summary>Stopping the server while an ingest job writes: the job is abandoned at a batch boundary and the store stays whole.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stop_DuringIngestJob_CancelsJobAndLeavesStoreConsistentAndResumable()
    {
        await using var server = await ApiServer.StartAsync(s => s.Ingest.Parallelism = 1);
        var admin = await server.ClientForAsync("root", [], "admin");
        var corpus = Path.Combine(server.IngestRoot, "records.jsonl");
        await File.WriteAllLinesAsync(corpus, Enumerable.Range(0, 3000).Select(i => JsonSerializer.Serialize(new
        {
            id = $"r{i:D5}",
            title = $"Record {i}",
            text = $"Station {i} of the Northern Line was opened by Ada Byron in {1850 + (i % 150)}. It lies {i % 40} kilometres from Harbour Town.",
        })));

        var created = await admin.PostAsJsonAsync("/v1/ingest-jobs", new { paths = new[] { corpus } });
        created.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var id = (await ApiServer.ReadJsonAsync(created)).GetProperty("id").GetString()!;
        IngestJobView view;
        do
        {
            view = server.Server.Jobs.Find(Caller.LocalAdministrator, id)!.View();
        }
        while (view.State is "queued" || (view.State == "running" && view.Progress.Added == 0));

        await server.Server.StopAsync();

        view = server.Server.Jobs.Find(Caller.LocalAdministrator, id)!.View();
        view.State.Should().BeOneOf("cancelled", "succeeded");
        var stored = (int)(await server.Engine.SqliteStore().GetCountsAsync()).Documents;
        stored.Should().Be(view.Progress.Added);
        using (var connection = new SqliteConnection($"Data Source={server.Engine.SqliteStore().FilePath}"))
        {
            await connection.OpenAsync();
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            (await check.ExecuteScalarAsync()).Should().Be("ok");
            using var orphans = connection.CreateCommand();
            orphans.CommandText = "SELECT COUNT(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.document_id = d.id)";
            (await orphans.ExecuteScalarAsync()).Should().Be(0L, "every stored document is whole");
        }

        // Running the same input again stores the rest and leaves what was written alone.
        var results = new List<GraphRag.Ingest.Pipeline.IngestResult>();
        await foreach (var result in server.Engine.Pipeline.RunAsync([corpus]))
        {
            results.Add(result);
        }

        results.Count(r => r.Status == GraphRag.Ingest.Pipeline.IngestStatus.Unchanged).Should().Be(stored);
        (await server.Engine.SqliteStore().GetCountsAsync()).Documents.Should().Be(3000);
    }
}
