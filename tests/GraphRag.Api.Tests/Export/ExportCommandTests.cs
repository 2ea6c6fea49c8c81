using System.Text.Json;
using GraphRag.Query.Answering;
using Microsoft.Data.Sqlite;

namespace GraphRag.Api.Tests.Export;

/// <summary><c>graphrag export neo4j</c> and the answer-path Cypher of <c>graphrag query --json</c>, on the bundled samples.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-export-").FullName;

    private string Db => Path.Combine(_root, "export.db");

    private string Out => Path.Combine(_root, "csv");

    private static string Corpus => Path.Combine(CliTests.RepositoryRoot(), "samples", "corpus");

    [Fact]
    public async Task ExportNeo4j_Samples_WritesOneRowPerNodeAndRelationshipTheStoreCounts()
    {
        (await CliTests.RunAsync("ingest", Corpus, "--db", Db, "--no-embeddings")).Exit.Should().Be(0);
        using var stats = JsonDocument.Parse((await CliTests.RunAsync("stats", "--json", "--db", Db, "--no-embeddings")).Out);

        var (exit, output, error) = await CliTests.RunAsync("export", "neo4j", "--out", Out, "--db", Db);

        exit.Should().Be(0, error);
        long Rows(string file) => ImportCsv.Read(Path.Combine(Out, file)).Count - 1;
        var counts = stats.RootElement;
        Rows("documents.csv").Should().Be(counts.GetProperty("documents").GetInt64());
        Rows("chunks.csv").Should().Be(counts.GetProperty("chunks").GetInt64());
        Rows("has_chunk.csv").Should().Be(counts.GetProperty("chunks").GetInt64());
        Rows("entities.csv").Should().Be(counts.GetProperty("entities").GetInt64());
        Rows("relates.csv").Should().Be(counts.GetProperty("relations").GetInt64());
        Rows("mentions.csv").Should().Be(await StoreRows.MentionsAsync(Db));
        Rows("describes.csv").Should().Be(await StoreRows.DescriptionsAsync(Db));
        output.Should().Contain("bin/neo4j-admin import --mode=csv --database=graphrag.db --nodes=")
            .And.Contain("--multiline-fields=true").And.Contain("--id-type=STRING").And.Contain("neo4j-admin database import full");
    }

    [Fact]
    public async Task ExportNeo4j_EveryRowHasTheHeadersColumnCount_AndTextReadsBackAsStored()
    {
        (await CliTests.RunAsync("ingest", Corpus, "--db", Db, "--no-embeddings")).Exit.Should().Be(0);

        (await CliTests.RunAsync("export", "neo4j", "--out", Out, "--db", Db, "--json")).Exit.Should().Be(0);

        foreach (var file in Directory.GetFiles(Out, "*.csv"))
        {
            var rows = ImportCsv.Read(file);
            rows.Should().OnlyContain(r => r.Length == rows[0].Length, Path.GetFileName(file));
        }

        var chunks = ImportCsv.Read(Path.Combine(Out, "chunks.csv")).Skip(1).ToDictionary(r => r[0]!, r => r[9]);
        await using var connection = new SqliteConnection($"Data Source={Db};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, text FROM chunks";
        await using var reader = await command.ExecuteReaderAsync();
        var compared = 0;
        while (await reader.ReadAsync())
        {
            chunks[reader.GetString(0)].Should().Be(reader.GetString(1));
            compared++;
        }

        compared.Should().Be(chunks.Count);
    }

    [Fact]
    public async Task QueryJson_AnswerWithAPath_CarriesTheAnswerPathStatementWithOnlyTheAnswersIds()
    {
        (await CliTests.RunAsync("ingest", Corpus, "--db", Db, "--no-embeddings")).Exit.Should().Be(0);

        var (exit, output, error) = await CliTests.RunAsync("query", "Where was the founder of Nautilux Sensing born?", "--json", "--db", Db, "--no-embeddings");

        exit.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        var cypher = root.GetProperty("cypher");
        cypher.GetProperty("statement").GetString().Should().Be(AnswerPathCypher.Statement);
        cypher.GetProperty("statement").GetString().Should().StartWith("MATCH p = (s:Entity)-[r:RELATES]->(t:Entity)").And.NotContain("//");
        var parameters = cypher.GetProperty("parameters");
        parameters.EnumerateObject().Select(p => p.Name).Should().Equal("entityIds", "relationIds", "chunkIds");
        string[] Ids(string name) => [.. parameters.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

        var steps = root.GetProperty("paths").EnumerateArray().SelectMany(p => p.GetProperty("steps").EnumerateArray()).ToList();
        steps.Should().NotBeEmpty();
        Ids("relationIds").Should().BeEquivalentTo(steps.Select(s => s.GetProperty("relationId").GetString()).Distinct());
        Ids("entityIds").Should().BeEquivalentTo(steps.SelectMany(s => new[] { s.GetProperty("sourceId").GetString(), s.GetProperty("targetId").GetString() }).Distinct());
        var cited = root.GetProperty("citations").EnumerateArray().Select(c => c.GetProperty("chunkId").GetString())
            .Concat(steps.SelectMany(s => s.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("chunkId").GetString())));
        Ids("chunkIds").Should().BeEquivalentTo(cited.Distinct());
    }

    [Fact]
    public void AnswerPathCypher_ResultWithoutPaths_HasNoStatement()
    {
        var result = new GraphRag.Query.QueryResult
        {
            Question = "q",
            Mode = GraphRag.Query.QueryMode.Hybrid,
            Answer = "insufficient information",
            InsufficientEvidence = true,
            Passages = [],
            Citations = [],
        };

        AnswerPathCypher.For(result).Should().BeNull();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
