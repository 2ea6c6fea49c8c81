using System.Text.Json;
using System.Text.Json.Nodes;
using GraphRag.Hosting;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace GraphRag.Api.Tests.Live;

/// <summary>
/// The bulk export through a real Neo4j 3.1.1: the samples (plus a document of hostile text) ingested into a temporary
/// store, exported, imported with the server's own <c>neo4j-admin import</c> into a fresh database, and served by an
/// instance of its own. Counts per label and type equal the store's; text survives; the Browser guides and the
/// answer-path statement of <c>graphrag query --json</c> run there and return rows.
/// </summary>
public sealed class Neo4jExportRoundTripTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Hostile = "Hostile Quotes";

    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-neo4j-export-").FullName;

    private string Db => Path.Combine(_root, "store.db");

    private string Out => Path.Combine(_root, "csv");

    private static string GuidesFolder => Path.Combine(CliTests.RepositoryRoot(), "cypher", "guides");

    public Task InitializeAsync() => Task.CompletedTask;

    [LiveNeo4jFact]
    public async Task ExportImportedByNeo4jAdmin_HasTheStoresCountsText_AndRunsTheGuidesAndTheAnswerPath()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = timeout.Token;
        var extra = Directory.CreateDirectory(Path.Combine(_root, "extra")).FullName;
        // Quotes, backslashes (one before a quote, one at the end), a semicolon and line breaks: the CSV cases that break imports.
        var hostileText = "# " + Hostile + "\n\nAda \"The Countess\" Lovelace kept notes in C:\\notes\\\" at Babbage House; she met Charles Babbage in London.\r\n\r\nIt ends with a backslash \\";
        await File.WriteAllTextAsync(Path.Combine(extra, "hostile.md"), hostileText, ct);
        var corpus = Path.Combine(CliTests.RepositoryRoot(), "samples", "corpus");
        var ingest = await CliTests.RunAsync("ingest", corpus, extra, "--db", Db);
        ingest.Exit.Should().Be(0, ingest.Error);
        using var stats = JsonDocument.Parse((await CliTests.RunAsync("stats", "--json", "--db", Db)).Out);
        var export = await CliTests.RunAsync("export", "neo4j", "--out", Out, "--db", Db, "--json");
        export.Exit.Should().Be(0, export.Error);
        var delimiter = JsonDocument.Parse(export.Out).RootElement.GetProperty("arrayDelimiter").GetString()![0];

        await using var server = await LiveNeo4j.ImportAsync(Path.Combine(_root, "neo4j"), Out, delimiter, ct);
        await server.StartAsync(ct);
        output.WriteLine($"imported into {server.Url} (array delimiter '{delimiter}')");

        var counts = stats.RootElement;
        (await server.CountAsync("MATCH (n:Document) RETURN count(n)", ct)).Should().Be(counts.GetProperty("documents").GetInt64());
        (await server.CountAsync("MATCH (n:Chunk) RETURN count(n)", ct)).Should().Be(counts.GetProperty("chunks").GetInt64());
        (await server.CountAsync("MATCH (n:Entity) RETURN count(n)", ct)).Should().Be(counts.GetProperty("entities").GetInt64());
        (await server.CountAsync("MATCH ()-[r:RELATES]->() RETURN count(r)", ct)).Should().Be(counts.GetProperty("relations").GetInt64());
        (await server.CountAsync("MATCH ()-[r:HAS_CHUNK]->() RETURN count(r)", ct)).Should().Be(counts.GetProperty("chunks").GetInt64());
        (await server.CountAsync("MATCH ()-[r:MENTIONS]->() RETURN count(r)", ct)).Should().Be(await Export.StoreRows.MentionsAsync(Db));
        (await server.CountAsync("MATCH ()-[r:DESCRIBES]->() RETURN count(r)", ct)).Should().Be(await Export.StoreRows.DescriptionsAsync(Db));
        (await server.CountAsync("MATCH (n) RETURN count(n)", ct)).Should().Be(
            counts.GetProperty("documents").GetInt64() + counts.GetProperty("chunks").GetInt64() + counts.GetProperty("entities").GetInt64());

        await using (var engine = await Engine.OpenAsync(GraphRagSettings.Load(Db), ct))
        {
            var stored = await engine.Documents.ListDocumentsAsync(new Graph.Abstractions.DocumentListRequest(0, 1000), ct);
            var hostile = stored.Single(d => d.Title == Hostile);
            var text = (await engine.Documents.GetDocumentAsync(hostile.Id, ct))!.Text;
            var rows = await server.QueryAsync(
                "MATCH (d:Document {id: $id})-[:HAS_CHUNK]->(c:Chunk) RETURN d.text, c.text, c.start, c.end, size(c.embedding) ORDER BY c.ordinal",
                new Dictionary<string, object> { ["id"] = hostile.Id },
                ct);
            rows.Should().NotBeEmpty();
            rows[0][0]!.GetValue<string>().Should().Be(text);
            foreach (var row in rows)
            {
                var (start, end) = (row[2]!.GetValue<int>(), row[3]!.GetValue<int>());
                row[1]!.GetValue<string>().Should().Be(text[start..end]);
                row[4]!.GetValue<int>().Should().BeGreaterThan(0, "chunks keep their embeddings");
            }
        }

        // The Browser guides, with parameters from the store.
        var entity = (await server.QueryAsync("MATCH (e:Entity)-[:RELATES]-() RETURN e.name, count(*) AS n ORDER BY n DESC, e.name LIMIT 1", new Dictionary<string, object>(), ct))[0][0]!.GetValue<string>();
        var pair = (await server.QueryAsync(
            "MATCH (a:Entity)-[:RELATES]->(:Entity)-[:RELATES]->(b:Entity) WHERE a <> b RETURN a.id, b.id ORDER BY a.id, b.id LIMIT 1", new Dictionary<string, object>(), ct))[0];
        var document = (await server.QueryAsync("MATCH (d:Document)-[:DESCRIBES]->() RETURN d.id ORDER BY d.id LIMIT 1", new Dictionary<string, object>(), ct))[0][0]!.GetValue<string>();
        (await server.QueryAsync(Guide("entity-neighbourhood.cypher"), new Dictionary<string, object> { ["name"] = entity, ["limit"] = 10 }, ct)).Should().NotBeEmpty();
        var path = await server.QueryAsync(
            Guide("path-between-entities.cypher"), new Dictionary<string, object> { ["from"] = pair[0]!.GetValue<string>(), ["to"] = pair[1]!.GetValue<string>() }, ct);
        path.Should().NotBeEmpty();
        path.Select(r => r[r.Count - 1]!.GetValue<string>()).Should().NotContain(string.Empty, "every step quotes its evidence");
        (await server.QueryAsync(Guide("document-contribution.cypher"), new Dictionary<string, object> { ["document"] = document }, ct)).Should().NotBeEmpty();

        // The answer-path statement of an answer, exactly as `query --json` returns it.
        var query = await CliTests.RunAsync("query", "Where was the founder of Nautilux Sensing born?", "--json", "--db", Db);
        query.Exit.Should().Be(0, query.Error);
        var cypher = JsonNode.Parse(query.Out)!["cypher"]!;
        var parameters = cypher["parameters"]!.AsObject().ToDictionary(p => p.Key, p => (object)p.Value!.AsArray().Select(v => v!.GetValue<string>()).ToArray());
        var answer = await server.QueryAsync(cypher["statement"]!.GetValue<string>(), parameters, ct);
        answer.Should().ContainSingle();
        var relationIds = answer[0][0]!.AsArray().SelectMany(p => p!.AsArray()).Select(segment => segment!["id"]!.GetValue<string>())
            .Where(id => id.StartsWith("rel_", StringComparison.Ordinal)).ToHashSet();
        relationIds.Should().BeEquivalentTo((string[])parameters["relationIds"]);
        answer[0][1]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).Should().BeSubsetOf((string[])parameters["chunkIds"]).And.NotBeEmpty();
        output.WriteLine($"answer path: {relationIds.Count} relations, {answer[0][1]!.AsArray().Count} chunks, {answer[0][4]!.AsArray().Count} mentions");
    }

    private static string Guide(string name) => File.ReadAllText(Path.Combine(GuidesFolder, name)).Trim().TrimEnd(';');

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}
