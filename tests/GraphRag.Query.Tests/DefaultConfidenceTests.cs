using GraphRag.Query.Answering;

namespace GraphRag.Query.Tests;

public sealed class DefaultConfidenceTests
{
    /// <summary>The previous calibrated model declined this clean two-hop chain (0.45 under its 0.5 threshold).</summary>
    [Fact]
    public async Task QueryAsync_CleanTwoHopChain_IsAnsweredWithTheBuiltInModelsProbability()
    {
        var folder = Directory.CreateTempSubdirectory("graphrag-confidence-").FullName;
        var corpus = Directory.CreateDirectory(Path.Combine(folder, "corpus")).FullName;
        await File.WriteAllTextAsync(
            Path.Combine(corpus, "lab.txt"), "Harbour Lab\n\nHarbour Lab was founded by Ada Lovelace in 1843. Ada Lovelace was born in London.");
        var (store, engine) = await SamplesFixture.OpenAsync(Path.Combine(folder, "lab.db"), [corpus]);
        await using var _ = store;

        var result = await engine.QueryAsync(new QueryRequest { Question = "Where was the founder of Harbour Lab born?" });

        result.InsufficientEvidence.Should().BeFalse();
        result.Answer.Should().Be("London");
        result.Kind.Should().Be(AnswerKind.Chain);
        result.Confidence.Should().BeApproximately(ConfidenceModel.BuiltIn.Probability(result.Kind, result.ConfidenceSignals), 1e-4);
        result.Confidence.Should().BeGreaterThanOrEqualTo(ConfidenceModel.BuiltIn.Threshold);
        result.ConfidenceSignals.Should().ContainKeys("sentenceOverlap", "typeMatch", "nameExact", "answerTop");
        result.ConfidenceSignals["typeMatch"].Should().Be(1, "where asks for a place and London is one");
    }
}
