using GraphRag.Graph.Abstractions;
using GraphRag.Query.Answering;

namespace GraphRag.Query.Tests;

public sealed class AnswerClassTests
{
    [Theory]
    [InlineData("In which country is Midway, in the same county as McRae?", "country")]
    [InlineData("What river flows through the city Kevin Durant played for?", "river")]
    [InlineData("Which venture capital firm led the round?", "company")]
    [InlineData("Which city is the capital of Westerzee?", "settlement")]
    [InlineData("What is the country where Baure is located named after?", null)]
    [InlineData("Who founded the company that makes the HX-7?", null)]
    [InlineData("What is the capital of Westerzee province?", null)]
    public void Asked_ReadsTheClassNounOfTheQuestionsOwnWhPhrase(string question, string? expected) =>
        AnswerClasses.Asked(question).Should().Be(expected);

    [Theory]
    [InlineData("What river flows through the city Kevin Durant played for?", new[] { "settlement" })]
    [InlineData("Where does the Merrimack River start in the state where the Kraus House is located?", new[] { "division" })]
    [InlineData("In which country is Midway, in the same county as McRae in the same state as KAGH-FM?", new[] { "county", "division" })]
    [InlineData("What is the capital of Westerzee province?", new string[0])]
    [InlineData("Which country is the country of origin of X?", new string[0])]
    public void Bridges_AreTheClassesTheQuestionStepsThrough(string question, string[] expected) =>
        AnswerClasses.Bridges(question).Should().BeEquivalentTo(expected);

    [Theory]
    [InlineData("Crossett is a city in Ashley County, Arkansas.", "Crossett", "settlement")]
    [InlineData("Wardville is a small unincorporated community in northern Atoka County.", "Wardville", "settlement")]
    [InlineData("London, the capital and largest city of England, lies on the Thames.", "London", "settlement")]
    [InlineData("Nigeria, officially the Federal Republic of Nigeria, is a federal republic in West Africa.", "Nigeria", "country")]
    [InlineData("\"I See Fire\" is a song recorded by Ed Sheeran.", "\"I See Fire\"", "song")]
    [InlineData("It acts as the border between the states of Texas and Oklahoma.", "Oklahoma", "division")]
    [InlineData("The town lies in the state of Oklahoma, near the border.", "Oklahoma", "division")]
    [InlineData("The North Canadian River crosses the plains.", "North Canadian River", "river")]
    [InlineData("Malta is a sovereign state in the Mediterranean.", "Malta", "country")]
    public void Describe_ReadsTheClassTheTextGivesTheMention(string text, string mention, string expected)
    {
        var start = text.IndexOf(mention, StringComparison.Ordinal);

        AnswerClasses.Describe(text, start, start + mention.Length).Should().Equal(expected);
    }

    [Theory]
    [InlineData("Peter Jackson is a New Zealand film director.", "Peter Jackson")]
    [InlineData("It is the capital of France.", "France")]
    [InlineData("He wrote about the rivers of England and Wales.", "Wales")]
    [InlineData("Oklahoma is in the nation's middle percentile in spending on the arts.", "Oklahoma")]
    [InlineData("He moved to the United States in 1990.", "United States")]
    [InlineData("It is the album of Top Gun.", "Top Gun")]
    [InlineData("He spent his youth in the company of Ada Lovelace.", "Ada Lovelace")]
    [InlineData("They sailed to the Virgin Islands.", "Virgin Islands")]
    public void Describe_ModifiersRelationsAndContainersNameNoClass(string text, string mention)
    {
        var start = text.IndexOf(mention, StringComparison.Ordinal);

        AnswerClasses.Describe(text, start, start + mention.Length).Should().BeEmpty();
    }

    [Theory]
    [InlineData("country", new[] { "settlement" }, AnswerClasses.Conflict)]
    [InlineData("country", new[] { AnswerClasses.Inside }, AnswerClasses.Conflict)]
    [InlineData("river", new[] { AnswerClasses.Inside }, AnswerClasses.Unknown)]
    [InlineData("river", new[] { "division", AnswerClasses.Inside }, AnswerClasses.Conflict)]
    [InlineData("country", new[] { "country", AnswerClasses.Inside }, AnswerClasses.Confirmed)]
    [InlineData("country", new string[0], AnswerClasses.Unknown)]
    public void Judge_ComparesTheAskedClassWithTheDescription(string asked, string[] described, double expected) =>
        AnswerClasses.Judge(asked, new HashSet<string>(), described.ToHashSet()).Should().Be(expected);

    [Fact]
    public void Judge_AnAnswerOfABridgesClassConflicts() =>
        AnswerClasses.Judge(null, new HashSet<string> { "division" }, new HashSet<string> { "division", AnswerClasses.Inside })
            .Should().Be(AnswerClasses.Conflict, "\"Where does X start in the state where Y is?\" is not answered by the state");

    /// <summary>
    /// The answer's class is read from every chunk that mentions it, not only the retrieved passages: what a document
    /// the caller cannot read says of the answer must not move its confidence (a side channel on that document).
    /// </summary>
    [Fact]
    public async Task QueryAsync_AnUnreadableDocumentDescribingTheAnswer_ChangesNothingForACallerWhoCannotReadIt()
    {
        const string Question = "In which country was Jan Teller born?";
        var results = new List<(QueryResult Scoped, QueryResult Everything)>();
        foreach (var secret in new[] { "Velmora is a small town in the province of Ostland.", "Velmora is a kingdom on the northern coast." })
        {
            var folder = Directory.CreateTempSubdirectory("graphrag-class-").FullName;
            var open = Directory.CreateDirectory(Path.Combine(folder, "open")).FullName;
            var closed = Directory.CreateDirectory(Path.Combine(folder, "closed")).FullName;
            await File.WriteAllTextAsync(
                Path.Combine(open, "teller.txt"), "Jan Teller\n\nJan Teller is a Dutch shipbuilder. Jan Teller was born in Velmora in 1961.");
            await File.WriteAllTextAsync(Path.Combine(closed, "velmora.txt"), "Velmora\n\n" + secret);
            await using var store = await SamplesFixture.OpenWithAclsAsync(Path.Combine(folder, "class.db"), [(open, "group:a"), (closed, "group:b")]);
            var engine = new QueryEngine(store, store, store, store, new ExtractiveAnswerGenerator(), new QueryEngineOptions());
            var documents = await store.ListDocumentsAsync(new DocumentListRequest(0, 10));
            var readable = documents.Where(d => d.Title == "Jan Teller").Select(d => d.Id).ToList();
            readable.Should().ContainSingle();
            var scope = new AccessScope("alice", readable.Contains, readable, acl => acl.Contains("group:a"));

            results.Add((
                await engine.QueryAsync(new QueryRequest { Question = Question, Scope = scope }),
                await engine.QueryAsync(new QueryRequest { Question = Question })));
        }

        results[0].Everything.ConfidenceSignals["answerClass"].Should().Be(AnswerClasses.Conflict, "a town is no country");
        results[1].Everything.ConfidenceSignals["answerClass"].Should().Be(AnswerClasses.Confirmed, "a kingdom is a country");
        results[0].Scoped.Candidate.Should().Be("Velmora");
        results[0].Scoped.ConfidenceSignals["answerClass"].Should().Be(AnswerClasses.Unknown);
        results[1].Scoped.Candidate.Should().Be(results[0].Scoped.Candidate);
        results[1].Scoped.Confidence.Should().Be(results[0].Scoped.Confidence);
        results[1].Scoped.ConfidenceSignals.Should().Equal(results[0].Scoped.ConfidenceSignals);
    }
}
