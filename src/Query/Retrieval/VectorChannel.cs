using GraphRag.Graph.Abstractions;
using Microsoft.Extensions.AI;

namespace GraphRag.Query.Retrieval;

/// <summary>
/// Dense retrieval: embeds the query with any <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> (Azure OpenAI,
/// OpenAI, Ollama, … through Microsoft.Extensions.AI) and searches an <see cref="IVectorIndex"/>. Off unless both are
/// configured; fusion treats it as one more channel, weighted by <see cref="QueryEngineOptions.VectorWeight"/>.
/// </summary>
public sealed class VectorChannel(IEmbeddingGenerator<string, Embedding<float>> embeddings, IVectorIndex index)
{
    public async Task<IReadOnlyList<VectorHit>> SearchAsync(
        string text, int limit, IReadOnlyCollection<string>? documentIds, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var embedding = await embeddings.GenerateAsync([text], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (embedding.Count == 0)
        {
            return [];
        }

        return await index.SearchAsync(new VectorQuery(embedding[0].Vector, limit) { DocumentIds = documentIds }, cancellationToken)
            .ConfigureAwait(false);
    }
}
