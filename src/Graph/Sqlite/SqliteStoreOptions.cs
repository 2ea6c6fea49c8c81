using System.ComponentModel.DataAnnotations;

namespace GraphRag.Graph.Sqlite;

/// <summary>Settings for the embedded store.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Path of the database file; created with its folder when missing.</summary>
    [Required]
    public string Path { get; set; } = "graphrag.db";

    /// <summary>How long a connection waits for a lock held by another process before failing.</summary>
    [Range(0, 600_000)]
    public int BusyTimeoutMilliseconds { get; set; } = 30_000;

    /// <summary>Open without creating or migrating; every write fails.</summary>
    public bool ReadOnly { get; set; }
}
