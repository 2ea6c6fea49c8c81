using GraphRag.Embeddings;
using GraphRag.Graph.Synonyms;
using Microsoft.Extensions.AI;

namespace GraphRag.Hosting;

/// <summary>Entity names embedded as passages by the configured chunk embedding generator (the same model and space).</summary>
internal sealed class GeneratorNameEmbedder(IEmbeddingGenerator<string, Embedding<float>> generator) : IEntityNameEmbedder
{
    public string ModelId { get; } = generator.GetModelInfo().Id;

    public Task<IReadOnlyList<ReadOnlyMemory<float>>> EmbedNamesAsync(IReadOnlyList<string> names, CancellationToken cancellationToken = default) =>
        generator.GeneratePassageVectorsAsync(names, cancellationToken);
}
