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
        var vector = await EmbedAsync(text, cancellationToken).ConfigureAwait(false);
        return vector is { } probe ? await SearchAsync(probe, limit, documentIds, canReadAcl, work, cancellationToken).ConfigureAwait(false) : [];
    }

    /// <summary>The query vector of <paramref name="text"/> (the query prefix put before it); null when the model gives none.</summary>
    public async Task<ReadOnlyMemory<float>?> EmbedAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var embedding = await embeddings.GenerateAsync([QueryText(text)], cancellationToken: cancellationToken).ConfigureAwait(false);
        return embedding.Count == 0 ? null : embedding[0].Vector;
    }

    /// <summary>The chunks nearest <paramref name="vector"/> that the caller may read, scoped as the text search is.</summary>
    public Task<IReadOnlyList<VectorHit>> SearchAsync(
        ReadOnlyMemory<float> vector,
        int limit,
        IReadOnlyCollection<string>? documentIds,
        Func<IReadOnlyList<string>, bool>? canReadAcl,
        VectorWork? work = null,
        CancellationToken cancellationToken = default) =>
        index.SearchAsync(new VectorQuery(vector, limit) { DocumentIds = documentIds, CanReadAcl = canReadAcl, Work = work }, cancellationToken);

    /// <summary>True when the index can give back the vectors it holds (see <see cref="StoredVectorsAsync"/>).</summary>
    public bool ReadsStoredVectors => index is IStoredVectorReader;

    /// <summary>The stored vectors of chunks the caller has found (empty when the index cannot give them back).</summary>
    public Task<IReadOnlyList<ReadOnlyMemory<float>>> StoredVectorsAsync(IReadOnlyList<StoredChunk> chunks, CancellationToken cancellationToken = default) =>
        index is IStoredVectorReader reader
            ? reader.GetVectorsAsync(chunks, cancellationToken)
            : Task.FromResult<IReadOnlyList<ReadOnlyMemory<float>>>([]);
}
