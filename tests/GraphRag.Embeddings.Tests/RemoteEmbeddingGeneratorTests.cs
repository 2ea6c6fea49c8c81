using GraphRag.Embeddings;
using Microsoft.Extensions.AI;

namespace GraphRag.Embeddings.Tests;

public sealed class RemoteEmbeddingGeneratorTests : IAsyncLifetime
{
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task OpenAICompatible_SendsTheOpenAIWireRequest()
    {
        using var generator = Create(new EmbeddingOptions { Model = "nomic-embed-text", ApiKey = "sk-test", Dimensions = 3 });

        var result = await generator.GenerateAsync(["alpha #1", "beta #2"]);

        var request = _server.Requests.Should().ContainSingle().Subject;
        request.Method.Should().Be("POST");
        request.Path.Should().Be("/v1/embeddings");
        request.Authorization.Should().Be("Bearer sk-test");
        request.Body["model"]!.GetValue<string>().Should().Be("nomic-embed-text");
        request.Inputs.Should().Equal("alpha #1", "beta #2");
        request.Body["dimensions"]!.GetValue<int>().Should().Be(3);
        result.Select(e => e.Vector.ToArray()).Should().BeEquivalentTo([new[] { 1f, 0f, 1f }, [2f, 1f, 1f]], o => o.WithStrictOrdering());
        result.Usage!.InputTokenCount.Should().Be(6);
    }

    [Fact]
    public async Task OpenAICompatible_NoDimensionsConfigured_LeavesThemOutOfTheRequest()
    {
        using var generator = Create(new EmbeddingOptions { Model = "nomic-embed-text", ApiKey = "sk-test" });

        await generator.GenerateAsync(["alpha"]);

        _server.Requests.Should().ContainSingle().Which.Body.ContainsKey("dimensions").Should().BeFalse();
    }

    [Theory]
    [InlineData(10, 4, 3)]
    [InlineData(8, 4, 2)]
    [InlineData(1, 64, 1)]
    [InlineData(130, 64, 3)]
    public async Task GenerateAsync_SplitsIntoRequestsOfBatchSize_AndKeepsInputOrder(int inputs, int batchSize, int expectedRequests)
    {
        using var generator = Create(new EmbeddingOptions { Model = "m", ApiKey = "k", BatchSize = batchSize });
        var texts = Enumerable.Range(0, inputs).Select(i => $"passage #{i}").ToArray();

        var result = await generator.GenerateAsync(texts);

        _server.Requests.Should().HaveCount(expectedRequests);
        _server.Requests.Should().OnlyContain(r => r.Inputs.Count <= batchSize);
        _server.Requests.SelectMany(r => r.Inputs).Should().Equal(texts);
        result.Select(e => (int)e.Vector.Span[0]).Should().Equal(Enumerable.Range(0, inputs));
    }

