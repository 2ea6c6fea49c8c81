namespace GraphRag.Query.Tests;

public sealed class AnswerPathTests(SamplesFixture samples) : IClassFixture<SamplesFixture>
{
    /// <summary>The relation chain was listed first and again as the path search found it, so `query` printed it twice.</summary>
    [Theory]
    [InlineData("Who is married to the director of the documentary 'The Quiet Fleet'?")]
    [InlineData("Who co-founded Tidewater Robotics with the founder of the venture firm that led Kelpie Autonomy's Series A round?")]
    [InlineData("Which ferry was struck by an uncrewed vessel built by a subsidiary of Seaborne Systems Group?")]
    public async Task QueryAsync_ChainAlsoFoundByPathSearch_ListsEachPathOnce(string question)
    {
        // Which paths are listed is under test, not whether the answer's calibrated confidence clears the threshold.
        var engine = new QueryEngine(
            samples.Store, samples.Store, samples.Store, samples.Store, new Answering.ExtractiveAnswerGenerator(), new QueryEngineOptions { InsufficientEvidenceThreshold = 0 });
        var result = await engine.QueryAsync(new QueryRequest { Question = question });

        result.Paths.Should().NotBeEmpty();
        result.Paths.Select(p => string.Join(" ", p.Steps.Select(s => s.RelationId))).Should().OnlyHaveUniqueItems();
    }
}
