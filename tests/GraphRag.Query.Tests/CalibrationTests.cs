using GraphRag.Graph;
using GraphRag.Query.Answering;
using GraphRag.Query.Evaluation;

namespace GraphRag.Query.Tests;

public sealed class CalibrationTests
{
    [Theory]
    [InlineData("When did the nation where the hamlet of Orrin lies join the trade bloc?", "Date")]
    [InlineData("The province where Tomas Ilvar died has how many electoral districts?", "Quantity")]
    [InlineData("What was the population of the county where Fenwick Mill stands?", "Quantity")]
    [InlineData("Who chairs the council of the region where the Orla River rises?", "Person,Organization")]
    [InlineData("In which country is the town where Greta Lind was born?", "Location")]
    [InlineData("Where was the founder of Brightwater Labs born?", "Location")]
    [InlineData("Which company acquired the firm whose founder was born in Oslo?", "Organization")]
    [InlineData("What is the name of the lake in the county where Ashby lies?", "")]
    [InlineData("Which private equity firm backed the spin-off of Norvald Systems?", "Organization")]
    [InlineData("Which venture capital firm led the round?", "Organization")]
    public void HeadTypes_ReadTheQuestionsOwnWhForm_NotItsRelativeClauses(string question, string expected)
    {
        AnswerTypes.HeadTypes(question).Order(StringComparer.Ordinal).Should()
            .Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal), "EntityTypes names its types by these words");
    }

    [Fact]
    public void ExpectedCalibrationError_IsTheWeightedGapBetweenConfidenceAndAccuracy()
    {
        // Bin 0.9: 2 answers at 0.9, 1 right (accuracy 0.5, gap 0.4); bin 0.2: 2 answers at 0.2, none right (gap 0.2).
        (double, bool)[] outcomes = [(0.9, true), (0.9, false), (0.2, false), (0.2, false)];

        Reliability.ExpectedCalibrationError(outcomes).Should().BeApproximately((0.5 * 0.4) + (0.5 * 0.2), 1e-9);
        Reliability.ExpectedCalibrationError([(1.0, true), (0.0, false)]).Should().Be(0);
        Reliability.ExpectedCalibrationError([]).Should().Be(0);
    }

    [Fact]
    public void Auroc_CountsRightAnswersRankedAboveWrongOnes_TiesHalf()
    {
        Reliability.Auroc([(0.9, true), (0.8, true), (0.1, false)]).Should().Be(1);
        Reliability.Auroc([(0.1, true), (0.9, false)]).Should().Be(0);
        Reliability.Auroc([(0.5, true), (0.5, false)]).Should().Be(0.5);
        Reliability.Auroc([(0.5, true)]).Should().Be(0.5, "with one kind of outcome the figure says nothing");
    }

    [Fact]
    public void Fit_LearnsThatASignalPredictsCorrectness_AndStaysCalibrated()
    {
        // Chain answers: right in 9 of 10 cases with full coverage, 1 of 10 without.
        var samples = new List<CalibrationSample>();
        for (var i = 0; i < 10; i++)
        {
            samples.Add(Chain("a", coverage: 1, correct: i < 9));
            samples.Add(Chain("a", coverage: 0, correct: i < 1));
        }

        var model = ConfidenceFit.Fit(samples, l2: 0.01);

        model.Probability(AnswerKind.Chain, Signals(1)).Should().BeApproximately(0.9, 0.02);
        model.Probability(AnswerKind.Chain, Signals(0)).Should().BeApproximately(0.1, 0.02);
        model.Kinds[AnswerKind.Chain].Weights["sentenceOverlap"].Should().BePositive();
    }

    [Fact]
    public void Fit_AKindWithOnlyWrongAnswers_GetsItsSmoothedBaseRate()
    {
        var samples = Enumerable.Range(0, 20).Select(_ => Chain("a", coverage: 1, correct: false)).ToList();

        var model = ConfidenceFit.Fit(samples);

        model.Kinds[AnswerKind.Chain].Weights.Should().BeEmpty();
        model.Probability(AnswerKind.Chain, Signals(1)).Should().BeApproximately(1.0 / 22, 1e-3);
        model.Probability(AnswerKind.Span, Signals(1)).Should().BeApproximately(0.5, 1e-9, "a kind never seen knows nothing either way");
    }

    [Fact]
    public void Fit_APartialChain_GetsAtMostTheRateOfRightAnswersAmongPartialChains()
    {
        // Partial chains look as clean as complete ones (their bridge's sentence is clean) but are right 1 time in 10.
        var samples = new List<CalibrationSample>();
        for (var i = 0; i < 10; i++)
        {
            samples.Add(Chain("a", coverage: 1, correct: i < 9));
            samples.Add(new CalibrationSample("a", AnswerKind.Chain, new Dictionary<string, double> { ["sentenceOverlap"] = 1, ["partialChain"] = 1 }, i < 1));
        }

        var model = ConfidenceModel.Parse(ConfidenceFit.Fit(samples, l2: 0.01).ToJson());

        model.Kinds[AnswerKind.Chain].Caps.Should().Equal(new Dictionary<string, double> { ["partialChain"] = Math.Round(2.0 / 12, 4) });
        model.Probability(AnswerKind.Chain, new Dictionary<string, double> { ["sentenceOverlap"] = 1, ["partialChain"] = 1 })
            .Should().BeLessThanOrEqualTo(Math.Round(2.0 / 12, 4));
        model.Probability(AnswerKind.Chain, Signals(1)).Should().BeGreaterThan(0.5, "a complete chain is not capped");
    }

    [Fact]
    public void LogisticModel_ACappedSignal_BoundsTheProbabilityHoweverStrongTheOthers()
    {
        var model = new LogisticModel(5, new Dictionary<string, double>()) { Caps = new Dictionary<string, double> { ["partialChain"] = 0.2 } };

        model.Probability(new Dictionary<string, double> { ["partialChain"] = 1 }).Should().Be(0.2);
        model.Probability(new Dictionary<string, double>()).Should().BeApproximately(1 / (1 + Math.Exp(-5)), 1e-12);
    }

    [Fact]
    public void CrossCheck_ScoresEachDatasetWithAModelFittedOnTheOthers()
    {
        var samples = new List<CalibrationSample>();
        foreach (var dataset in new[] { "a", "b" })
        {
            for (var i = 0; i < 10; i++)
            {
                samples.Add(Chain(dataset, coverage: 1, correct: i < 9));
                samples.Add(Chain(dataset, coverage: 0, correct: i < 1));
            }
        }

        var checks = ConfidenceFit.CrossCheck(samples, l2: 0.01);

        checks.Select(c => c.Dataset).Should().Equal("a", "b");
        checks.Should().OnlyContain(c => c.Answers == 20 && c.Correct == 10 && c.Auroc > 0.8 && c.Ece < 0.05);
    }

    [Fact]
    public void Model_RoundTripsThroughJson()
    {
        var model = new ConfidenceModel
        {
            Threshold = 0.4,
            Kinds = new Dictionary<AnswerKind, LogisticModel>
            {
                [AnswerKind.Span] = new(-1.5, new Dictionary<string, double> { ["support"] = 2.0 }),
            },
        };

        var copy = ConfidenceModel.Parse(model.ToJson());

        copy.Threshold.Should().Be(0.4);
        copy.Probability(AnswerKind.Span, new Dictionary<string, double> { ["support"] = 1 })
            .Should().BeApproximately(1 / (1 + Math.Exp(-0.5)), 1e-12);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"threshold": 2}""")]
    [InlineData("""{"kinds": {"Span": {"bias": "NaN", "weights": {}}}}""")]
    [InlineData("""{"kinds": {"Chain": {"bias": 0, "weights": {}, "caps": {"partialChain": 1.5}}}}""")]
    public void Parse_BadModel_FailsClearly(string json)
    {
        var act = () => ConfidenceModel.Parse(json);

        act.Should().Throw<InvalidInputException>().WithMessage("Not a confidence model*");
    }

    [Fact]
    public void BuiltInModel_HasAModelForEveryKindTheExtractiveGeneratorProduces()
    {
        ConfidenceModel.BuiltIn.Kinds.Keys.Should().Contain([AnswerKind.Chain, AnswerKind.Span, AnswerKind.YesNo, AnswerKind.Option]);
        ConfidenceModel.BuiltIn.Threshold.Should().BeInRange(0.05, 0.95);
    }

    [Fact]
    public void ChooseThreshold_DeclinesWhereWrongAnswersOutnumberRightOnes()
    {
        // Right 9 of 10 times with the signal at 1, 1 of 10 at 0: answer the first, decline the second.
        var samples = new List<CalibrationSample>();
        for (var i = 0; i < 10; i++)
        {
            samples.Add(Chain("a", coverage: 1, correct: i < 9));
            samples.Add(Chain("a", coverage: 0, correct: i < 1));
        }

        var model = ConfidenceFit.Fit(samples, l2: 0.01);

        model.Threshold.Should().BeGreaterThan(0.1).And.BeLessThanOrEqualTo(0.9);
        model.Probability(AnswerKind.Chain, Signals(1)).Should().BeGreaterThanOrEqualTo(model.Threshold);
        model.Probability(AnswerKind.Chain, Signals(0)).Should().BeLessThan(model.Threshold);
        ConfidenceFit.Fit(samples, l2: 0.01, threshold: 0.7).Threshold.Should().Be(0.7, "a threshold given is kept");
    }

    [Fact]
    public void NameExact_IsOneOnlyWhenEveryLinkIsAnEntitysFullUniqueName()
    {
        LinkedEntity Link(string matched, string name, string match = "exact") => new("e:" + name, name, "Organization", matched, match, 1);

        AnswerSignals.NameExact([Link("Halden Marine Ltd.", "Halden Marine Ltd.")]).Should().Be(1);
        AnswerSignals.NameExact([Link("Halden", "Halden Marine Ltd.")]).Should().Be(0, "a part of the name may be a look-alike's");
        AnswerSignals.NameExact([Link("Halden Marine Ltd.", "Halden Marine Ltd.", "ambiguous")]).Should().Be(0);
        AnswerSignals.NameExact([]).Should().Be(1);
    }

    private static CalibrationSample Chain(string dataset, double coverage, bool correct) =>
        new(dataset, AnswerKind.Chain, Signals(coverage), correct);

    private static Dictionary<string, double> Signals(double coverage) => new() { ["sentenceOverlap"] = coverage };
}
