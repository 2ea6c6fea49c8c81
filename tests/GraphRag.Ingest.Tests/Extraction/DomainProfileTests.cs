using GraphRag.Graph;
using GraphRag.Ingest.Extraction;
using static GraphRag.Ingest.Tests.Extraction.ExtractionFixtures;

namespace GraphRag.Ingest.Tests.Extraction;

public sealed class DomainProfileTests
{
    private const string Profile = """
        {
          "name": "medical-test",
          "entityTypes": [
            { "name": "Drug", "gazetteer": ["aspirin", "ibuprofen"], "patterns": ["\\b[a-z]+mab\\b"] },
            { "name": "Condition", "gazetteer": ["headache", "bleeding", "rheumatoid arthritis"] }
          ],
          "synonyms": [ { "surface": "acetylsalicylic acid", "canonical": "aspirin" } ],
          "relations": [
            { "label": "treats", "sourceType": "Drug", "targetType": "Condition", "cues": ["is used to treat"] },
            { "label": "treats", "sourceType": "Drug", "targetType": "Condition", "cues": ["is treated with"], "reverse": true },
            { "label": "causes", "sourceType": "Drug", "targetType": "Condition", "pattern": "{source} (?:can |may )?causes? {target}" }
          ]
        }
        """;

    [Fact]
    public void Extract_ProfileTypeAndSynonym_MergeIntoOneTypedEntity()
    {
        var extractor = new RuleBasedGraphExtractor(new ExtractionOptions(), DomainProfile.Parse(Profile));

        var graph = Extract("Aspirin is used to treat headache. Acetylsalicylic acid can cause bleeding. Adalimumab helps.", extractor: extractor);

        var aspirin = graph.Entity("aspirin");
        aspirin.Type.Should().Be("Drug");
        aspirin.Key.Should().Be("aspirin");
        graph.MentionsOf(aspirin).Select(m => m.Text).Should().BeEquivalentTo(["Aspirin", "Acetylsalicylic acid"]);
        graph.MentionsOf(aspirin).Single(m => m.Text == "Acetylsalicylic acid").Resolution.Should().Be("alias:synonym");
        graph.Entity("headache").Type.Should().Be("Condition");
        graph.Entity("Adalimumab").Type.Should().Be("Drug");
    }

    [Fact]
    public void Extract_ProfileRelations_CueReverseAndPattern()
    {
        var extractor = new RuleBasedGraphExtractor(new ExtractionOptions(), DomainProfile.Parse(Profile));

        var graph = Extract(
            "Aspirin is used to treat headache. Rheumatoid arthritis is treated with ibuprofen. Acetylsalicylic acid can cause bleeding.",
            extractor: extractor);

        var aspirin = graph.Entity("aspirin").Id;
        graph.Labelled("treats").Select(r => (r.SourceId, r.TargetId)).Should().BeEquivalentTo(
            [(aspirin, graph.Entity("headache").Id), (graph.Entity("ibuprofen").Id, graph.Entity("rheumatoid arthritis").Id)]);
        var causes = graph.Labelled("causes").Should().ContainSingle().Subject;
        causes.SourceId.Should().Be(aspirin);
        causes.TargetId.Should().Be(graph.Entity("bleeding").Id);
        causes.Evidence.Single().Phrase.Should().Be("can cause");
    }

    [Fact]
    public void Version_ChangesWithProfile()
    {
        var plain = new RuleBasedGraphExtractor();
        var withProfile = new RuleBasedGraphExtractor(new ExtractionOptions(), DomainProfile.Parse(Profile));
        var changed = new RuleBasedGraphExtractor(new ExtractionOptions(), DomainProfile.Parse(Profile.Replace("ibuprofen", "naproxen", StringComparison.Ordinal)));

        withProfile.Version.Should().NotBe(plain.Version);
        changed.Version.Should().NotBe(withProfile.Version);
        new RuleBasedGraphExtractor(new ExtractionOptions(), DomainProfile.Parse(Profile)).Version.Should().Be(withProfile.Version);
    }

