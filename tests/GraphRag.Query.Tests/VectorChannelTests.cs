using GraphRag.Graph.Abstractions;
using GraphRag.Query.Answering;
using GraphRag.Query.Retrieval;
using Microsoft.Extensions.AI;

namespace GraphRag.Query.Tests;

/// <summary>
/// The vector channel is off by default; when an embedding provider is configured, fusion takes it as one more
/// channel. The provider here is a stand-in for an external embedding service: a hashed bag of words.
/// </summary>
public sealed class VectorChannelTests(SamplesFixture samples) : IClassFixture<SamplesFixture>
{
    [Fact]
    public async Task HybridQuery_WithAnEmbeddingProvider_FusesTheVectorChannel()
    {
        var generator = new HashedBagOfWords();
        var index = new InMemoryVectorIndex();
        var documents = await samples.Store.ListDocumentsAsync(new DocumentListRequest(0, 1000));
        foreach (var document in documents)
        {
            foreach (var chunk in await samples.Store.GetDocumentChunksAsync(document.Id))
            {
                var vector = (await generator.GenerateAsync([chunk.Text]))[0].Vector;
                index.Upsert(chunk.Id, chunk.DocumentId, vector.Span);
            }
        }

        var engine = new QueryEngine(
            samples.Store, samples.Store, samples.Store, samples.Store, new ExtractiveAnswerGenerator(), new QueryEngineOptions(), new VectorChannel(generator, index));

        var result = await engine.QueryAsync(new QueryRequest { Question = "Which company acquired the maker of the HX-7 hydrophone?" });

        result.Passages.Should().Contain(p => p.Explanation.Channels.ContainsKey("vector"));
        result.Timings.Should().Contain(t => t.Stage.EndsWith(":vector", StringComparison.Ordinal));
        generator.Calls.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task VectorSearch_RestrictedToDocuments_NeverReturnsOthers()
    {
        var generator = new HashedBagOfWords();
        var index = new InMemoryVectorIndex();
        index.Upsert("c1", "public", (await generator.GenerateAsync(["hydrophone maker"]))[0].Vector.Span);
        index.Upsert("c2", "secret", (await generator.GenerateAsync(["hydrophone maker"]))[0].Vector.Span);

        var hits = await new VectorChannel(generator, index).SearchAsync("hydrophone", 10, ["public"]);

        hits.Select(h => h.DocumentId).Should().Equal("public");
    }

    [Fact]
    public async Task DefaultEngine_HasNoVectorChannel()
    {
        var result = await samples.Engine.QueryAsync(new QueryRequest { Question = "Who founded Nautilux Sensing?" });

        result.Passages.Should().OnlyContain(p => !p.Explanation.Channels.ContainsKey("vector"));
    }

    private sealed class HashedBagOfWords : IEmbeddingGenerator<string, Embedding<float>>
    {
        public int Calls { get; private set; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var value in values)
            {
                var vector = new float[128];
                foreach (var word in value.ToLowerInvariant().Split([' ', ',', '.', '?', '-'], StringSplitOptions.RemoveEmptyEntries))
                {
                    vector[(int)((uint)StringComparer.Ordinal.GetHashCode(word) % 128)] += 1;
                }

                result.Add(new Embedding<float>(vector));
            }

            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
