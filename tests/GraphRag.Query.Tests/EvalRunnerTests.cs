using System.Text.Json;
using GraphRag.Query.Evaluation;

namespace GraphRag.Query.Tests;

/// <summary>The evaluation harness on a tiny dataset whose figures were worked out by hand.</summary>
public sealed class EvalRunnerTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphrag-eval-").FullName;
    private Graph.Sqlite.SqliteGraphStore _store = null!;
    private QueryEngine _engine = null!;

    public async Task InitializeAsync()
    {
        var corpus = Path.Combine(_folder, "corpus.jsonl");
        await File.WriteAllLinesAsync(corpus,
        [
            """{"id":"p1","title":"Zorblat","text":"Zorblat Quennick was born in Vintermoor in 1901."}""",
            """{"id":"p2","title":"Harbour","text":"The harbour of Calloway exports timber and fish."}""",
            """{"id":"p3","title":"Ossifrage Works","text":"Ossifrage Works was founded by Mirela Tansk."}""",
            """{"id":"p4","title":"Mirela Tansk","text":"She studied engineering at Dunmore College."}""",
        ]);
        (_store, _engine) = await SamplesFixture.OpenAsync(Path.Combine(_folder, "eval.db"), [corpus]);
    }

    [Fact]
    public async Task Run_TinyDataset_GivesTheHandComputedRecall()
    {
        EvalQuestion[] questions =
        [
            // Gold p1 shares rare words with the question: found first. recall@2 = recall@5 = 1.
            new() { Id = "q1", Question = "Where was Zorblat Quennick born?", Answer = "Vintermoor", Type = "1hop", SupportingIds = ["p1"] },
            // Gold p4 shares no word with the question, so BM25 cannot find it: recall@5 = 0.5, not all found.
            new() { Id = "q2", Question = "Which school trained the founder of Ossifrage Works?", Answer = "Dunmore College", Type = "2hop", SupportingIds = ["p3", "p4"] },
        ];

        var report = await new EvalRunner(_engine, _store).RunAsync("tiny", questions, QueryMode.Bm25, maxHops: 1);

        report.Questions.Should().Be(2);
        report.ByType["1hop"].RecallAt5.Should().Be(1.0);
        report.ByType["2hop"].RecallAt5.Should().Be(0.5);
        report.RecallAt5.Should().Be(0.75);
        report.AllRecallAt5.Should().Be(0.5);
        report.PerQuestion!.Single(q => q.Id == "q1").Retrieved[0].Should().Be("p1");
        report.AnswerEm.Should().Be(report.PerQuestion!.Average(q => q.ExactMatch ? 1.0 : 0.0));
        report.LatencyMsP95.Should().BeGreaterThanOrEqualTo(report.LatencyMsP50);
    }

    [Fact]
    public async Task Report_Json_HasTheDocumentedTopLevelKeys()
    {
        EvalQuestion[] questions = [new() { Id = "q1", Question = "Where was Zorblat Quennick born?", Answer = "Vintermoor", SupportingIds = ["p1"] }];

        var report = await new EvalRunner(_engine, _store).RunAsync("tiny", questions, QueryMode.Hybrid, maxHops: 2);
        // The CLI writes reports in the API's naming: camelCase property names.
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));

        var keys = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        keys.Should().Contain(["dataset", "mode", "questions", "recallAt2", "recallAt5", "allRecallAt5", "answerEm", "answerF1", "latencyMsP50", "latencyMsP95", "byType"]);
        json.RootElement.GetProperty("mode").GetString().Should().Be("hybrid");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
