using System.Text.Json;
using GraphRag.Bench.Compare;

namespace GraphRag.Bench.Compare.Tests;

/// <summary>The harness end to end on a tiny corpus: it produces both sides' figures, the ratios and recall (timings are never asserted).</summary>
public sealed class CompareBenchmarkTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"graphrag-compare-test-{Guid.NewGuid():N}");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_TinyDataset_ReportsBothSidesRatiosAndRecall()
    {
        var dataset = Path.Combine(_folder, "tiny");
        Directory.CreateDirectory(dataset);
        string[] passages =
        [
            Passage("p1", "Ada Lovelace", "Ada Lovelace wrote the first published algorithm for Charles Babbage's Analytical Engine in London."),
            Passage("p2", "Analytical Engine", "The Analytical Engine was a proposed mechanical computer designed by Charles Babbage."),
            Passage("p3", "Grace Hopper", "Grace Hopper wrote one of the first compilers while working in Philadelphia."),
            Passage("p4", "Philadelphia", "Philadelphia is a city in Pennsylvania on the Delaware River."),
            Passage("p5", "Kestrel Bay", "Kestrel Bay is a harbour town known for its lantern works and fishing fleet."),
        ];
        await File.WriteAllLinesAsync(Path.Combine(dataset, "corpus.jsonl"), passages);
        await File.WriteAllLinesAsync(Path.Combine(dataset, "questions.jsonl"),
        [
            Question("q1", "Who designed the Analytical Engine that Ada Lovelace wrote an algorithm for?", "Charles Babbage", "p1", "p2"),
            Question("q2", "In which state is the city where Grace Hopper wrote a compiler?", "Pennsylvania", "p3", "p4"),
        ]);

        var report = await CompareBenchmark.RunAsync(dataset, new CompareOptions(Path.Combine(_folder, "work"), WithEmbeddings: false), TextWriter.Null);

        report.Dataset.Should().Be("tiny");
        report.Questions.Should().Be(2);
        report.Lucene.Documents.Should().Be(5);
        report.Lucene.RecallAt5.Should().Be(1.0, "five passages all fit the first five hits");
        report.IngestGraph.Documents.Should().Be(5);
        report.IngestGraph.Embeddings.Should().BeFalse();
        report.IngestEmbeddings.Should().BeNull();
        report.HybridNoEmbeddings.Should().BeNull();
        report.Hybrid.Mode.Should().Be("hybrid");
        report.Bm25.Mode.Should().Be("bm25");
        report.Hybrid.RecallAt5.Should().BeInRange(0.5, 1.0);
        report.Bm25.RecallAt5.Should().BeInRange(0.5, 1.0);
        report.Ratios.IngestGraph.Should().BePositive();
        report.Ratios.HybridP50.Should().BePositive();
        report.Ratios.Bm25P50.Should().BePositive();
        report.Ratios.IngestEmbeddings.Should().BeNull();
        CompareTable.Lines([report]).Should().Contain(l => l.StartsWith("| ratio ingest (graph) / Lucene index |", StringComparison.Ordinal));
        Directory.Exists(Path.Combine(_folder, "work", "tiny")).Should().BeFalse("the temporary stores and indexes are removed");
    }

    private static string Passage(string id, string title, string text) => JsonSerializer.Serialize(new { id, title, text });

    private static string Question(string id, string question, string answer, params string[] supporting) =>
        JsonSerializer.Serialize(new { id, question, answer, answer_aliases = Array.Empty<string>(), type = "2hop", supporting_ids = supporting });
}
