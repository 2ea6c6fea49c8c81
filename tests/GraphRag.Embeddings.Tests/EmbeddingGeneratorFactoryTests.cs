using GraphRag.Embeddings;

namespace GraphRag.Embeddings.Tests;

public sealed class EmbeddingGeneratorFactoryTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Create_Disabled_ReturnsNull()
    {
        EmbeddingGeneratorFactory.Create(new EmbeddingOptions { Enabled = false }, null, NoEnvironment).Should().BeNull();
    }

    [Fact]
    public void Create_ProviderNone_ReturnsNull()
    {
        EmbeddingGeneratorFactory.Create(new EmbeddingOptions { Provider = EmbeddingProvider.None }, null, NoEnvironment).Should().BeNull();
    }

    [Theory]
    [InlineData(EmbeddingProvider.AzureOpenAI, null, "deploy", "key", null, "*AzureOpenAI needs an Endpoint*")]
    [InlineData(EmbeddingProvider.AzureOpenAI, "https://r.openai.azure.com/", null, "key", null, "*deployment*")]
    [InlineData(EmbeddingProvider.AzureOpenAI, "https://r.openai.azure.com/", "deploy", null, null, "*AZURE_OPENAI_API_KEY*")]
    [InlineData(EmbeddingProvider.OpenAI, null, null, null, null, "*OPENAI_API_KEY*")]
    [InlineData(EmbeddingProvider.OpenAI, "not a url", null, "key", null, "*Endpoint 'not a url'*")]
    [InlineData(EmbeddingProvider.OpenAI, null, null, "key", 0, "*Dimensions*")]
    [InlineData(EmbeddingProvider.Local, null, null, null, 512, "*384 dimensions*")]
    [InlineData(EmbeddingProvider.Local, null, "bge-large", null, null, "*arctic-xs or minilm*")]
    public void Create_InvalidSettings_ThrowsClearEmbeddingException(
        EmbeddingProvider provider, string? endpoint, string? model, string? key, int? dimensions, string message)
    {
        var options = new EmbeddingOptions { Provider = provider, Endpoint = endpoint, Model = model, ApiKey = key, Dimensions = dimensions };

        var act = () => EmbeddingGeneratorFactory.Create(options, null, NoEnvironment);

        act.Should().Throw<EmbeddingException>().WithMessage("Invalid GraphRag:Embeddings settings:*").WithMessage(message)
            .Which.IsTransient.Should().BeFalse();
    }

    [Fact]
    public void Create_SeveralProblems_NamesThemAll()
    {
        var options = new EmbeddingOptions { Provider = EmbeddingProvider.AzureOpenAI, BatchSize = 0, TimeoutSeconds = 0 };

        var act = () => EmbeddingGeneratorFactory.Create(options, null, NoEnvironment);

        act.Should().Throw<EmbeddingException>().WithMessage("*BatchSize*TimeoutSeconds*Endpoint*deployment*API key*");
    }

    [Fact]
    public void Create_OpenAICompatibleEndpointWithoutKey_IsAllowed()
    {
        var options = new EmbeddingOptions { Provider = EmbeddingProvider.OpenAI, Endpoint = "http://127.0.0.1:11434/v1", Model = "nomic-embed-text" };

        using var generator = EmbeddingGeneratorFactory.Create(options, null, NoEnvironment);

        generator!.GetModelInfo().Id.Should().Be("openai/nomic-embed-text");
    }

    [Theory]
    [InlineData(null, OnnxEmbeddingModel.ArcticXs)]
    [InlineData("arctic-xs", OnnxEmbeddingModel.ArcticXs)]
    [InlineData("MiniLM", OnnxEmbeddingModel.MiniLM)]
    [InlineData("all-MiniLM-L6-v2", OnnxEmbeddingModel.MiniLM)]
    public void ParseLocalModel_AcceptsShortAndFullNames(string? name, OnnxEmbeddingModel expected)
    {
        EmbeddingGeneratorFactory.ParseLocalModel(name).Should().Be(expected);
    }

    [Fact]
    public void Create_LocalDefaults_GiveQuantisedArcticXs()
    {
        using var generator = EmbeddingGeneratorFactory.Create(new EmbeddingOptions { Threads = 1 }, null, NoEnvironment);

        generator!.GetModelInfo().Should().Be(new EmbeddingModelInfo(
            "onnx/snowflake-arctic-embed-xs/256/int8", 384, "Represent this sentence for searching relevant passages: "));
    }
}
