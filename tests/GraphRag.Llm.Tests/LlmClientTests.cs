using System.Text.Json;
using GraphRag.Graph.Model;
using Microsoft.Extensions.AI;

namespace GraphRag.Llm.Tests;

/// <summary>The real connectors against a local OpenAI-compatible server: request shape, retries, timeouts, usage and budgets.</summary>
public sealed class LlmClientTests : IAsyncLifetime
{
    private FakeChatServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeChatServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private LlmOptions OpenAI(Action<LlmOptions>? configure = null)
    {
        var options = new LlmOptions
        {
            Provider = LlmProvider.OpenAI,
            Endpoint = _server.OpenAIEndpoint,
            Model = "gpt-4o-mini",
            ApiKey = "sk-test-key",
            MaxOutputTokens = 300,
            TimeoutSeconds = 30,
        };
        configure?.Invoke(options);
        return options;
    }

    private static LlmClients Create(LlmOptions options, TimeProvider? time = null) =>
        LlmClientFactory.Create(options, null, time ?? new InstantTimeProvider(), _ => null)!;

    private static readonly ChatMessage[] Prompt = [new(ChatRole.System, "Answer from the passages."), new(ChatRole.User, "Who founded Helios?")];

    private static ChatOptions SchemaOptions() => new()
    {
        ResponseFormat = ChatResponseFormat.ForJsonSchema(
            JsonDocument.Parse("""{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}""").RootElement,
            "answer",
            "An answer."),
    };

    [Fact]
    public async Task GetResponseAsync_OpenAIConnector_SendsModelMessagesTemperatureMaxTokensSchemaAndBearerKey()
    {
        _server.Enqueue(FakeReply.Json(new { answer = "Mara Voss" }));
        using var clients = Create(OpenAI());

        var response = await clients.For(LlmRole.Answering)!.GetResponseAsync(Prompt, SchemaOptions());

        response.Text.Should().Be("""{"answer":"Mara Voss"}""");
        var request = _server.Requests.Single();
        request.Path.Should().Be("/v1/chat/completions");
        request.Authorization.Should().Be("Bearer sk-test-key");
        request.Model.Should().Be("gpt-4o-mini");
        request.Temperature.Should().Be(0);
        request.MaxTokens.Should().Be(300);
        request.Stream.Should().BeFalse();
        request.Messages.Should().Equal(("system", "Answer from the passages."), ("user", "Who founded Helios?"));
        request.ResponseFormat!["type"]!.GetValue<string>().Should().Be("json_schema");
        request.ResponseFormat["json_schema"]!["name"]!.GetValue<string>().Should().Be("answer");
        request.ResponseFormat["json_schema"]!["schema"]!["required"]![0]!.GetValue<string>().Should().Be("answer");
    }

    [Fact]
    public async Task GetResponseAsync_AzureConnector_PostsToTheDeploymentWithApiVersionAndApiKeyHeader()
    {
        _server.Enqueue(FakeReply.Content("fine"));
        using var clients = Create(new LlmOptions
        {
            Provider = LlmProvider.AzureOpenAI,
            Endpoint = _server.BaseAddress.ToString(),
            Model = "answers-deployment",
            ApiKey = "azure-key",
            Temperature = 0.2,
            MaxOutputTokens = 128,
        });

        (await clients.For(LlmRole.Planning)!.GetResponseAsync(Prompt, SchemaOptions())).Text.Should().Be("fine");

        var request = _server.Requests.Single();
        request.Path.Should().Be("/openai/deployments/answers-deployment/chat/completions");
        request.Query.Should().Contain("api-version=");
        request.ApiKey.Should().Be("azure-key");
        request.Authorization.Should().BeNull();
        request.Temperature.Should().BeApproximately(0.2, 1e-6);
        request.MaxTokens.Should().Be(128);
        request.ResponseFormat!["type"]!.GetValue<string>().Should().Be("json_schema");
    }

