using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace GraphRag.Api.Tests;

/// <summary>
/// The embedding side of the command line with the real local model: <c>reembed</c>, <c>query --mode vector</c>,
/// <c>eval --mode all</c> and <c>bench ingest</c>, with and without <c>--no-embeddings</c>. Timings are never asserted.
/// </summary>
public sealed class EmbeddingCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-embedding-cli-").FullName;

    private string Db => Path.Combine(_root, "cli.db");

    private static string Corpus => Path.Combine(CliTests.RepositoryRoot(), "samples", "corpus");

    [Fact]
    public async Task Reembed_AfterIngestWithoutEmbeddings_GivesEveryChunkAVectorAndVectorModeFindsThem()
    {
        (await CliTests.RunAsync("ingest", Corpus, "--no-embeddings", "--db", Db)).Exit.Should().Be(0);

        var (exit, output, error) = await CliTests.RunAsync("reembed", "--batch", "16", "--json", "--db", Db);

        exit.Should().Be(0, error);
        error.Should().Contain("reembed: 36/36 documents");
        using var summary = JsonDocument.Parse(output);
        var root = summary.RootElement;
        var stats = JsonDocument.Parse((await CliTests.RunAsync("stats", "--json", "--db", Db)).Out).RootElement;
        root.GetProperty("documents").GetInt32().Should().Be(36);
        root.GetProperty("chunks").GetInt32().Should().Be(stats.GetProperty("chunks").GetInt32());
        root.GetProperty("embedded").GetInt32().Should().Be(root.GetProperty("chunks").GetInt32());
        root.GetProperty("model").GetString().Should().Contain("arctic-embed-xs");
        root.GetProperty("previousModel").ValueKind.Should().Be(JsonValueKind.Null);

        var again = await CliTests.RunAsync("reembed", "--json", "--db", Db);
        using (var second = JsonDocument.Parse(again.Out))
        {
            second.RootElement.GetProperty("embedded").GetInt32().Should().Be(0);
            second.RootElement.GetProperty("reused").GetInt32().Should().Be(root.GetProperty("chunks").GetInt32());
        }

        var query = await CliTests.RunAsync("query", "Who founded Tidewater Robotics?", "--mode", "vector", "--json", "--db", Db);
        query.Exit.Should().Be(0, query.Error);
        using var result = JsonDocument.Parse(query.Out);
        result.RootElement.GetProperty("mode").GetString().Should().Be("vector");
        var passages = result.RootElement.GetProperty("passages").EnumerateArray().ToList();
        passages.Should().NotBeEmpty();
        passages.Should().OnlyContain(p => p.GetProperty("explanation").GetProperty("channels").EnumerateObject().Select(c => c.Name).SequenceEqual(new[] { "vector" }));
        passages.Select(p => p.GetProperty("documentId").GetString()).Should().Contain("companies/tidewater-robotics.md");
    }

    [Fact]
    public async Task Reembed_WithEmbeddingsOff_ExitsTwoWithAClearError()
    {
        (await CliTests.RunAsync("ingest", Corpus, "--no-embeddings", "--db", Db)).Exit.Should().Be(0);

        var (exit, _, error) = await CliTests.RunAsync("reembed", "--no-embeddings", "--db", Db);

        exit.Should().Be(2);
        error.Should().Contain("embeddings are off");
    }

    [Fact]
    public async Task QueryVectorMode_WithEmbeddingsOff_ExitsTwoRatherThanAnsweringEmpty()
    {
        (await CliTests.RunAsync("ingest", Corpus, "--no-embeddings", "--db", Db)).Exit.Should().Be(0);

        var (exit, output, error) = await CliTests.RunAsync("query", "Who founded Tidewater Robotics?", "--mode", "vector", "--no-embeddings", "--db", Db);

        exit.Should().Be(2);
        output.Should().BeEmpty();
        error.Should().Contain("--mode vector needs embeddings");
    }

    [Fact]
    public async Task EvalModeAll_ReportsEveryChannelAndTheCorpusEmbedding()
    {
        var dataset = await WriteDatasetAsync();
        var report = Path.Combine(_root, "report.json");

        var (exit, output, error) = await CliTests.RunAsync("eval", dataset, "--mode", "all", "--out", report, "--db", Db);

        exit.Should().Be(0, error);
        error.Should().MatchRegex("corpus: .*; embeddings .*arctic-embed-xs.* chunks embedded, .* vectors/s");
        output.Should().Contain("mode ").And.Contain("bm25").And.Contain("graph").And.Contain("vector").And.Contain("hybrid");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        json.RootElement.GetProperty("modes").EnumerateArray().Select(m => m.GetProperty("mode").GetString())
            .Should().Equal("bm25", "graph", "vector", "hybrid");
        json.RootElement.GetProperty("modes")[2].GetProperty("perQuestion").GetArrayLength().Should().Be(2);
        var corpus = json.RootElement.GetProperty("corpus");
        corpus.GetProperty("documents").GetInt32().Should().Be(4);
        corpus.GetProperty("embeddingModel").GetString().Should().Contain("arctic-embed-xs");
        corpus.GetProperty("embeddedChunks").GetInt32().Should().Be(corpus.GetProperty("chunks").GetInt32());
    }

    [Fact]
    public async Task EvalModeAll_WithEmbeddingsOff_LeavesTheVectorChannelOutAndSaysSo()
    {
        var dataset = await WriteDatasetAsync();

        var (exit, output, error) = await CliTests.RunAsync("eval", dataset, "--mode", "all", "--json", "--no-embeddings", "--db", Db);

        exit.Should().Be(0, error);
        error.Should().Contain("embeddings off");
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("modes").EnumerateArray().Select(m => m.GetProperty("mode").GetString()).Should().Equal("bm25", "graph", "hybrid");
        json.RootElement.GetProperty("corpus").GetProperty("embeddingModel").ValueKind.Should().Be(JsonValueKind.Null);
        (await CliTests.RunAsync("eval", dataset, "--mode", "vector", "--no-embeddings", "--db", Db)).Exit.Should().Be(2);
    }

    [Fact]
    public async Task BenchIngest_SaysWhetherEmbeddingsWereOnAndWhichModel()
    {
        var on = await CliTests.RunAsync("bench", "ingest", Path.Combine(Corpus, "people"), "--json");
        var off = await CliTests.RunAsync("bench", "ingest", Path.Combine(Corpus, "people"), "--json", "--no-embeddings");
        var text = await CliTests.RunAsync("bench", "ingest", Path.Combine(Corpus, "people"), "--no-embeddings");

        on.Exit.Should().Be(0, on.Error);
        using var withEmbeddings = JsonDocument.Parse(on.Out);
        withEmbeddings.RootElement.GetProperty("embeddings").GetBoolean().Should().BeTrue();
        withEmbeddings.RootElement.GetProperty("embeddingModel").GetString().Should().Contain("arctic-embed-xs");
        withEmbeddings.RootElement.GetProperty("embeddedChunks").GetInt32().Should().Be(withEmbeddings.RootElement.GetProperty("chunks").GetInt32());
        withEmbeddings.RootElement.TryGetProperty("vectorsPerSecond", out _).Should().BeTrue();
        withEmbeddings.RootElement.TryGetProperty("megabytesPerSecond", out _).Should().BeTrue();
        off.Exit.Should().Be(0, off.Error);
        using var without = JsonDocument.Parse(off.Out);
        without.RootElement.GetProperty("embeddings").GetBoolean().Should().BeFalse();
        without.RootElement.GetProperty("embeddedChunks").GetInt32().Should().Be(0);
        text.Out.Should().Contain("embeddings off");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<string> WriteDatasetAsync()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "tiny")).FullName;
        await File.WriteAllLinesAsync(Path.Combine(folder, "corpus.jsonl"),
        [
            """{"id":"p1","title":"Nautilux Sensing","text":"Alice Marlow founded Nautilux Sensing in 1994. The company builds sonar buoys."}""",
            """{"id":"p2","title":"Brest","text":"Nautilux Sensing is based in Brest, a port city in Brittany."}""",
            """{"id":"p3","title":"Keller Optics","text":"Bruno Keller founded Keller Optics in 2001 in Lyon."}""",
            """{"id":"p4","title":"Lyon","text":"Lyon is a city in France known for its silk weaving."}""",
        ]);
        await File.WriteAllLinesAsync(Path.Combine(folder, "questions.jsonl"),
        [
            """{"id":"q1","question":"Who founded Nautilux Sensing?","answer":"Alice Marlow","supporting_ids":["p1"],"type":"single"}""",
            """{"id":"q2","question":"In which city is the company Alice Marlow founded based?","answer":"Brest","supporting_ids":["p1","p2"],"type":"bridge"}""",
        ]);
        return folder;
    }
}
