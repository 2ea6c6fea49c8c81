using GraphRag.Embeddings;
using Microsoft.Extensions.AI;

namespace GraphRag.Embeddings.Tests;

public sealed class EmbeddingGeneratorExtensionsTests
{
    [Fact]
    public void GetModelInfo_GeneratorWithOnlyMetadata_BuildsIdFromProviderModelAndDimensions()
    {
        using var generator = new RecordingGenerator(new EmbeddingGeneratorMetadata("ollama", null, "nomic-embed-text", 768));

        generator.GetModelInfo().Should().Be(new EmbeddingModelInfo("ollama/nomic-embed-text/768", 768, null));
    }

    [Fact]
    public async Task GenerateQueryVectorAsync_NoPrefix_SendsTheQuestionUnchanged()
    {
        using var generator = new RecordingGenerator(new EmbeddingGeneratorMetadata("test"));

        await generator.GenerateQueryVectorAsync("what is graphrag?");

        generator.Calls.Should().ContainSingle().Which.Should().Equal("what is graphrag?");
    }

    [Fact]
    public async Task GeneratePassageVectorsAsync_ProviderDropsAVector_ThrowsEmbeddingException()
    {
        using var generator = new RecordingGenerator(new EmbeddingGeneratorMetadata("test")) { DropLast = true };

        var act = () => generator.GeneratePassageVectorsAsync(["a", "b", "c"]);

        await act.Should().ThrowAsync<EmbeddingException>().WithMessage("*2 vectors for 3 passages*");
    }

    [Fact]
    public async Task GeneratePassageVectorsAsync_NoPassages_MakesNoCall()
    {
        using var generator = new RecordingGenerator(new EmbeddingGeneratorMetadata("test"));

        var vectors = await generator.GeneratePassageVectorsAsync([]);

        vectors.Should().BeEmpty();
        generator.Calls.Should().BeEmpty();
    }

    private sealed class RecordingGenerator(EmbeddingGeneratorMetadata metadata) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public List<string[]> Calls { get; } = [];

        public bool DropLast { get; init; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var texts = values.ToArray();
            Calls.Add(texts);
            var vectors = texts.Skip(DropLast ? 1 : 0).Select(t => new Embedding<float>(new[] { (float)t.Length }));
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(vectors));
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(EmbeddingGeneratorMetadata) ? metadata : null;

        public void Dispose()
        {
        }
    }
}