    [Fact]
    public async Task LoadAsync_ExampleProfile_LoadsAndExtracts()
    {
        var profile = await DomainProfile.LoadAsync(SourceTree.File("src/Ingest/Extraction/Profiles/medical.example.json"));
        var extractor = new RuleBasedGraphExtractor(new ExtractionOptions(), profile);

        var graph = Extract("Acetaminophen relieves headache. A heart attack is treated with aspirin.", extractor: extractor);

        profile.EntityTypes.Select(t => t.Name).Should().Contain(["Drug", "Condition"]);
        graph.Entity("paracetamol").Type.Should().Be("Drug");
        graph.Entity("myocardial infarction").Type.Should().Be("Condition");
        graph.Labelled("treats").Should().HaveCount(2);
    }

    [Fact]
    public async Task ExampleProfile_SentenceWithOverlappingDateMentions_Extracts()
    {
        // "12 March 1930" and "1930" are both mentions and overlap: no cue phrase lies between them, and the
        // document must not fail (it threw ArgumentOutOfRangeException on a negative slice).
        var profile = await DomainProfile.LoadAsync(SourceTree.File("src/Ingest/Extraction/Profiles/medical.example.json"));
        var extractor = new RuleBasedGraphExtractor(new ExtractionOptions(), profile);

        var graph = Extract(
            "Aspirin was approved on 12 March 1930 in Berlin, and in 1930 aspirin is used to treat headache.",
            extractor: extractor);

        graph.Labelled("treats").Should().ContainSingle();
    }

    [Theory]
    [InlineData("{ \"name\": \"x\", \"entityTypes\": [ { \"name\": \"Drug\", \"patterns\": [\"(unclosed\"] } ] }", "entityTypes[0].patterns[0] is not a valid regular expression")]
    [InlineData("{ \"name\": \"x\", \"entityTypez\": [] }", "entityTypez")]
    [InlineData("{ \"entityTypes\": [] }", "name is required")]
    [InlineData("{ \"name\": \"x\", \"relations\": [ { \"label\": \"Treats It\", \"cues\": [\"treats\"] } ] }", "relations[0].label 'Treats It'")]
    [InlineData("{ \"name\": \"x\", \"relations\": [ { \"label\": \"treats\", \"pattern\": \"{source} treats\" } ] }", "{source} and {target} exactly once")]
    [InlineData("{ \"name\": \"x\", \"relations\": [ { \"label\": \"treats\", \"sourceType\": \"Drugg\", \"cues\": [\"treats\"] } ] }", "sourceType 'Drugg'")]
    [InlineData("{ \"name\": \"x\", \"synonyms\": [ { \"surface\": \"ASA\", \"canonical\": \"aspirin\" }, { \"surface\": \"asa\", \"canonical\": \"ascorbic acid\" } ] }", "already a synonym")]
    [InlineData("{ \"name\": \"x\", \"entityTypes\": [ { \"name\": \"Drug\" } ] }", "needs at least one gazetteer phrase or pattern")]
    [InlineData("not json", "is not valid")]
    public async Task LoadAsync_InvalidProfile_ThrowsClearException(string json, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"profile-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, json);
        try
        {
            var act = () => DomainProfile.LoadAsync(path);

            var error = (await act.Should().ThrowAsync<DomainProfileException>()).Which;
            error.Message.Should().Contain(path).And.Contain(expected);
            error.Should().BeAssignableTo<GraphRagException>();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task LoadAsync_MissingFile_ThrowsClearException()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json");

        var act = () => DomainProfile.LoadAsync(path);

        (await act.Should().ThrowAsync<DomainProfileException>()).Which.Message.Should().Contain(path).And.Contain("cannot be read");
    }

    [Fact]
    public void Parse_BacktrackingPatternThatRunsAway_FailsTheDocumentNamingThePattern()
    {
        // A lookahead forces the backtracking engine; the nested quantifier then backtracks catastrophically.
        var profile = DomainProfile.Parse("""
            { "name": "redos", "regexTimeoutMilliseconds": 5,
              "entityTypes": [ { "name": "Bad", "caseInsensitive": false, "patterns": ["(?=a)(a+)+b"] } ] }
            """);
        var extractor = new RuleBasedGraphExtractor(new ExtractionOptions(), profile);

        var act = () => Extract(new string('a', 5000) + "!", extractor: extractor);

        act.Should().Throw<GraphRagException>().WithMessage("*(?=a)(a+)+b*time limit*");
    }
}