    [Fact]
    public async Task GenerateAsync_Unauthorized_ThrowsClearNonTransientErrorWithoutRetrying()
    {
        _server.FailWith(401);
        using var generator = Create(new EmbeddingOptions { Model = "m", ApiKey = "wrong", MaxRetries = 2 });

        var act = () => generator.GenerateAsync(["alpha"]);

        var error = (await act.Should().ThrowAsync<EmbeddingException>().WithMessage("*API key*")).Which;
        error.IsTransient.Should().BeFalse();
        error.StatusCode.Should().Be(401);
        error.InnerException.Should().NotBeNull();
        _server.Requests.Should().ContainSingle();
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task GenerateAsync_RateLimitedOrServerError_ThrowsTransientError(int status)
    {
        _server.FailWith(status);
        using var generator = Create(new EmbeddingOptions { Model = "m", ApiKey = "k", MaxRetries = 0 });

        var act = () => generator.GenerateAsync(["alpha"]);

        var error = (await act.Should().ThrowAsync<EmbeddingException>()).Which;
        error.IsTransient.Should().BeTrue();
        error.StatusCode.Should().Be(status);
    }

    [Fact]
    public async Task GenerateAsync_ServerErrorThenSuccess_RetriesAndSucceeds()
    {
        _server.FailWith(500);
        using var generator = Create(new EmbeddingOptions { Model = "m", ApiKey = "k", MaxRetries = 1 });

        var result = await generator.GenerateAsync(["alpha #7"]);

        result[0].Vector.Span[0].Should().Be(7);
        _server.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task GenerateAsync_ServerNeverAnswers_ThrowsTransientTimeout()
    {
        _server.Hold = true;
        using var generator = Create(new EmbeddingOptions { Model = "m", ApiKey = "k", MaxRetries = 0, TimeoutSeconds = 0.2 });

        var act = () => generator.GenerateAsync(["alpha"]);

        (await act.Should().ThrowAsync<EmbeddingException>().WithMessage("*in time*")).Which.IsTransient.Should().BeTrue();
    }

    [Fact]
    public async Task GenerateAsync_CallerCancels_ThrowsOperationCanceled()
    {
        _server.Hold = true;
        using var generator = Create(new EmbeddingOptions { Model = "m", ApiKey = "k", MaxRetries = 0 });
        using var cts = new CancellationTokenSource();

        var call = generator.GenerateAsync(["alpha"], cancellationToken: cts.Token);
        await _server.FirstRequest;
        await cts.CancelAsync();
        await call.Invoking(c => c).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Create_NoApiKeyConfigured_ReadsItFromTheEnvironment()
    {
        var options = new EmbeddingOptions { Provider = EmbeddingProvider.OpenAI, Endpoint = _server.BaseAddress + "v1", Model = "m" };
        using var generator = EmbeddingGeneratorFactory.Create(options, null, v => v == "OPENAI_API_KEY" ? "sk-from-env" : null)!;

        await generator.GenerateAsync(["alpha"]);

        _server.Requests.Should().ContainSingle().Which.Authorization.Should().Be("Bearer sk-from-env");
    }

    [Fact]
    public async Task AzureOpenAI_PostsToTheDeploymentWithApiKeyHeader()
    {
        var options = new EmbeddingOptions
        {
            Provider = EmbeddingProvider.AzureOpenAI,
            Endpoint = _server.BaseAddress.ToString(),
            Model = "my-embeddings",
            ApiKey = "azure-key",
            Dimensions = 3,
            MaxRetries = 0,
        };
        using var generator = EmbeddingGeneratorFactory.Create(options, null, _ => null)!;

        var result = await generator.GenerateAsync(["alpha #4"]);

        var request = _server.Requests.Should().ContainSingle().Subject;
        request.Path.Should().Be("/openai/deployments/my-embeddings/embeddings");
        request.Query.Should().Contain("api-version=");
        request.ApiKey.Should().Be("azure-key");
        result[0].Vector.Span[0].Should().Be(4);
        generator.GetModelInfo().Id.Should().Be("azure-openai/my-embeddings/3");
    }

    [Fact]
    public async Task ModelInfo_ReportsProviderModelDimensionsAndConfiguredQueryPrefix()
    {
        using var generator = Create(new EmbeddingOptions { Model = "text-embedding-3-small", ApiKey = "k", Dimensions = 512, QueryPrefix = "query: " });

        var info = generator.GetModelInfo();
        await generator.GenerateQueryVectorAsync("who wrote it?");
        await generator.GeneratePassageVectorsAsync(["a passage"]);

        info.Should().Be(new EmbeddingModelInfo("openai/text-embedding-3-small/512", 512, "query: "));
        ((EmbeddingGeneratorMetadata)generator.GetService(typeof(EmbeddingGeneratorMetadata))!).DefaultModelId.Should().Be("text-embedding-3-small");
        _server.Requests.SelectMany(r => r.Inputs).Should().Equal("query: who wrote it?", "a passage");
    }

    [Fact]
    public void ModelInfo_KnownModelWithoutDimensions_UsesItsDefaultLength()
    {
        using var generator = Create(new EmbeddingOptions { Model = "text-embedding-3-large", ApiKey = "k" });

        generator.GetModelInfo().Should().Be(new EmbeddingModelInfo("openai/text-embedding-3-large/3072", 3072, null));
    }

    [Fact]
    public async Task GenerateAsync_RecordsOneSpanWithModelAndInputCount()
    {
        var spans = new System.Collections.Concurrent.ConcurrentBag<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == EmbeddingsTelemetry.SourceName,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
            ActivityStopped = spans.Add,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        using var generator = Create(new EmbeddingOptions { Model = "span-test-model", ApiKey = "k", BatchSize = 2 });

        await generator.GenerateAsync(["a", "b", "c"]);

        var span = spans.Should().ContainSingle(a => (string?)a.GetTagItem("gen_ai.request.model") == "openai/span-test-model").Subject;
        span.DisplayName.Should().Be("embed openai");
        span.GetTagItem("graphrag.embeddings.inputs").Should().Be(3);
        span.GetTagItem("gen_ai.usage.input_tokens").Should().Be(9L);
    }

    private IEmbeddingGenerator<string, Embedding<float>> Create(EmbeddingOptions options)
    {
        options.Provider = EmbeddingProvider.OpenAI;
        options.Endpoint = new Uri(_server.BaseAddress, "v1").ToString();
        return EmbeddingGeneratorFactory.Create(options, null, _ => null)!;
    }
}
