using GraphRag.Query;

namespace GraphRag.Llm.Tests;

/// <summary>A planning model between retrieval rounds, over the samples' graph.</summary>
public sealed class HopPlannerTests : IClassFixture<SamplesStore>, IAsyncLifetime
{
    private const string Question = "In which town was the chief executive of the company that owns the maker of the HX-7 hydrophone born?";

    private readonly SamplesStore _samples;
    private FakeChatServer _server = null!;

    public HopPlannerTests(SamplesStore samples) => _samples = samples;

    public async Task InitializeAsync() => _server = await FakeChatServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private LlmClients Clients(long? perQuery = null)
    {
        var options = new LlmOptions { Provider = LlmProvider.OpenAI, Endpoint = _server.OpenAIEndpoint, Model = "gpt-4o-mini", ApiKey = "sk" };
        options.Roles.Answering.Provider = LlmProvider.None;
        options.Budget.TokensPerQuery = perQuery;
        return LlmClientFactory.Create(options, null, new InstantTimeProvider(), _ => null)!;
    }

    [Fact]
    public async Task QueryAsync_PlanningModel_EachStepIsInTheHopTraceWithItsCost_AndOnlyVisibleNamesBecomeBridges()
    {
        _server.Responder = _ => FakeReply.Json(
            new { enough = false, subQuestion = "Who is the chief executive of Tidewater Robotics?", entities = new[] { "Tidewater Robotics", "Atlantis Corp" } },
            promptTokens: 900,
            completionTokens: 40);
        using var clients = Clients();

        var result = await _samples.Engine(clients).QueryAsync(new QueryRequest { Question = Question, MaxHops = 3 });

        _server.Requests.Should().HaveCount(2, "one step before each further round");
        _server.Requests[0].Messages[1].Text.Should().StartWith("Question: " + Question).And.Contain("Passages found so far:\n[1] ");
        var first = result.Hops[0].Plan!;
        first.SubQuestion.Should().Be("Who is the chief executive of Tidewater Robotics?");
        first.Proposed.Should().Equal("Tidewater Robotics", "Atlantis Corp");
        first.Accepted.Should().Equal("Tidewater Robotics");
        first.Rejected.Should().Equal("Atlantis Corp");
        first.Usage.Should().Be(new Graph.Model.LlmUsage { Requests = 1, InputTokens = 900, OutputTokens = 40, EstimatedCostUsd = 0.000159m });
        result.Hops[1].BridgeEntities[0].Should().Be("Tidewater Robotics");
        result.Hops[1].Query.Should().Contain("executive");
        result.Hops[^1].Plan.Should().BeNull("no round follows the last");
        result.Usage!.Requests.Should().Be(2);
    }

    [Fact]
    public async Task QueryAsync_PlannerSaysEnough_StopsTheRounds()
    {
        _server.Responder = _ => FakeReply.Json(new { enough = true, subQuestion = string.Empty, entities = Array.Empty<string>() });
        using var clients = Clients();

        var result = await _samples.Engine(clients).QueryAsync(new QueryRequest { Question = Question, MaxHops = 3 });

        result.Hops.Should().ContainSingle();
        result.Hops[0].Plan!.Accepted.Should().BeEmpty();
    }

    [Fact]
    public async Task QueryAsync_PlanningOverTheQueryBudget_IsSkippedWithTheReasonAndRetrievalGoesOn()
    {
        _server.Responder = _ => FakeReply.Json(new { enough = false, subQuestion = string.Empty, entities = Array.Empty<string>() });
        using var clients = Clients(perQuery: 300);
        var plain = await _samples.Engine().QueryAsync(new QueryRequest { Question = Question, MaxHops = 3 });

        var result = await _samples.Engine(clients).QueryAsync(new QueryRequest { Question = Question, MaxHops = 3 });

        _server.Requests.Should().BeEmpty();
        result.Hops[0].Plan!.Note.Should().StartWith("token budget of 300 for this query exhausted after 0 tokens");
        result.Passages.Select(p => p.Chunk.Id).Should().Equal(plain.Passages.Select(p => p.Chunk.Id), "the graph's own bridges carry on");
    }
}
