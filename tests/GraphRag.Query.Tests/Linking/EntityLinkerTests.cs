namespace GraphRag.Query.Tests.Linking;

public sealed class EntityLinkerTests(SamplesFixture samples) : IClassFixture<SamplesFixture>
{
    /// <summary>"11-1" gave the parts "11" and "1" overlapping spans, and the gap between them a negative length.</summary>
    [Fact]
    public async Task QueryAsync_QuestionWithRepeatedHyphenPart_AnswersOrDeclines()
    {
        var result = await samples.Engine.QueryAsync(new QueryRequest { Question = "What game did the team with an 11-1 record play?" });

        result.Answer.Should().NotBeNullOrEmpty();
    }
}
