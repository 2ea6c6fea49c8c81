namespace GraphRag.Graph.Tests;

public sealed class EntityKeyTests
{
    [Theory]
    [InlineData("The Beatles", "beatles")]
    [InlineData("Beatles'", "beatles")]
    [InlineData("Nolan's", "nolan")]
    [InlineData("Lucía de la Vega", "lucia de la vega")]
    [InlineData("U.S.", "us")]
    [InlineData("O'Brien", "obrien")]
    [InlineData("Person - centered therapy", "person centered therapy")]
    [InlineData("Person-centered therapy", "person centered therapy")]
    [InlineData("  G. Stanley   Hall ", "g stanley hall")]
    [InlineData("Nautilux Sensing B.V.", "nautilux sensing")]
    [InlineData("Tidewater Robotics AS", "tidewater robotics")]
    [InlineData("Apple Inc.", "apple")]
    [InlineData("Inc.", "inc")]
    public void Normalize_VariantsOfOneName_GiveOneKey(string name, string key) =>
        EntityKey.Normalize(name).Should().Be(key);

    /// <summary>Unicode normalisation threw ArgumentException on an unpaired surrogate in a question.</summary>
    [Theory]
    [InlineData("Nautilux \uD800 Sensing", "nautilux sensing")]
    [InlineData("\uDE00Halvorsen\uD83D", "halvorsen")]
    [InlineData("Bre\uD83D\uDC4Dnnsund", "bre nnsund")]
    public void Normalize_UnpairedSurrogate_IsLeftOutOfTheKey(string name, string key) =>
        EntityKey.Normalize(name).Should().Be(key);

    [Fact]
    public void ReplaceLoneSurrogates_KeepsPairsAndLengthReplacesTheRest()
    {
        const string text = "a\uD83D\uDC4Db\uD800c\uDC00\uD800";

        var wellFormed = Text.WellFormedText.ReplaceLoneSurrogates(text);

        wellFormed.Should().Be("a\uD83D\uDC4Db\uFFFDc\uFFFD\uFFFD");
        Text.WellFormedText.ReplaceLoneSurrogates("plain").Should().BeSameAs("plain");
    }

    [Fact]
    public void StableId_SamePartsSameId_DifferentSplitDifferentId()
    {
        StableId.Create("x", "ab", "c").Should().Be(StableId.Create("x", "ab", "c"));
        StableId.Create("x", "ab", "c").Should().NotBe(StableId.Create("x", "a", "bc"));
        StableId.Create("x", "a").Should().MatchRegex("^x_[0-9a-f]{24}$");
    }
}
