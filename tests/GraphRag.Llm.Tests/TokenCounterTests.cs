using GraphRag.Graph.Model;

namespace GraphRag.Llm.Tests;

public sealed class TokenCounterTests
{
    [Theory]
    [InlineData("gpt-4o", "o200k_base", false)]
    [InlineData("gpt-4o-mini-2024-07-18", "o200k_base", false)]
    [InlineData("gpt-4.1-nano", "o200k_base", false)]
    [InlineData("o3-mini", "o200k_base", false)]
    [InlineData("ft:gpt-4o-mini:acme::abc", "o200k_base", false)]
    [InlineData("gpt-4-turbo", "cl100k_base", false)]
    [InlineData("gpt-3.5-turbo", "cl100k_base", false)]
    [InlineData("llama3.1", "o200k_base", true)]
    [InlineData(null, "o200k_base", true)]
    public void For_Model_ChoosesItsEncodingOrSaysItApproximates(string? model, string encoding, bool approximation)
    {
        var counter = TokenCounter.For(model);

        counter.Encoding.Should().Be(encoding);
        counter.IsApproximation.Should().Be(approximation);
    }

    [Fact]
    public void Count_KnownText_MatchesTheEncoding()
    {
        // "hello world" is two tokens in both encodings; the encodings differ on longer text.
        TokenCounter.For("gpt-4o").Count("hello world").Should().Be(2);
        TokenCounter.For("gpt-4").Count("hello world").Should().Be(2);
        TokenCounter.For("gpt-4o").Count(string.Empty).Should().Be(0);
    }

    [Fact]
    public void For_ConfiguredTokenizer_OverridesTheModels()
    {
        TokenCounter.For("gpt-4o", "cl100k_base").Encoding.Should().Be("cl100k_base");
        var act = () => TokenCounter.For("gpt-4o", "p50k_base");
        act.Should().Throw<ArgumentException>();
    }
}

public sealed class PriceTableTests
{
    [Fact]
    public void Find_DatedSnapshot_UsesTheLongestKnownPrefix()
    {
        var prices = new PriceTable();

        prices.Find("gpt-4o-mini-2024-07-18")!.Value.InputPerMillion.Should().Be(0.15m);
        prices.Find("gpt-4o-2024-08-06")!.Value.InputPerMillion.Should().Be(2.50m);
        prices.Find("llama3.1").Should().BeNull();
    }

    [Fact]
    public void Find_ConfiguredPrice_ReplacesTheEstimateAndPricesDeployments()
    {
        var prices = new PriceTable(new Dictionary<string, LlmPrice>
        {
            ["gpt-4o"] = new() { InputPerMillion = 2m, OutputPerMillion = 6m },
            ["my-deployment"] = new() { InputPerMillion = 1m, OutputPerMillion = 1m },
            ["llama3.1"] = new() { InputPerMillion = 0m, OutputPerMillion = 0m },
        });

        prices.Find("gpt-4o")!.Value.Should().Be((2m, 6m, true));
        prices.Cost("my-deployment", 500_000, 500_000).Should().Be(1m);
        prices.Cost("llama3.1", 10_000, 10_000).Should().Be(0m);
    }

    [Fact]
    public void Usage_UnknownModel_HasNoCost_AndSumsStayUnknown()
    {
        var prices = new PriceTable();
        var known = prices.Usage("gpt-4o", 1, 1000, 100);
        var unknown = prices.Usage("mystery", 1, 1000, 100);

        known.EstimatedCostUsd.Should().Be(0.0035m);
        unknown.EstimatedCostUsd.Should().BeNull();
        LlmUsage.None.Add(known).Add(unknown).EstimatedCostUsd.Should().BeNull();
        LlmUsage.None.Add(known).Should().Be(known);
    }
}
