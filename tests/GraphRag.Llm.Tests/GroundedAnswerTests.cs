using GraphRag.Query;

namespace GraphRag.Llm.Tests;

/// <summary>Grounded answers through the real connector, a real store and the real query engine; only the model is scripted.</summary>
public sealed class GroundedAnswerTests : IClassFixture<SamplesStore>, IAsyncLifetime
{
    private const string Question = "Which company acquired the maker of the HX-7 hydrophone?";

    private readonly SamplesStore _samples;
    private FakeChatServer _server = null!;

    public GroundedAnswerTests(SamplesStore samples) => _samples = samples;

    public async Task InitializeAsync() => _server = await FakeChatServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private LlmClients Clients(Action<LlmOptions>? configure = null)
    {
        var options = new LlmOptions
        {
            Provider = LlmProvider.OpenAI,
            Endpoint = _server.OpenAIEndpoint,
            Model = "gpt-4o-mini",
            ApiKey = "sk-test",
        };
        options.Roles.Planning.Provider = LlmProvider.None;
        configure?.Invoke(options);
        return LlmClientFactory.Create(options, null, new InstantTimeProvider(), _ => null)!;
    }

    private static QueryRequest Ask(string question = Question) => new() { Question = question };

    [Fact]
    public async Task QueryAsync_VerifiedQuote_BecomesASpanCitationOfTheStoredText()
    {
        _server.Responder = request =>
        {
            var passages = Prompts.Passages(request);
            return Prompts.Answer(("The first passage says so.", [(1, Prompts.FirstSentence(passages[1]))]));
        };
        using var clients = Clients();

        var result = await _samples.Engine(clients).QueryAsync(Ask());

        result.InsufficientEvidence.Should().BeFalse();
        result.Answer.Should().Be("The first passage says so.");
        result.Claims.Should().ContainSingle();
        var citation = result.Claims![0].Citations.Single();
        citation.Quote.Should().Be(await _samples.StoredTextAsync(citation));
        citation.ChunkId.Should().Be(result.Passages[0].Chunk.Id);
        result.Citations[0].Should().Be(citation);
        result.DroppedClaims.Should().BeEmpty();
        result.AnswerNote.Should().BeNull();
    }

