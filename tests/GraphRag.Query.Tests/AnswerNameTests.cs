using GraphRag.Query.Answering;

namespace GraphRag.Query.Tests;

public sealed class AnswerNameTests(SamplesFixture samples) : IClassFixture<SamplesFixture>
{
    [Theory]
    [InlineData("Halvorsen", "Ingrid Halvorsen", "Person", "Ingrid Halvorsen")]
    [InlineData("Lucía Vega", "Lucía de la Vega", "Person", "Lucía de la Vega")]
    [InlineData("Tidewater", "Tidewater Robotics", "Organization", "Tidewater Robotics")]
    [InlineData("Northwind Systems B.V.", "Northwind Systems", "Organization", "Northwind Systems B.V.")]
    [InlineData("AIP", "American Institute of Physics", "Organization", "AIP")]
    [InlineData("Lindqvist", "Ingrid Halvorsen", "Person", "Lindqvist")]
    [InlineData("1930", "12 March 1930", "Date", "1930")]
    [InlineData("Halvorsen", null, "Person", "Halvorsen")]
    public void For_MentionAndCanonicalName_NamesTheEntityInFullOnlyForAFragment(string mention, string? canonical, string type, string expected) =>
        AnswerNames.For(mention, canonical, type).Should().Be(expected);

    /// <summary>The answer was the bare surname "Halvorsen" although the entity's full name, Ingrid Halvorsen, is known.</summary>
    [Fact]
    public async Task QueryAsync_AnswerMentionIsASurname_AnswersTheFullNameCitingTheStoredMention()
    {
        var result = await samples.Engine.QueryAsync(new QueryRequest { Question = "Who is married to the director of the documentary 'The Quiet Fleet'?" });

        result.InsufficientEvidence.Should().BeFalse();
        result.Answer.Should().Be("Ingrid Halvorsen");
        foreach (var citation in result.Citations)
        {
            var document = await samples.Store.GetDocumentAsync(citation.DocumentId);
            document!.Text[citation.Start..citation.End].Should().Be(citation.Quote);
        }
    }
}