    [Fact]
    public async Task GetResponseAsync_RoleOverride_UsesTheRolesModelAndLimit()
    {
        _server.Enqueue(FakeReply.Content("a"), FakeReply.Content("b"));
        using var clients = Create(OpenAI(o =>
        {
            o.Roles.Planning.Model = "gpt-4.1-nano";
            o.Roles.Planning.MaxOutputTokens = 64;
        }));

        await clients.For(LlmRole.Planning)!.GetResponseAsync(Prompt);
        await clients.For(LlmRole.Answering)!.GetResponseAsync(Prompt);

        _server.Requests.Select(r => (r.Model, r.MaxTokens)).Should().Equal(("gpt-4.1-nano", 64), ("gpt-4o-mini", 300));
        clients.Settings(LlmRole.Planning)!.Model.Should().Be("gpt-4.1-nano");
    }

    [Fact]
    public async Task GetResponseAsync_Reply_RecordsTheServersUsageAndEstimatedCost()
    {
        _server.Enqueue(FakeReply.Content("ok", promptTokens: 1_000_000, completionTokens: 1_000_000));
        using var clients = Create(OpenAI());
        var query = clients.NewQueryMeter();

        using (LlmUsageScope.Begin(query))
        {
            await clients.For(LlmRole.Answering)!.GetResponseAsync(Prompt);
        }

        // gpt-4o-mini's built-in estimate: $0.15 in and $0.60 out per million tokens.
        var expected = new LlmUsage { Requests = 1, InputTokens = 1_000_000, OutputTokens = 1_000_000, EstimatedCostUsd = 0.75m };
        query.Usage.Should().Be(expected);
        clients.Run.Usage.Should().Be(expected);
    }

