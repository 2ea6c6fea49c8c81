namespace GraphRag.Graph.Model;

/// <summary>
/// What every store checks of a bundle before it writes anything, so a bad bundle is refused whole, the same way by
/// every backend.
/// </summary>
public static class BundleRules
{
    /// <summary>Ids present; chunks and mentions inside the document's text.</summary>
    public static void Validate(DocumentBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var document = bundle.Document;
        ArgumentException.ThrowIfNullOrEmpty(document.Id);
        ArgumentException.ThrowIfNullOrEmpty(bundle.PipelineVersion);
        foreach (var chunk in bundle.Chunks)
        {
            if (chunk.DocumentId != document.Id || chunk.Start < 0 || chunk.End > document.Text.Length || chunk.Start > chunk.End)
            {
                throw new ArgumentException($"Chunk {chunk.Id} does not lie inside document {document.Id}.", nameof(bundle));
            }
        }

        foreach (var mention in bundle.Graph.Mentions)
        {
            if (mention.Span.DocumentId != document.Id || mention.Span.Start < 0 || mention.Span.End > document.Text.Length)
            {
                throw new ArgumentException($"Mention {mention.Id} does not lie inside document {document.Id}.", nameof(bundle));
            }
        }

        if (bundle.ExtractionCache.Count > 0)
        {
            var chunks = bundle.Chunks.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var entry in bundle.ExtractionCache)
            {
                if (string.IsNullOrEmpty(entry.Key) || entry.Reply is null || !chunks.Contains(entry.ChunkId))
                {
                    throw new ArgumentException($"An extraction cache entry of document {document.Id} names no chunk of it, or has no key or reply.", nameof(bundle));
                }
            }
        }
    }

    /// <summary>
    /// The extraction cache rows a store writes for a bundle: one per key (the first entry of a key wins), each with the
    /// hash of its chunk's text (<see cref="ChunkTextHash"/>), in the bundle's order.
    /// </summary>
    public static IReadOnlyList<(string Key, string TextHash, string Reply)> CacheRows(DocumentBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (bundle.ExtractionCache.Count == 0)
        {
            return [];
        }

        var texts = bundle.Chunks.ToDictionary(c => c.Id, c => c.Text, StringComparer.Ordinal);
        return bundle.ExtractionCache
            .DistinctBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => (e.Key, ChunkTextHash(texts[e.ChunkId]), e.Reply))
            .ToList();
    }

    /// <summary>
    /// The hashes of a bundle's chunk texts: when a document is replaced, its cached replies for text the new version
    /// still has are kept (whatever extractor made the new version), the rest are deleted.
    /// </summary>
    public static IReadOnlyList<string> ChunkTextHashes(DocumentBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return bundle.Chunks.Select(c => ChunkTextHash(c.Text)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The hash that ties a cached reply to the chunk text it was made from.</summary>
    public static string ChunkTextHash(string text) => StableId.Hash("chunk-text", text);

    /// <summary>
    /// For stores where mentions and relations are edges between the document's own nodes (a graph database): each
    /// mention joins one of the document's chunks to one of its entities, and each relation two of its entities.
    /// </summary>
    public static void ValidateEdges(DocumentBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var document = bundle.Document;
        var entities = bundle.Graph.Entities.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var chunks = bundle.Chunks.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var mention in bundle.Graph.Mentions)
        {
            if (!entities.Contains(mention.EntityId) || !chunks.Contains(mention.Span.ChunkId))
            {
                throw new ArgumentException($"Mention {mention.Id} names an entity or chunk that document {document.Id} does not have.", nameof(bundle));
            }
        }

        foreach (var relation in bundle.Graph.Relations)
        {
            if (!entities.Contains(relation.SourceId) || !entities.Contains(relation.TargetId))
            {
                throw new ArgumentException($"Relation {relation.Id} joins an entity that document {document.Id} does not name.", nameof(bundle));
            }
        }
    }

    /// <summary>A bundle's vectors must be of the configured model and belong to its chunks, one each.</summary>
    public static void ValidateVectors(DocumentBundle bundle, VectorModel? model)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (bundle.Vectors.Count == 0 || model is null)
        {
            return;
        }

        if (bundle.VectorModel is { } made && made != model)
        {
            throw new ArgumentException($"Document {bundle.Document.Id} has vectors of {made}; the store is configured for {model}.", nameof(bundle));
        }

        ValidateDimensions(bundle.Vectors, model);
        var chunks = bundle.Chunks.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var vector in bundle.Vectors)
        {
            if (!chunks.Contains(vector.ChunkId) || !seen.Add(vector.ChunkId))
            {
                throw new ArgumentException($"Vector of chunk {vector.ChunkId} is not one per chunk of document {bundle.Document.Id}.", nameof(bundle));
            }
        }
    }

    /// <summary>Every vector has the model's dimensions and a text hash.</summary>
    public static void ValidateDimensions(IReadOnlyList<ChunkVector> vectors, VectorModel model)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(model);
        if (vectors.FirstOrDefault(v => v.Dimensions != model.Dimensions || string.IsNullOrEmpty(v.TextHash)) is { } wrong)
        {
            throw new ArgumentException(
                $"Vector of chunk {wrong.ChunkId} has {wrong.Dimensions} dimensions (and text hash '{wrong.TextHash}'); the model {model} needs {model.Dimensions}.",
                nameof(vectors));
        }
    }
}
