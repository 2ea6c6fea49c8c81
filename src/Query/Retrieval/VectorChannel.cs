using GraphRag.Graph.Abstractions;
using Microsoft.Extensions.AI;

namespace GraphRag.Query.Retrieval;

/// <summary>
/// Dense retrieval: embeds the question with any <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> (a local ONNX
/// model, Azure OpenAI, Ollama, … through Microsoft.Extensions.AI) and searches an <see cref="IVectorIndex"/> within
/// the caller's scope. Off unless both are configured; fusion treats it as one more channel, weighted by
/// <see cref="QueryEngineOptions.VectorWeight"/>.
/// </summary>
/// <param name="embeddings">The query-side embedding generator (the same model the chunks were embedded with).</param>
/// <param name="index">Where the chunk vectors are searched.</param>
/// <param name="queryPrefix">
/// Put before the question when it is embedded: asymmetric retrieval models want one (Arctic embed:
/// <c>Represent this sentence for searching relevant passages: </c>); empty for symmetric models.
/// </param>
public sealed class VectorChannel(IEmbeddingGenerator<string, Embedding<float>> embeddings, IVectorIndex index, string queryPrefix = "")
{
    /// <summary>The text embedded for a question.</summary>
    public string QueryText(string question) => queryPrefix + question;

    /// <summary>The chunks nearest the question among <paramref name="documentIds"/> (all when null).</summary>
    public Task<IReadOnlyList<VectorHit>> SearchAsync(
        string text, int limit, IReadOnlyCollection<string>? documentIds, CancellationToken cancellationToken = default) =>
        SearchAsync(text, limit, documentIds, canReadAcl: null, work: null, cancellationToken);

    /// <summary>
    /// The chunks nearest the question that the caller may read: by ACL partition when <paramref name="canReadAcl"/> is
    /// given (nothing else is scored), else among <paramref name="documentIds"/> (all when null).
    /// </summary>
    public async Task<IReadOnlyList<VectorHit>> SearchAsync(
        string text,
        int limit,
        IReadOnlyCollection<string>? documentIds,
        Func<IReadOnlyList<string>, bool>? canReadAcl,
        VectorWork? work = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var embedding = await embeddings.GenerateAsync([QueryText(text)], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (embedding.Count == 0)
        {
            return [];
        }

        var query = new VectorQuery(embedding[0].Vector, limit) { DocumentIds = documentIds, CanReadAcl = canReadAcl, Work = work };
        return await index.SearchAsync(query, cancellationToken).ConfigureAwait(false);
    }
}
