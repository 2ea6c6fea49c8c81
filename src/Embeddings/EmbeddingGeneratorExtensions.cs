using Microsoft.Extensions.AI;

namespace GraphRag.Embeddings;

/// <summary>
/// The two roles text plays in retrieval. Asymmetric models (arctic-embed) want questions prefixed and passages
/// left alone; these keep callers from having to know which model they hold.
/// </summary>
public static class EmbeddingGeneratorExtensions
{
    /// <summary>
    /// The generator's <see cref="EmbeddingModelInfo"/>; for a generator that does not offer one, an id built from
    /// its <see cref="EmbeddingGeneratorMetadata"/> and no query prefix.
    /// </summary>
    public static EmbeddingModelInfo GetModelInfo(this IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (generator.GetService(typeof(EmbeddingModelInfo)) is EmbeddingModelInfo info)
        {
            return info;
        }

        var metadata = generator.GetService(typeof(EmbeddingGeneratorMetadata)) as EmbeddingGeneratorMetadata;
        var id = $"{metadata?.ProviderName ?? "unknown"}/{metadata?.DefaultModelId ?? "unknown"}";
        if (metadata?.DefaultModelDimensions is { } dimensions)
        {
            id += $"/{dimensions}";
        }

        return new EmbeddingModelInfo(id, metadata?.DefaultModelDimensions, null);
    }

    /// <summary>Embeds a question, with the model's query prefix in front of it.</summary>
    public static async Task<ReadOnlyMemory<float>> GenerateQueryVectorAsync(
        this IEmbeddingGenerator<string, Embedding<float>> generator,
        string question,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        var prefix = generator.GetModelInfo().QueryPrefix;
        var text = string.IsNullOrEmpty(prefix) ? question : prefix + question;
        var embeddings = await generator.GenerateAsync([text], cancellationToken: cancellationToken).ConfigureAwait(false);
        return embeddings[0].Vector;
    }

    /// <summary>Embeds passages as they are, one vector each, in input order.</summary>
    public static async Task<IReadOnlyList<ReadOnlyMemory<float>>> GeneratePassageVectorsAsync(
        this IEmbeddingGenerator<string, Embedding<float>> generator,
        IEnumerable<string> passages,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(passages);
        var texts = passages as IReadOnlyList<string> ?? [.. passages];
        if (texts.Count == 0)
        {
            return [];
        }

        var embeddings = await generator.GenerateAsync(texts, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (embeddings.Count != texts.Count)
        {
            throw new EmbeddingException($"The embedding provider returned {embeddings.Count} vectors for {texts.Count} passages.");
        }

        return [.. embeddings.Select(e => e.Vector)];
    }
}
