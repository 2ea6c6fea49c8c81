using System.ComponentModel.DataAnnotations;

namespace GraphRag.Graph.Sqlite;

/// <summary>Settings for the embedded store.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Path of the database file; created with its folder when missing (unless <see cref="CreateIfMissing"/> is off).</summary>
    [Required]
    public string Path { get; set; } = "graphrag.db";

    /// <summary>How long a connection waits for a lock held by another process before failing.</summary>
    [Range(0, 600_000)]
    public int BusyTimeoutMilliseconds { get; set; } = 30_000;

    /// <summary>Open without creating or migrating; every write fails.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>
    /// Create the file (and its folder) when it does not exist. Off for commands that only read or change what is
    /// stored, so a mistyped path fails with "no store" instead of opening a new, empty one.
    /// </summary>
    public bool CreateIfMissing { get; set; } = true;

    /// <summary>
    /// The embedding model chunk vectors are made with; null turns embeddings off (vectors in bundles are ignored and
    /// none are read). A store whose recorded model differs refuses to open (<see cref="VectorModelMismatchException"/>).
    /// </summary>
    public Model.VectorModel? VectorModel { get; set; }

    /// <summary>
    /// Refuse to open a store whose recorded model differs from <see cref="VectorModel"/>. Turned off only by
    /// re-embedding, which then resets the recorded model (<c>IChunkVectorStore.ResetVectorModelAsync</c>).
    /// </summary>
    public bool CheckVectorModel { get; set; } = true;
}
