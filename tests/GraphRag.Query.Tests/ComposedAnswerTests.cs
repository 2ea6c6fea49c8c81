using GraphRag.Graph.Sqlite;
using GraphRag.Query.Answering;

namespace GraphRag.Query.Tests;

/// <summary>Two companies' reports with near-identical names, for answers composed of several cited sentences.</summary>
public sealed class LookalikeReportsFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphrag-composed-").FullName;

    public SqliteGraphStore Store { get; private set; } = null!;

    public QueryEngine Engine { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var corpus = Directory.CreateDirectory(Path.Combine(_folder, "reports")).FullName;
        await File.WriteAllTextAsync(Path.Combine(corpus, "halden-marine-ltd.md"), """
            # Halden Marine Ltd. annual report 2023

            Halden Marine Ltd. is a British maker of harbour cranes based in Hull. Its chief executive is Oliver Brandt. In 2023 Halden Marine Ltd. reported revenue of £42 million, up from £37 million in 2022. The company employs 310 people and was founded in 1978 by Peter Halden.

            In 2015 Halden Marine Ltd. acquired Fjord Cranes AS. In 2019 Halden Marine Ltd. acquired Tyne Lifting Ltd.
            """);
        await File.WriteAllTextAsync(Path.Combine(corpus, "halden-marine-co.md"), """
            # Halden Marine Co. annual report 2023

            Halden Marine Co. is a Danish shipping agent based in Esbjerg. Its chief executive is Mette Sørensen. In 2023 Halden Marine Co. reported revenue of DKK 118 million. The company employs 95 people and was founded in 2004 by Lars Halden.
            """);
        Store = await SamplesFixture.OpenWithAclsAsync(Path.Combine(_folder, "reports.db"), [(corpus, null)]);
        // Composition is under test here, not the decision to decline: every candidate answer is returned.
        Engine = new QueryEngine(Store, Store, Store, Store, new ExtractiveAnswerGenerator(), new QueryEngineOptions { InsufficientEvidenceThreshold = 0 });
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

public sealed class ComposedAnswerTests(LookalikeReportsFixture reports) : IClassFixture<LookalikeReportsFixture>
{
    [Fact]
    public async Task Comparison_GivesBothValuesSideBySide_EachCitedFromItsOwnReport()
    {
        var result = await AskAsync("Compare the revenue of Halden Marine Ltd. and Halden Marine Co.");

        result.Kind.Should().Be(AnswerKind.Comparison);
        result.Answer.Should().MatchRegex("^Halden Marine Ltd.: (£|GBP )42 million; Halden Marine Co.: (DKK )?118 million$");
        result.Claims.Should().HaveCount(2);
        result.Claims![0].Citations.Should().ContainSingle().Which.DocumentId.Should().EndWith("halden-marine-ltd.md");
        result.Claims![1].Citations.Should().ContainSingle().Which.DocumentId.Should().EndWith("halden-marine-co.md");
    }

    [Theory]
    [InlineData("Which company was founded earlier, Halden Marine Ltd. or Halden Marine Co.?", "Halden Marine Ltd.", "1978", "2004")]
    [InlineData("Which company has more employees, Halden Marine Ltd. or Halden Marine Co.?", "Halden Marine Ltd.", "310", "95")]
    [InlineData("Which company has fewer employees, Halden Marine Ltd. or Halden Marine Co.?", "Halden Marine Co.", "310", "95")]
    public async Task ChoiceOnAValue_PicksByTheCitedValues(string question, string expected, string ltd, string co)
    {
        var result = await AskAsync(question);

        result.Answer.Should().Be(expected);
        result.Claims!.Select(c => c.Text).Should().Equal($"Halden Marine Ltd.: {ltd}", $"Halden Marine Co.: {co}");
        result.Claims.Should().OnlyContain(c => c.Citations.Count == 1);
    }

    [Fact]
    public async Task Summary_IsSentencesOfTheNamedCompanysReport_NotItsLookalikes()
    {
        var result = await AskAsync("Tell me about Halden Marine Co.");

        result.Kind.Should().Be(AnswerKind.Summary);
        result.Claims.Should().HaveCountGreaterThan(1);
        result.Claims!.SelectMany(c => c.Citations).Should().OnlyContain(c => c.DocumentId.EndsWith("halden-marine-co.md", StringComparison.Ordinal));
        result.Answer.Should().Contain("Danish shipping agent");
    }

    [Fact]
    public async Task Timeline_OrdersTheDatedSentencesOfTheNamedCompany()
    {
        var result = await AskAsync("What happened to Halden Marine Ltd.?");

        result.Kind.Should().Be(AnswerKind.Timeline);
        var years = result.Claims!.Select(c => System.Text.RegularExpressions.Regex.Match(c.Text, @"\b(19|20)\d\d\b").Value).ToList();
        years.Should().BeInAscendingOrder().And.Contain(["1978", "2015", "2019"]);
        result.Claims!.SelectMany(c => c.Citations).Should().OnlyContain(c => c.DocumentId.EndsWith("halden-marine-ltd.md", StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_NamesEveryCompanyTheQuestionAsksFor_EachCited()
    {
        var result = await AskAsync("Which companies did Halden Marine Ltd. acquire?");

        result.Kind.Should().Be(AnswerKind.List);
        result.Answer.Should().Contain("Fjord Cranes").And.Contain("Tyne Lifting");
        result.Claims.Should().OnlyContain(c => c.Citations.Count == 1);
    }

    [Theory]
    [InlineData("Who is the chief executive of Halden Marine Co.?", "Mette Sørensen", "halden-marine-co.md")]
    [InlineData("Who is the chief executive of Halden Marine Ltd.?", "Oliver Brandt", "halden-marine-ltd.md")]
    public async Task LookalikeCompanies_AreAnsweredFromTheNamedCompanysReport(string question, string expected, string document)
    {
        var result = await AskAsync(question);

        result.Answer.Should().Be(expected);
        result.Citations[0].DocumentId.Should().EndWith(document);
    }

    [Theory]
    [InlineData("Compare the revenue of Halden Marine Ltd. and Halden Marine Co.")]
    [InlineData("Tell me about Halden Marine Co.")]
    [InlineData("What happened to Halden Marine Ltd.?")]
    [InlineData("Which companies did Halden Marine Ltd. acquire?")]
    public async Task EveryClaimsQuote_IsTheStoredTextAtItsSpan(string question)
    {
        var result = await AskAsync(question);

        foreach (var citation in result.Claims!.SelectMany(c => c.Citations).Concat(result.Citations))
        {
            var document = await reports.Store.GetDocumentAsync(citation.DocumentId);
            document!.Text[citation.Start..citation.End].Should().Be(citation.Quote);
        }
    }

    private Task<QueryResult> AskAsync(string question) => reports.Engine.QueryAsync(new QueryRequest { Question = question });
}
