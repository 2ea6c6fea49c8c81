using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Privacy;
using GraphRag.Llm.Extraction;

namespace GraphRag.Llm.Tests;

/// <summary>
/// Grounded extraction with a model (<c>ingest --llm</c>) through the real OpenAI connector against the fake server:
/// what is sent, what is kept and merged with provenance, what is dropped and counted, failures, budgets and privacy.
/// </summary>
public sealed class ModelExtractionTests : ExtractionHarness
{
    private const string Hired = "Helios Analytics hired a physicist named mara voss in 2003.";

    private async Task<Entity> EntityAsync(string name) =>
        (await Store.Graph.FindEntitiesAsync(new EntitySearch(name))).Should().ContainSingle().Subject;

    [Fact]
    public async Task Ingest_StructuredReply_MergesGroundedItemsIntoTheRuleGraphWithProvenance()
    {
        Server.Enqueue(Reply(
            [("mara voss", "Person", "mara voss"), ("Helios Analytics", "Organization", "Helios Analytics")],
            [("mara voss", "employed_by", "Helios Analytics", "Helios Analytics hired a physicist named mara voss")]));
        using var clients = Clients();

        var (results, extractor) = await IngestAsync(clients, Records(Hired));

        results.Should().ContainSingle().Which.Status.Should().Be(IngestStatus.Added);
        var voss = await EntityAsync("mara voss");
        voss.Type.Should().Be(EntityTypes.Person);
        var helios = await EntityAsync("Helios Analytics");
        var mentions = await Store.Graph.GetMentionsAsync(new MentionQuery { EntityIds = [voss.Id, helios.Id] });
        mentions.Should().Contain(m => m.EntityId == voss.Id && m.Extractor == Tag && m.Text == "mara voss");
        mentions.Where(m => m.EntityId == helios.Id).Should().ContainSingle("the model's mention of the same span merges into the rules' one")
            .Which.Extractor.Should().Be(Extractors.Rules);
        var employed = (await Store.Graph.GetRelationsAsync(new RelationQuery { EntityIds = [voss.Id], LabelledOnly = true }))
            .Should().ContainSingle().Subject;
        (employed.SourceId, employed.Label, employed.TargetId).Should().Be((voss.Id, "employed_by", helios.Id));
        var evidence = employed.Evidence.Should().ContainSingle().Subject;
        evidence.Extractor.Should().Be(Tag);
        evidence.Phrase.Should().Be("Helios Analytics hired a physicist named mara voss");
        Hired[evidence.Span.Start..evidence.Span.End].Should().Be(evidence.Phrase);

        var report = extractor.Report;
        (report.Requests, report.CachedChunks, report.EntitiesProposed, report.EntitiesKept, report.RelationsProposed, report.RelationsKept)
            .Should().Be((1, 0, 2, 2, 1, 1));
        report.Dropped.Total.Should().Be(0);
        report.Usage.Should().BeEquivalentTo(new { Requests = 1, InputTokens = 300L, OutputTokens = 60L });
        report.Usage.EstimatedCostUsd.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Ingest_Request_IsTheChunkWithInstructionsAndAJsonSchemaOfTheProfilesTypesAndLabels()
    {
        Server.Enqueue(Reply([]));
        using var clients = Clients();

        await IngestAsync(clients, Records(Hired));

        var request = Server.Requests.Single();
        request.Model.Should().Be(Model);
        request.Temperature.Should().Be(0);
        request.MaxTokens.Should().Be(400);
        request.Messages.Select(m => m.Role).Should().Equal("system", "user");
        request.Messages[1].Text.Should().Be(Hired, "the chunk is the only document text sent");
        request.Messages[0].Text.Should().Contain("copied exactly").And.Contain("employed_by").And.Contain("Organization");
        request.Text.Should().NotContain("Doc 1", "titles are not sent").And.NotContain("d1");
        request.ResponseFormat!["type"]!.GetValue<string>().Should().Be("json_schema");
        var schema = request.ResponseFormat["json_schema"]!["schema"]!;
        var types = schema["properties"]!["entities"]!["items"]!["properties"]!["type"]!["enum"]!.AsArray().Select(t => t!.GetValue<string>());
        var labels = schema["properties"]!["relations"]!["items"]!["properties"]!["label"]!["enum"]!.AsArray().Select(t => t!.GetValue<string>());
        types.Should().Equal("Person", "Organization", "Location", "Work", "Date", "Quantity", "Other");
        labels.Should().Contain(["founded_by", "employed_by", "born_in"]).And.NotContain(["co_occurs", "alias_of"]);
    }

    [Fact]
    public async Task Ingest_FabricatedQuotes_AreDroppedAndCounted()
    {
        Server.Enqueue(Reply(
            [
                ("Ingrid Halvorsen", "Person", "Ingrid Halvorsen"),
                ("Mara Voss-Lindqvist", "Person", "mara voss"),
                ("mara voss", "Person", "mara voss"),
            ],
            [
                ("mara voss", "founded_by", "Helios Analytics", "Helios Analytics was founded by mara voss"),
                ("mara voss", "employed_by", "Helios Analytics", "hired a physicist named mara voss"),
            ]));
        using var clients = Clients();

        var (_, extractor) = await IngestAsync(clients, Records(Hired));

        (await Store.Graph.FindEntitiesAsync(new EntitySearch("Ingrid Halvorsen"))).Should().BeEmpty();
        (await Store.Graph.FindEntitiesAsync(new EntitySearch("Mara Voss-Lindqvist"))).Should().BeEmpty("a name the chunk does not contain is ungrounded");
        var voss = await EntityAsync("mara voss");
        (await Store.Graph.GetRelationsAsync(new RelationQuery { EntityIds = [voss.Id], LabelledOnly = true }))
            .Select(r => r.Label).Should().Equal("employed_by");
        var report = extractor.Report;
        report.Dropped.QuoteNotFound.Should().Be(3);
        (report.EntitiesProposed, report.EntitiesKept, report.RelationsProposed, report.RelationsKept).Should().Be((3, 1, 2, 1));
    }

    [Fact]
    public async Task Ingest_TypeOrLabelOutsideTheProfile_IsDroppedAndCounted()
    {
        Server.Enqueue(Reply(
            [("mara voss", "Person", "mara voss"), ("Helios Analytics", "Spaceship", "Helios Analytics")],
            [
                ("mara voss", "invented_by", "Helios Analytics", "Helios Analytics hired a physicist named mara voss"),
                ("mara voss", "born_in", "Helios Analytics", "Helios Analytics hired a physicist named mara voss"),
                ("mara voss", "employed_by", "Nobody Inc", "Helios Analytics hired a physicist named mara voss"),
            ]));
        using var clients = Clients();

        var (_, extractor) = await IngestAsync(clients, Records(Hired));

        var voss = await EntityAsync("mara voss");
        (await Store.Graph.GetRelationsAsync(new RelationQuery { EntityIds = [voss.Id], LabelledOnly = true })).Should().BeEmpty();
        (await EntityAsync("Helios Analytics")).Type.Should().NotBe("Spaceship");
        var dropped = extractor.Report.Dropped;
        dropped.NotAllowed.Should().Be(3, "the type, the label, and born_in pointing at what the rules typed a person");
        dropped.UnknownEntity.Should().Be(1);
    }

    [Fact]
    public async Task Ingest_DomainProfileTypesAndRelations_AreWhatTheModelMayUse()
    {
        var profile = DomainProfile.Parse("""
            {
              "name": "medical",
              "entityTypes": [ { "name": "Drug", "gazetteer": ["aspirin"] }, { "name": "Condition", "gazetteer": ["headache"] } ],
              "relations": [ { "label": "treats", "sourceType": "Drug", "targetType": "Condition", "cues": ["is used to treat"] } ]
            }
            """);
        const string text = "Doctors say ibuprofen eases a migraine.";
        Server.Enqueue(Reply(
            [("ibuprofen", "Drug", "ibuprofen"), ("migraine", "Condition", "migraine")],
            [("ibuprofen", "treats", "migraine", "ibuprofen eases a migraine"), ("migraine", "treats", "ibuprofen", "ibuprofen eases a migraine")]));
        using var clients = Clients();
        var rules = new RuleBasedGraphExtractor(new ExtractionOptions(), profile);
        var extractor = ModelGraphExtractor.Create(clients, rules, profile, Store.Documents);

        await ListAsync(Pipeline(extractor).RunAsync([Records(text)]));

        extractor.Prompt.EntityTypes.Should().Contain(["Drug", "Condition"]);
        extractor.Prompt.RelationLabels.Should().Contain("treats");
        var drug = await EntityAsync("ibuprofen");
        var relations = await Store.Graph.GetRelationsAsync(new RelationQuery { EntityIds = [drug.Id], LabelledOnly = true });
        relations.Should().ContainSingle().Which.SourceId.Should().Be(drug.Id, "treats goes from a Drug to a Condition only");
        extractor.Report.Dropped.NotAllowed.Should().Be(1);
    }

    [Fact]
    public async Task Ingest_MalformedReply_IsCountedAndTheDocumentKeepsItsRuleGraph()
    {
        Server.Enqueue(FakeReply.Content("```json\n{\"entities\": [ {\"name\": \"mara voss\""), Reply([("mara voss", "Person", null!)]));
        using var clients = Clients();

        var (results, extractor) = await IngestAsync(clients, Records(Hired, "Oslo Harbour Works hired mara voss."));

        results.Select(r => r.Status).Should().Equal(IngestStatus.Added, IngestStatus.Added);
        (await Store.Graph.FindEntitiesAsync(new EntitySearch("Helios Analytics"))).Should().ContainSingle("the rules still ran");
        (await Store.Graph.FindEntitiesAsync(new EntitySearch("mara voss"))).Should().BeEmpty();
        extractor.Report.MalformedReplies.Should().Be(1);
        extractor.Report.Dropped.Malformed.Should().Be(1, "an entity without a quote");
    }

    [Fact]
    public async Task Ingest_RateLimitedThenServed_RetriesAfterTheServersDelayAndCountsOneRequest()
    {
        var time = new InstantTimeProvider();
        Server.Enqueue(FakeReply.Status(429, retryAfter: "2"), Reply([("mara voss", "Person", "mara voss")]));
        using var clients = LlmClientFactory.Create(
            new LlmOptions { Provider = LlmProvider.OpenAI, Endpoint = Server.OpenAIEndpoint, Model = Model, MaxRetries = 2 }, null, time, _ => null)!;

        var (results, extractor) = await IngestAsync(clients, Records(Hired));

        results.Should().ContainSingle().Which.Status.Should().Be(IngestStatus.Added);
        Server.Requests.Should().HaveCount(2);
        time.Waits.Should().Contain(TimeSpan.FromSeconds(2));
        extractor.Report.Requests.Should().Be(1);
        (await Store.Graph.FindEntitiesAsync(new EntitySearch("mara voss"))).Should().ContainSingle();
    }

    [Fact]
    public async Task Ingest_ServerErrorsPastTheRetries_FailTheDocumentWhichTheNextRunCompletes()
    {
        Server.Enqueue(FakeReply.Status(503), FakeReply.Status(503), FakeReply.Status(503), Reply([]));
        using var clients = Clients();
        var input = Records(Hired, "Oslo Harbour Works hired mara voss.");

        var (results, extractor) = await IngestAsync(clients, input);

        results.Select(r => r.Status).Should().Equal(IngestStatus.Failed, IngestStatus.Added);
        results[0].Reason.Should().Contain("failed on the server").And.Contain("503");
        (await Store.GetDocumentAsync("d1")).Should().BeNull("nothing of a document whose extraction failed is written");
        extractor.Report.FailedRequests.Should().Be(1);

        Server.Responder = _ => Reply([]);
        var (again, _) = await IngestAsync(clients, input);
        again.Select(r => r.Status).Should().Equal(IngestStatus.Added, IngestStatus.Unchanged);
    }

    [Fact]
    public async Task Ingest_RefusedKey_StopsTheRunWithNothingWritten()
    {
        Server.Enqueue(FakeReply.Status(401));
        using var clients = Clients();

        var (results, _) = await IngestAsync(clients, Records(Hired, "Second text.", "Third text."));

        results.Should().OnlyContain(r => r.Status == IngestStatus.NotProcessed);
        IngestSummary.From(results).StopReason.Should().Contain("refused the API key");
        Server.Requests.Should().ContainSingle();
        (await Store.GetCountsAsync()).Documents.Should().Be(0);
    }

    [Fact]
    public async Task Ingest_TokensPerRunSpent_StopsWithAClearMessageKeepingWhatWasWritten()
    {
        Server.Responder = _ => Reply([], promptTokens: 5_000, completionTokens: 100);
        using var clients = Clients(o => o.Budget.TokensPerRun = 3_000);

        var (results, extractor) = await IngestAsync(clients, Records(Hired, "Second text here.", "Third text here."));

        results.Select(r => r.Status).Should().Equal(IngestStatus.Added, IngestStatus.NotProcessed, IngestStatus.NotProcessed);
        var summary = IngestSummary.From(results);
        summary.NotProcessed.Should().Be(2);
        summary.StopReason.Should().Contain("token budget of 3000").And.Contain("Budget:TokensPerRun");
        Server.Requests.Should().ContainSingle("the refused request was never sent");
        (await Store.GetCountsAsync()).Documents.Should().Be(1);
        extractor.Report.Usage.TotalTokens.Should().Be(5_100);
    }

    [Theory]
    [InlineData(PiiPolicy.Mask, false)]
    [InlineData(PiiPolicy.Redact, false)]
    [InlineData(PiiPolicy.Keep, true)]
    public async Task Ingest_PersonalData_LeavesTheMachineOnlyUnderKeep(PiiPolicy policy, bool sent)
    {
        Server.Responder = _ => Reply([("mara voss", "Person", "mara voss")]);
        using var clients = Clients();
        const string text = "Helios Analytics hired mara voss (mara.voss@example.com, +47 22 33 44 55).";

        await IngestAsync(clients, new IngestRun { Paths = [Records(text)], PiiPolicy = policy });

        var prompt = Server.Requests.Single().Text;
        prompt.Contains("mara.voss@example.com", StringComparison.Ordinal).Should().Be(sent);
        prompt.Contains("+47 22 33 44 55", StringComparison.Ordinal).Should().Be(sent);
        prompt.Should().Contain("Helios Analytics hired mara voss");
    }

    [Fact]
    public async Task Ingest_QuoteOverPersonalData_NeverBecomesAMention()
    {
        // Under mask the model sees x's where the address was; quoting them grounds, but the mention touches masked text.
        Server.Responder = _ => Reply([("xxxxxxxxxxxxxxxxxxxxx", "Other", "xxxxxxxxxxxxxxxxxxxxx"), ("mara voss", "Person", "mara voss")]);
        using var clients = Clients();

        await IngestAsync(clients, Records("Helios Analytics hired mara voss (mara.voss@example.com)."));

        var mentions = await Store.Graph.GetMentionsAsync(new MentionQuery { ChunkIds = [.. (await Store.GetDocumentChunksAsync("d1")).Select(c => c.Id)] });
        mentions.Should().NotContain(m => m.Text.Contains('x') && m.Text.Length > 10);
        mentions.Should().Contain(m => m.Text == "mara voss");
    }
}