    [Fact]
    public async Task QueryAsync_Prompt_CarriesTheQuestionNumberedTitledPassagesAndTheSchema()
    {
        _server.Enqueue(Prompts.Answer());
        using var clients = Clients();

        var result = await _samples.Engine(clients).QueryAsync(Ask());

        var request = _server.Requests.Single();
        request.Messages[0].Role.Should().Be("system");
        request.Messages[0].Text.Should().Contain("quote copied exactly");
        var user = request.Messages[1].Text;
        user.Should().StartWith("Question: " + Question);
        for (var i = 0; i < result.Passages.Count; i++)
        {
            user.Should().Contain($"[{i + 1}] {result.Passages[i].DocumentTitle}\n{result.Passages[i].Chunk.Text}");
        }

        request.ResponseFormat!["json_schema"]!["name"]!.GetValue<string>().Should().Be("grounded_answer");
        request.ResponseFormat["json_schema"]!["strict"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task QueryAsync_ComparisonQuestion_ComesOutAsSentencesEachCitedFromItsOwnPassage()
    {
        _server.Responder = request =>
        {
            var passages = Prompts.Passages(request);
            return Prompts.Answer(
                ("The first company is described in passage 1.", [(1, Prompts.FirstSentence(passages[1]))]),
                ("The second is described in passage 2.", [(2, Prompts.FirstSentence(passages[2]))]),
                ("So the first came earlier.", [(1, Prompts.FirstSentence(passages[1])), (2, Prompts.FirstSentence(passages[2]))]));
        };
        using var clients = Clients();

        var result = await _samples.Engine(clients).QueryAsync(Ask("Which was founded first, Tidewater Robotics or Nautilux Sensing?"));

        result.Claims!.Select(c => c.Citations.Count).Should().Equal(1, 1, 2);
        result.Claims![0].Citations[0].ChunkId.Should().Be(result.Passages[0].Chunk.Id);
        result.Claims[1].Citations[0].ChunkId.Should().Be(result.Passages[1].Chunk.Id);
        result.Answer.Should().Be("The first company is described in passage 1. The second is described in passage 2. So the first came earlier.");
        result.Citations.Take(2).Should().Equal(result.Claims[0].Citations[0], result.Claims[1].Citations[0]);
    }

    [Fact]
    public async Task QueryAsync_FabricatedQuote_IsDroppedAndReported()
    {
        _server.Responder = request =>
        {
            var passages = Prompts.Passages(request);
            return Prompts.Answer(
                ("Supported.", [(1, Prompts.FirstSentence(passages[1]))]),
                ("Invented.", [(2, "Tidewater Robotics was founded on the Moon in 1850.")]));
        };
        using var clients = Clients();

        var result = await _samples.Engine(clients).QueryAsync(Ask());

        result.Answer.Should().Be("Supported.");
        result.Claims!.Select(c => c.Text).Should().Equal("Supported.");
        result.DroppedClaims.Should().ContainSingle().Which.Should().Be(
            new DroppedClaim("Invented.", "its quote is not in passage 2: \"Tidewater Robotics was founded on the Moon in 1850.\""));
        result.Confidence.Should().Be(0.5);
    }

    [Fact]
    public async Task QueryAsync_PassageNumberThatDoesNotExist_IsDroppedAndReported()
    {
        _server.Responder = request =>
        {
            var passages = Prompts.Passages(request);
            return Prompts.Answer(
                ("Kept.", [(1, Prompts.FirstSentence(passages[1]))]),
                ("Cites nothing real.", [(42, Prompts.FirstSentence(passages[1]))]),
                ("Cites nothing at all.", []));
        };
        using var clients = Clients();

        var result = await _samples.Engine(clients).QueryAsync(Ask());

        result.Claims!.Select(c => c.Text).Should().Equal("Kept.");
        result.DroppedClaims!.Select(d => d.Reason).Should().Equal(
            $"it cites passage 42, but only passages 1 to {result.Passages.Count} were given",
            "it cites no passage");
    }

    [Fact]
    public async Task QueryAsync_NothingVerifies_AnswersInsufficientInformationWithTheClosestEvidence()
    {
        _server.Enqueue(Prompts.Answer(("Made up.", [(1, "words that appear in no passage at all")])));
        using var clients = Clients();

        var result = await _samples.Engine(clients).QueryAsync(Ask());

        result.Answer.Should().Be(QueryEngine.InsufficientInformation);
        result.InsufficientEvidence.Should().BeTrue();
        result.Claims.Should().BeEmpty();
        result.DroppedClaims.Should().ContainSingle();
        result.Citations.Should().NotBeEmpty("the closest evidence is cited");
        result.Citations.Should().OnlyContain(c => result.Passages.Any(p => p.Chunk.Id == c.ChunkId));
    }

    [Fact]
    public async Task QueryAsync_ModelSaysInsufficient_AnswersInsufficientInformation()
    {
        _server.Enqueue(Prompts.Answer());
        using var clients = Clients();

        var result = await _samples.Engine(clients).QueryAsync(Ask());

        result.Answer.Should().Be(QueryEngine.InsufficientInformation);
        result.DroppedClaims.Should().BeEmpty();
        result.AnswerNote.Should().BeNull();
    }

    [Fact]
    public async Task QueryAsync_QuoteWithReflowedWhitespace_CitesTheStoredTextNotTheModelsWording()
    {
        string? stored = null;
        _server.Responder = request =>
        {
            var passage = Prompts.Passages(request).Values.First(p => p.Contains('\n', StringComparison.Ordinal) || p.Contains(". ", StringComparison.Ordinal));
            var newline = passage.IndexOf('\n', StringComparison.Ordinal);
            // Either a line break the model flattens, or two spaces where the passage has one.
            stored = newline > 0 ? passage[Math.Max(0, newline - 20)..Math.Min(passage.Length, newline + 20)] : Prompts.FirstSentence(passage);
            var reflowed = newline > 0 ? stored.Replace("\n", " ", StringComparison.Ordinal) : stored.Replace(" ", "  ", StringComparison.Ordinal);
            var number = Prompts.Passages(request).First(p => p.Value == passage).Key;
            return Prompts.Answer(("Reflowed.", [(number, reflowed)]));
        };
        using var clients = Clients();

        var result = await _samples.Engine(clients).QueryAsync(Ask());

        var citation = result.Claims!.Single().Citations.Single();
        citation.Quote.Should().Be(stored!.Trim());
        citation.Quote.Should().Be(await _samples.StoredTextAsync(citation));
    }

    [Fact]
    public async Task QueryAsync_MalformedJsonThenRepaired_UsesTheRepairedReply()
    {
        _server.Enqueue(FakeReply.Content("{\"claims\": [ {\"sentence\": \"unterminated"));
        _server.Responder = request => Prompts.Answer(("Repaired.", [(1, Prompts.FirstSentence(Prompts.Passages(request)[1]))]));
        using var clients = Clients();

        var result = await _samples.Engine(clients).QueryAsync(Ask());

        result.Answer.Should().Be("Repaired.");
        _server.Requests.Should().HaveCount(2);
        var repair = _server.Requests[1].Messages;
        repair[^2].Role.Should().Be("assistant");
        repair[^1].Text.Should().StartWith("That reply cannot be used: it is not valid JSON");
        result.Usage!.Requests.Should().Be(2);
    }

    [Fact]
    public async Task QueryAsync_MalformedJsonTwice_FallsBackToTheExtractiveAnswerWithTheReason()
    {
        _server.Enqueue(FakeReply.Content("not json at all"), FakeReply.Json(new { answer = "wrong shape" }));
        using var clients = Clients();
        var extractive = await _samples.Engine().QueryAsync(Ask());

        var result = await _samples.Engine(clients).QueryAsync(Ask());

        _server.Requests.Should().HaveCount(2);
        result.Answer.Should().Be(extractive.Answer);
        result.Citations.Should().Equal(extractive.Citations);
        result.Claims.Should().BeNull("the extractive answer has no claims");
        result.AnswerNote.Should().Be(
            "the answering model's reply was not valid for the answer schema twice (it has no \"claims\" array); this is the extractive answer");
    }

    [Fact]
    public async Task QueryAsync_ProviderFails_FallsBackToTheExtractiveAnswerAndSaysWhy()
    {
        _server.Enqueue(FakeReply.Status(500), FakeReply.Status(500));
        using var clients = Clients(o => o.MaxRetries = 1);

        var result = await _samples.Engine(clients).QueryAsync(Ask());

        result.AnswerNote.Should().Contain("failed on the server (HTTP 500)").And.EndWith("this is the extractive answer");
        result.Answer.Should().Be((await _samples.Engine().QueryAsync(Ask())).Answer);
    }

    [Fact]
    public async Task QueryAsync_OverTheQueryBudget_SendsNothingAndReportsTheStop()
    {
        _server.Responder = _ => Prompts.Answer();
        using var clients = Clients(o => o.Budget.TokensPerQuery = 500);

        var result = await _samples.Engine(clients).QueryAsync(Ask());

        _server.Requests.Should().BeEmpty();
        result.AnswerNote.Should().StartWith("token budget of 500 for this query exhausted after 0 tokens");
        result.Usage.Should().Be(Graph.Model.LlmUsage.None);
    }

    [Fact]
    public async Task QueryAsync_Usage_IsThisQuerysOwn()
    {
        _server.Responder = _ => FakeReply.Json(new { claims = Array.Empty<object>(), insufficient = true }, promptTokens: 1200, completionTokens: 30);
        using var clients = Clients();
        var engine = _samples.Engine(clients);

        await engine.QueryAsync(Ask());
        var second = await engine.QueryAsync(Ask());

        second.Usage.Should().Be(new Graph.Model.LlmUsage { Requests = 1, InputTokens = 1200, OutputTokens = 30, EstimatedCostUsd = 0.000198m });
        clients.Run.Usage.Requests.Should().Be(2);
    }

    [Fact]
    public async Task QueryAsync_Streaming_RelaysTheSentencesAsTheyArrive()
    {
        _server.Responder = request =>
        {
            var quote = System.Text.Json.JsonSerializer.Serialize(Prompts.FirstSentence(Prompts.Passages(request)[1]));
            return FakeReply.Stream(["{\"claims\":[{\"sent", "ence\":\"Tide", "water \\\"won\\\".\",\"citations\":[{\"passage\":1,\"quote\":", quote, "}]}],\"insufficient\":false}"]);
        };
        using var clients = Clients();
        var streamed = new List<string>();

        var result = await _samples.Engine(clients).QueryAsync(Ask() with
        {
            AnswerStream = (text, _) =>
            {
                streamed.Add(text);
                return ValueTask.CompletedTask;
            },
        });

        streamed.Should().Equal("Tide", "water \"won\".");
        result.Answer.Should().Be("Tidewater \"won\".");
        _server.Requests.Single().Stream.Should().BeTrue();
    }

    [Fact]
    public async Task QueryAsync_WithoutAModel_IsTheExtractiveResult()
    {
        var plain = await _samples.Engine().QueryAsync(Ask());

        plain.Claims.Should().BeNull();
        plain.DroppedClaims.Should().BeNull();
        plain.Usage.Should().BeNull();
        plain.AnswerNote.Should().BeNull();
        plain.Hops.Should().OnlyContain(h => h.Plan == null);
    }
}
