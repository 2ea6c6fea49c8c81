namespace GraphRag.Graph.Synonyms;

/// <summary>
/// Embeds entity names for synonym edges: the chunk embedding model seen from the graph assembly, which does not
/// reference an embedding library (Hosting adapts <c>IEmbeddingGenerator</c>).
/// </summary>
public interface IEntityNameEmbedder
{
    /// <summary>The model's id; name vectors saved under another id are embedded again.</summary>
    string ModelId { get; }

    /// <summary>One vector per name, in input order.</summary>
    Task<IReadOnlyList<ReadOnlyMemory<float>>> EmbedNamesAsync(IReadOnlyList<string> names, CancellationToken cancellationToken = default);
}
