using GraphRag.Graph.Sqlite;
using GraphRag.Query.Answering;

namespace GraphRag.Query.Tests;

/// <summary>A small made-up company corpus whose questions need relations beyond the first vocabulary, and three-step chains.</summary>
public sealed class CompanyChainsFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphrag-chains-").FullName;

    public SqliteGraphStore Store { get; private set; } = null!;

    public QueryEngine Engine { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var corpus = Directory.CreateDirectory(Path.Combine(_folder, "corpus")).FullName;
        await File.WriteAllTextAsync(Path.Combine(corpus, "saltmark-labs.md"), """
            # Saltmark Labs AS

            Saltmark Labs AS is a Danish maker of marine batteries. The company was founded by Oda Vik and Per Lunde in 2011 and is headquartered in Odense. Karl Nyström is the chief engineer of Saltmark Labs.
            """);
        await File.WriteAllTextAsync(Path.Combine(corpus, "oda-vik.md"), """
            # Oda Vik

            Oda Vik (born 1972) is a Danish chemist and the co-founder and chief executive of Saltmark Labs AS. Vik is married to the painter Jonas Holm.
            """);
        await File.WriteAllTextAsync(Path.Combine(corpus, "jonas-holm.md"), """
            # Jonas Holm

            Jonas Holm is a Danish painter. He was born in Ribe, Denmark, and studied in Copenhagen.
            """);
        await File.WriteAllTextAsync(Path.Combine(corpus, "karl-nystrom.md"), """
            # Karl Nyström

            Karl Nyström is a Swedish engineer. He was born in Umeå and joined Saltmark Labs in 2012.
            """);
        await File.WriteAllTextAsync(Path.Combine(corpus, "grenfjell-capital.md"), """
            # Grenfjell Capital

            Grenfjell Capital is a venture capital firm in Aarhus. It was founded in 2016 by Per Lunde, a co-founder of Saltmark Labs.
            """);
        await File.WriteAllTextAsync(Path.Combine(corpus, "tindra-boats.md"), """
            # Tindra Boats

            Tindra Boats, the Vejle start-up that builds electric ferries, has raised €4 million in a Series A round led by Grenfjell Capital. Tindra Boats was founded in 2019 by Maja Dahl.
            """);
        await File.WriteAllTextAsync(Path.Combine(corpus, "holm-county.md"), """
            # Norrvik

            Norrvik is a port city on the coast of Sweden and the capital of Holm County.
            """);
        Store = await SamplesFixture.OpenWithAclsAsync(Path.Combine(_folder, "chains.db"), [(corpus, null)]);
        Engine = new QueryEngine(Store, Store, Store, Store, new ExtractiveAnswerGenerator(), new QueryEngineOptions());
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

public sealed class RelationChainTests(CompanyChainsFixture corpus) : IClassFixture<CompanyChainsFixture>
{
    [Theory]
    [InlineData("Where was the spouse of Saltmark Labs' chief executive born?", "Ribe")]
    [InlineData("Which venture capital firm led the Series A round of the company founded by Maja Dahl?", "Grenfjell Capital")]
    [InlineData("Which city is the capital of Holm County?", "Norrvik")]
    [InlineData("Who co-founded Saltmark Labs with the founder of the venture firm that led Tindra Boats' Series A round?", "Oda Vik")]
    public async Task QueryAsync_ChainAlongCompanyRelations_Answers(string question, string expected)
    {
        var result = await corpus.Engine.QueryAsync(new QueryRequest { Question = question });

        result.InsufficientEvidence.Should().BeFalse();
        result.Answer.Should().Be(expected);
    }

    [Theory]
    [InlineData("Which venture capital firm led the round?", new[] { "venture", "capital" })]
    [InlineData("Which city is the capital of Holm County?", new[] { "city" })]
    [InlineData("In which city was Oda Vik born?", new string[0])]
    [InlineData("In what county is the city where Oda Vik was born?", new string[0])]
    public void KindWords_NameTheAnswersKind(string question, string[] expected)
    {
        AnswerTypes.KindWords(question).Should().Equal(expected);
    }

    [Fact]
    public void PartnerLinks_WithPhraseAfterANamedEntity_AreTheEntitiesInsideIt()
    {
        LinkedEntity[] links =
        [
            new("e1", "Saltmark Labs", "Organization", "Saltmark Labs", "exact", 2),
            new("e2", "Tindra Boats", "Organization", "Tindra Boats", "exact", 2),
        ];

        QueryEngine.PartnerLinks("Who co-founded Saltmark Labs with the founder of the firm that backed Tindra Boats?", links)
            .Should().BeEquivalentTo(["e2"]);
        QueryEngine.PartnerLinks("Which ship was fitted with the sonar made by Tindra Boats?", links).Should().BeEmpty();
    }
}
