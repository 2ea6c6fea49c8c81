using GraphRag.Graph.Model;

namespace GraphRag.Graph.Abstractions;

/// <summary>
/// Everything a store holds, streamed for a bulk export (to Neo4j's importer, for example): one consistent read, row
/// by row, so exporting a large store never holds it in memory. A backend without it returns null from
/// <see cref="IGraphBackend.Export"/>.
/// </summary>
public interface IGraphExportSource
{
    /// <summary>Opens a read that sees one generation of the store until it is disposed.</summary>
    Task<IGraphExportReader> OpenExportAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// One consistent read of a store for export. Each stream may be read once, one at a time, in any order; rows come in
/// a stable order (by id), so identical stores export identical files.
/// </summary>
public interface IGraphExportReader : IAsyncDisposable
{
    /// <summary>The store generation this read sees.</summary>
    long Generation { get; }

    /// <summary>Documents with their full text and the pipeline version that wrote them.</summary>
    IAsyncEnumerable<ExportDocument> ReadDocumentsAsync(CancellationToken cancellationToken = default);

    /// <summary>Chunks in document order, each with its embedding when the store keeps one.</summary>
    IAsyncEnumerable<ExportChunk> ReadChunksAsync(CancellationToken cancellationToken = default);

    /// <summary>Entities as stored (name and type already chosen by the vote), with what each document calls them.</summary>
    IAsyncEnumerable<ExportEntity> ReadEntitiesAsync(CancellationToken cancellationToken = default);

    /// <summary>Every stored mention, one per span.</summary>
    IAsyncEnumerable<ExportMention> ReadMentionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Relations, each with all its evidence spans.</summary>
    IAsyncEnumerable<Relation> ReadRelationsAsync(CancellationToken cancellationToken = default);
}

/// <param name="Document">The document, text included.</param>
/// <param name="Pipeline">The pipeline version that wrote it.</param>
public sealed record ExportDocument(Document Document, string Pipeline);

/// <param name="Chunk">The chunk.</param>
/// <param name="Vector">Its stored (int8-quantised) embedding; null when it has none.</param>
public sealed record ExportChunk(Chunk Chunk, ChunkVector? Vector);

/// <param name="Entity">The entity as stored.</param>
/// <param name="Descriptions">What each document that mentions it calls it, in document id order.</param>
public sealed record ExportEntity(Entity Entity, IReadOnlyList<EntityDescription> Descriptions);

/// <summary>One document's view of an entity: the name and type it uses and how often it mentions it.</summary>
public sealed record EntityDescription(string DocumentId, string Key, string Name, string Type, int Mentions);

/// <param name="Mention">The mention, with its span.</param>
/// <param name="SurfaceKey">The normalised key of its surface text, as stored.</param>
public sealed record ExportMention(Mention Mention, string SurfaceKey);
