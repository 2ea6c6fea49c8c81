using GraphRag.Graph.Rows;

namespace GraphRag.Graph.Abstractions;

/// <summary>
/// One store, as the roles the engine uses: what a backend (the embedded SQLite file, a Neo4j server) hands the host.
/// Each role is a small interface, and the in-memory <see cref="Indexes"/> are the shared graph logic fed by the
/// store's rows, the same for every backend.
/// </summary>
public interface IGraphBackend : IAsyncDisposable
{
    /// <summary>Where the data lives, for messages: a file path or a server address (never credentials).</summary>
    string Location { get; }

    IDocumentWriter Writer { get; }

    IDocumentReader Documents { get; }

    IStoreStatistics Statistics { get; }

    IAccessIndex Access { get; }

    ISensitiveSpanBackfill Backfill { get; }

    IGraphReader Graph { get; }

    IApiKeyStore Keys { get; }

    IAuditLog Audit { get; }

    IStoreSecrets Secrets { get; }

    /// <summary>Lexical search, vector search and the graph snapshot, kept current with the store.</summary>
    GraphIndexes Indexes { get; }

    /// <summary>The store's chunk vectors (reuse and re-embedding); null for a backend that keeps none.</summary>
    IChunkVectorStore? Vectors => null;

    /// <summary>Cached language-model extraction replies (<c>ingest --llm</c>); null for a backend that keeps none.</summary>
    IExtractionCache? ExtractionCache => null;

    /// <summary>Streams everything the store holds for a bulk export; null for a backend that cannot.</summary>
    IGraphExportSource? Export => null;
}