    [Fact]
    public async Task GetResponseAsync_ServerReportsNoUsage_CountsTokensWithTheModelsTokenizer()
    {
        _server.Enqueue(FakeReply.Content("Mara Voss founded Helios.", promptTokens: null, completionTokens: null));
        using var clients = Create(OpenAI());

        await clients.For(LlmRole.Answering)!.GetResponseAsync(Prompt);

        var counter = TokenCounter.For("gpt-4o-mini");
        clients.Run.Usage.Should().Be(new LlmUsage
        {
            Requests = 1,
            InputTokens = counter.Count(Prompt),
            OutputTokens = counter.Count("Mara Voss founded Helios."),
            EstimatedCostUsd = clients.Prices.Cost("gpt-4o-mini", counter.Count(Prompt), counter.Count("Mara Voss founded Helios.")),
            CountedLocally = true,
        });
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Chunks_ArriveInOrderAndTheLastChunksUsageIsRecorded()
    {
        _server.Enqueue(FakeReply.Stream(["Mara ", "Voss ", "founded ", "Helios."], promptTokens: 40, completionTokens: 6));
        using var clients = Create(OpenAI());

        var pieces = new List<string>();
        await foreach (var update in clients.For(LlmRole.Answering)!.GetStreamingResponseAsync(Prompt))
        {
            if (update.Text.Length > 0)
            {
                pieces.Add(update.Text);
            }
        }

        pieces.Should().Equal("Mara ", "Voss ", "founded ", "Helios.");
        _server.Requests.Single().Stream.Should().BeTrue();
        _server.Requests.Single().Body["stream_options"]!["include_usage"]!.GetValue<bool>().Should().BeTrue();
        clients.Run.Usage.InputTokens.Should().Be(40);
        clients.Run.Usage.OutputTokens.Should().Be(6);
        clients.Run.Usage.CountedLocally.Should().BeFalse();
    }

    [Fact]
    public async Task GetResponseAsync_RateLimitedWithRetryAfter_WaitsWhatTheServerAskedThenSucceeds()
    {
        _server.Enqueue(FakeReply.Status(429, retryAfter: "7"), FakeReply.Content("after the wait"));
        var clock = new InstantTimeProvider();
        using var clients = Create(OpenAI(), clock);

        (await clients.For(LlmRole.Answering)!.GetResponseAsync(Prompt)).Text.Should().Be("after the wait");

        _server.Requests.Should().HaveCount(2);
        clock.Waits.Should().Equal(TimeSpan.FromSeconds(7));
        clients.Run.Usage.Requests.Should().Be(1);
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterMilliseconds_IsPreferredToRetryAfter()
    {
        _server.Enqueue(FakeReply.Status(429, retryAfter: "20", retryAfterMs: "1500"), FakeReply.Content("ok"));
        var clock = new InstantTimeProvider();
        using var clients = Create(OpenAI(), clock);

        await clients.For(LlmRole.Answering)!.GetResponseAsync(Prompt);

        clock.Waits.Should().Equal(TimeSpan.FromMilliseconds(1500));
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterOverTheCap_IsNotRetriedAndTheErrorSaysWhatWasAsked()
    {
        _server.Enqueue(FakeReply.Status(429, retryAfter: "600"), FakeReply.Content("never asked for"));
        var clock = new InstantTimeProvider();
        using var clients = Create(OpenAI(o => o.MaxRetryDelaySeconds = 30), clock);

        var act = () => clients.For(LlmRole.Answering)!.GetResponseAsync(Prompt);

        var error = (await act.Should().ThrowAsync<LlmException>()).Which;
        error.StatusCode.Should().Be(429);
        error.IsTransient.Should().BeTrue();
        error.Message.Should().Contain("rate-limiting").And.Contain("retry after 600 s");
        _server.Requests.Should().HaveCount(1);
        clock.Waits.Should().BeEmpty();
    }

    [Fact]
    public async Task GetResponseAsync_ServerErrors_AreRetriedWithBackoffThenFailWithAClearTransientError()
    {
        _server.Enqueue(FakeReply.Status(500), FakeReply.Status(502), FakeReply.Status(503));
        var clock = new InstantTimeProvider();
        using var clients = Create(OpenAI(o => o.MaxRetries = 2), clock);

        var act = () => clients.For(LlmRole.Answering)!.GetResponseAsync(Prompt);

        var error = (await act.Should().ThrowAsync<LlmException>()).Which;
        error.StatusCode.Should().Be(503);
        error.IsTransient.Should().BeTrue();
        error.Message.Should().StartWith("The answering model (openai gpt-4o-mini at ").And.Contain("failed on the server (HTTP 503)");
        _server.Requests.Should().HaveCount(3);
        clock.Waits.Should().HaveCount(2);
        clock.Waits.Should().OnlyContain(w => w > TimeSpan.Zero && w <= TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task GetResponseAsync_BadKey_FailsAtOnceAsNotTransient()
    {
        _server.Enqueue(FakeReply.Status(401));
        using var clients = Create(OpenAI());

        var act = () => clients.For(LlmRole.Answering)!.GetResponseAsync(Prompt);

        var error = (await act.Should().ThrowAsync<LlmException>()).Which;
        error.IsTransient.Should().BeFalse();
        error.Message.Should().Contain("refused the API key (HTTP 401)");
        _server.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task GetResponseAsync_ReplyNeverComes_TimesOutWithAClearError()
    {
        _server.Enqueue(FakeReply.Hang());
        using var clients = Create(OpenAI(o =>
        {
            o.TimeoutSeconds = 0.3;
            o.MaxRetries = 0;
        }));

        var act = () => clients.For(LlmRole.Answering)!.GetResponseAsync(Prompt);

        var error = (await act.Should().ThrowAsync<LlmException>()).Which;
        error.IsTransient.Should().BeTrue();
        error.Message.Should().Contain("did not answer within 0.3 s");
    }

    [Fact]
    public async Task GetResponseAsync_BodyThatIsNotAChatCompletion_FailsWithAClearError()
    {
        _server.Enqueue(FakeReply.Garbage());
        using var clients = Create(OpenAI());

        var act = () => clients.For(LlmRole.Answering)!.GetResponseAsync(Prompt);

        (await act.Should().ThrowAsync<LlmException>()).Which.Message.Should().Contain("not a chat completion");
    }

    [Fact]
    public async Task GetResponseAsync_OverTheQueryBudget_IsRefusedBeforeAnythingIsSent()
    {
        _server.Enqueue(FakeReply.Content("first", promptTokens: 150, completionTokens: 50));
        using var clients = Create(OpenAI(o =>
        {
            o.MaxOutputTokens = 100;
            o.Budget.TokensPerQuery = 400;
        }));
        var query = clients.NewQueryMeter();
        using var scope = LlmUsageScope.Begin(query);

        await clients.For(LlmRole.Answering)!.GetResponseAsync(Prompt);
        var second = () => clients.For(LlmRole.Answering)!.GetResponseAsync([.. Prompt, new ChatMessage(ChatRole.User, string.Join(' ', Enumerable.Repeat("more", 200)))]);

        var error = (await second.Should().ThrowAsync<LlmBudgetExceededException>()).Which;
        error.Message.Should().StartWith("token budget of 400 for this query exhausted after 200 tokens");
        error.IsTransient.Should().BeFalse();
        _server.Requests.Should().HaveCount(1);
        query.Usage.TotalTokens.Should().Be(200);
    }

    [Fact]
    public async Task GetResponseAsync_OverTheRunBudget_IsRefusedAcrossQueries()
    {
        _server.Responder = _ => FakeReply.Content("ok", promptTokens: 100, completionTokens: 100);
        using var clients = Create(OpenAI(o =>
        {
            o.MaxOutputTokens = 50;
            o.Budget.TokensPerRun = 450;
        }));

        for (var i = 0; i < 2; i++)
        {
            using var scope = LlmUsageScope.Begin(clients.NewQueryMeter());
            await clients.For(LlmRole.Answering)!.GetResponseAsync(Prompt);
        }

        var third = () => clients.For(LlmRole.Answering)!.GetResponseAsync(Prompt);
        (await third.Should().ThrowAsync<LlmBudgetExceededException>()).Which.Message.Should().StartWith("token budget of 450 for this run exhausted after 400 tokens");
        _server.Requests.Should().HaveCount(2);
    }

    [Fact]
    public void Create_ProviderNone_MakesNoClients()
    {
        LlmClientFactory.Create(new LlmOptions(), null, null, _ => "sk-from-env").Should().BeNull();
    }

    [Fact]
    public void Create_KeyFromTheEnvironment_IsAccepted()
    {
        var options = new LlmOptions { Provider = LlmProvider.OpenAI, Model = "gpt-4o" };
        using var clients = LlmClientFactory.Create(options, null, null, name => name == LlmClientFactory.OpenAIKeyVariable ? "sk-env" : null);
        clients!.Has(LlmRole.Answering).Should().BeTrue();
    }

    [Fact]
    public void Create_OneRoleOnly_LeavesTheOthersWithoutAModel()
    {
        var options = OpenAI(o => o.Provider = LlmProvider.None);
        options.Roles.Answering.Provider = LlmProvider.OpenAI;

        using var clients = Create(options);

        clients.Has(LlmRole.Answering).Should().BeTrue();
        clients.For(LlmRole.Planning).Should().BeNull();
        clients.For(LlmRole.Extraction).Should().BeNull();
    }

    [Fact]
    public void Create_BadSettings_NameEveryProblemInOneMessage()
    {
        var options = new LlmOptions
        {
            Provider = LlmProvider.AzureOpenAI,
            TimeoutSeconds = 0,
            MaxRetries = 99,
            Tokenizer = "p50k",
            Budget = { TokensPerQuery = 0 },
        };
        options.Roles.Planning.Provider = LlmProvider.OpenAI;
        options.Roles.Planning.Endpoint = "ftp://nowhere";

        var act = () => LlmClientFactory.Create(options, null, null, _ => null);

        act.Should().Throw<LlmException>().Which.Message.Should()
            .StartWith("Invalid GraphRag:Llm settings:")
            .And.Contain("TimeoutSeconds")
            .And.Contain("MaxRetries")
            .And.Contain("TokensPerQuery")
            .And.Contain("Tokenizer 'p50k'")
            .And.Contain("AzureOpenAI needs an Endpoint")
            .And.Contain("AzureOpenAI needs Model set to the chat deployment's name")
            .And.Contain("AzureOpenAI needs an API key")
            .And.Contain("Roles:Planning: Endpoint 'ftp://nowhere' is not an absolute http(s) URL");
    }
}
