using GraphRag.Bench;
using System.Text.Json;
using GraphRag.Api.Cli;
using GraphRag.Graph.Model;

namespace GraphRag.Api.Tests;

/// <summary><c>graphrag bench extract</c> and <c>bench query</c> on tiny generated corpora. Timings are never asserted.</summary>
public sealed class BenchCommandTests : IDisposable
{
    private static readonly string[] Founders = ["Alice Marlow", "Bruno Keller", "Chiara Valdes", "Dmitri Orlov", "Elena Brandt"];
    private static readonly string[] Cities = ["Brest", "Lyon", "Tromso", "Porto", "Gdansk"];

    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-bench-").FullName;

    [Fact]
    public async Task BenchExtract_TinyCorpus_JsonReportsEveryDocument()
    {
        var corpus = await WriteCorpusAsync(passages: 7);

        var (exit, output, error) = await CliTests.RunAsync("bench", "extract", corpus, "--rounds", "1", "--json");

        exit.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("documents").GetInt32().Should().Be(7);
        root.GetProperty("chunks").GetInt32().Should().BeGreaterThanOrEqualTo(7);
        root.GetProperty("entities").GetInt32().Should().BePositive();
        root.GetProperty("oneThread").GetProperty("workers").GetInt32().Should().Be(1);
        root.GetProperty("allWorkers").TryGetProperty("megabytesPerSecond", out _).Should().BeTrue();
    }

    [Fact]
    public async Task BenchQuery_TinyCorpus_EnlargesToTheRequestedChunksAndReportsLatency()
    {
        var corpus = await WriteCorpusAsync(passages: 20);
        var questions = Path.Combine(_root, "questions.jsonl");
        await File.WriteAllLinesAsync(questions,
        [
            """{"id":"q1","question":"Who founded Company 0 Sensing?","answer":"Alice Marlow","supporting_ids":["p00"]}""",
            """{"id":"q2","question":"Where is Company 3 Sensing based?","answer":"Gdansk","supporting_ids":["p03"]}""",
            """{"id":"q3","question":"Which city is home to the company Elena Brandt founded?","answer":"Lyon","supporting_ids":["p04"]}""",
        ]);

        var (exit, output, error) = await CliTests.RunAsync(
            "bench", "query", "--corpus", corpus, "--questions", questions, "--chunks", "60", "--json");

        exit.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("store").GetProperty("chunks").GetInt64().Should().BeGreaterThanOrEqualTo(60);
        root.GetProperty("corpus").GetProperty("copies").GetInt32().Should().BeGreaterThan(1);
        root.GetProperty("corpus").GetProperty("method").GetString().Should().Be("repetition with perturbation");
        root.GetProperty("queries").GetProperty("asked").GetInt32().Should().Be(3);
        var latency = root.GetProperty("latencyMs");
        latency.ValueKind.Should().Be(JsonValueKind.Object);
        latency.EnumerateObject().Select(p => p.Name).Should().Equal("p50", "p95", "max");
    }

    [Fact]
    public async Task BenchQuery_NoQuestionsBesideTheCorpus_FailsWithExitTwoNamingTheFile()
    {
        var corpus = await WriteCorpusAsync(passages: 2);

        var (exit, _, error) = await CliTests.RunAsync("bench", "query", "--corpus", corpus, "--chunks", "10");

        exit.Should().Be(2);
        error.Should().Contain("questions not found").And.Contain("--questions");
    }

    [Fact]
    public void PerturbedCopy_SameInput_IsDeterministicAndVariesNamesConsistentlyWithinACopy()
    {
        var first = Passage("p1", "Alice Marlow founded Nautilux Sensing in Brest. The company makes sonar buoys. Marlow sold it in 2010.");
        var second = Passage("p2", "Nautilux Sensing opened an office in Lyon. Nautilux engineers trained in Brest.");

        PerturbedCorpus.Copy(first, 0).Should().BeSameAs(first);
        var copy = PerturbedCorpus.Copy(first, 1);
        PerturbedCorpus.Copy(first, 1).Should().Be(copy);
        copy.Id.Should().Be("p1~1");
        copy.Text.Should().NotContain("Marlow").And.NotContain("Nautilux").And.NotContain("Brest");
        copy.Text.Should().Contain("2010");

        // One name, one variant throughout a copy: passages that shared an entity still share one. Every sentence of
        // the second passage names it, so dropping a sentence cannot remove it.
        var variant = VariantOf("Nautilux", first, copy);
        PerturbedCorpus.Copy(second, 1).Text.Should().Contain(variant);
        PerturbedCorpus.Copy(first, 2).Text.Should().NotContain(variant);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<string> WriteCorpusAsync(int passages)
    {
        var path = Path.Combine(_root, "corpus.jsonl");
        var lines = Enumerable.Range(0, passages).Select(i =>
        {
            var founder = Founders[i % Founders.Length];
            var city = Cities[(i * 3) % Cities.Length];
            var text = $"{founder} founded Company {i} Sensing in {1990 + i}. Company {i} Sensing is based in {city}. "
                + $"The company builds sonar buoys for the Harbour Authority of {city}.";
            return JsonSerializer.Serialize(new { id = $"p{i:00}", title = $"Company {i} Sensing", text });
        });
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }

    private static Document Passage(string id, string text) => new()
    {
        Id = id,
        Source = "test",
        Title = "Nautilux Sensing",
        MediaType = "application/jsonl",
        Text = text,
        ContentHash = id,
    };

    /// <summary>The word of <paramref name="copy"/>'s title that stands where <paramref name="name"/> stood in the original title.</summary>
    private static string VariantOf(string name, Document original, Document copy)
    {
        var index = Array.IndexOf(original.Title.Split(' '), name);
        index.Should().BeGreaterThanOrEqualTo(0);
        return copy.Title.Split(' ')[index];
    }
}
