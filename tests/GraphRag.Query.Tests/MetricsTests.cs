using GraphRag.Query.Evaluation;

namespace GraphRag.Query.Tests;

public sealed class MetricsTests
{
    [Theory]
    [InlineData("The Beatles!", "beatles", true)]
    [InlineData("an Apple", "apple", true)]
    [InlineData("G. Stanley Hall", "G Stanley Hall", true)]
    [InlineData("Hall", "G. Stanley Hall", false)]
    public void ExactMatch_UsesSquadNormalisation(string prediction, string gold, bool expected) =>
        AnswerMetrics.ExactMatch(prediction, [gold]).Should().Be(expected);

    [Fact]
    public void ExactMatch_CountsAliases() =>
        AnswerMetrics.ExactMatch("Stanley Hall", ["G. Stanley Hall", "Stanley Hall"]).Should().BeTrue();

    [Fact]
    public void F1_PartialOverlap_IsHarmonicMeanOfPrecisionAndRecall()
    {
        // prediction tokens: stanley hall (2); gold: g stanley hall (3); common 2 → P=1, R=2/3, F1=0.8.
        AnswerMetrics.F1("Stanley Hall", "G. Stanley Hall").Should().BeApproximately(0.8, 1e-9);
        AnswerMetrics.F1("nothing alike", "G. Stanley Hall").Should().Be(0);
        AnswerMetrics.F1("", "").Should().Be(1);
    }

    [Fact]
    public void RecallAt_CountsDistinctDocumentsInTheFirstK()
    {
        string[] ranked = ["a", "a", "b", "c", "d", "e", "f"];

        RetrievalMetrics.RecallAt(ranked, ["b", "f"], 2).Should().Be(0.5);
        RetrievalMetrics.RecallAt(ranked, ["b", "f"], 5).Should().Be(0.5);
        RetrievalMetrics.RecallAt(ranked, ["b", "e"], 5).Should().Be(1.0);
        RetrievalMetrics.AllAt(ranked, ["b", "e"], 5).Should().BeTrue();
        RetrievalMetrics.RecallAt(ranked, [], 5).Should().Be(0);
    }

    [Fact]
    public void Percentile_IsNearestRank()
    {
        double[] values = [5, 1, 4, 2, 3];

        RetrievalMetrics.Percentile(values, 0.5).Should().Be(3);
        RetrievalMetrics.Percentile(values, 0.95).Should().Be(5);
        RetrievalMetrics.Percentile([], 0.5).Should().Be(0);
    }

    [Theory]
    [InlineData("Ingrid Halvorsen", false, new[] { "Ingrid Halvorsen", "Halvorsen" }, AnswerOutcome.Correct)]
    [InlineData("the Ingrid Halvorsen", false, new[] { "Ingrid Halvorsen" }, AnswerOutcome.Correct)]
    [InlineData("Dr Ingrid Marie Halvorsen", false, new[] { "Ingrid Marie Halvorsen" }, AnswerOutcome.Correct)]
    [InlineData("Tomas Lindqvist", false, new[] { "Ingrid Halvorsen" }, AnswerOutcome.Wrong)]
    [InlineData("Tallholm", false, new string[0], AnswerOutcome.Wrong)]
    [InlineData("insufficient information", true, new[] { "Ingrid Halvorsen" }, AnswerOutcome.Declined)]
    [InlineData("insufficient information", true, new string[0], AnswerOutcome.Declined)]
    public void Judge_AnswerAgainstGolds_CorrectWrongOrDeclined(string answer, bool declined, string[] golds, AnswerOutcome expected) =>
        AnswerMetrics.Judge(answer, declined, golds).Should().Be(expected);
}
