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

    [Fact]
    public void StableId_SamePartsSameId_DifferentSplitDifferentId()
    {
        StableId.Create("x", "ab", "c").Should().Be(StableId.Create("x", "ab", "c"));
        StableId.Create("x", "ab", "c").Should().NotBe(StableId.Create("x", "a", "bc"));
        StableId.Create("x", "a").Should().MatchRegex("^x_[0-9a-f]{24}$");
    }
}
