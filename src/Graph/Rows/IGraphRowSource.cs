namespace GraphRag.Graph.Rows;

/// <summary>
/// What a store offers the in-memory indexes: consistent reads of per-document rows, and which documents changed since
/// a generation. Any store implements it; the graph logic built on it is shared.
/// </summary>
public interface IGraphRowSource
{
    /// <summary>The store's generation: it changes whenever any document is written or deleted. Cheap.</summary>
    Task<long> GetGenerationAsync(CancellationToken cancellationToken = default);

    /// <summary>Opens a read that sees one generation of the store until it is disposed.</summary>
    Task<IRowReader> OpenReadAsync(CancellationToken cancellationToken = default);
}

/// <summary>One consistent read of a store's rows.</summary>
public interface IRowReader : IAsyncDisposable
{
    /// <summary>The generation this read sees.</summary>
    long Generation { get; }

    /// <summary>
    /// The documents added, replaced or removed after <paramref name="generation"/>; null when the store no longer
    /// knows (its change log starts later), and the caller must read everything again.
    /// </summary>
    Task<IReadOnlyCollection<string>?> ChangedSinceAsync(long generation, CancellationToken cancellationToken = default);

    /// <summary>
    /// What identifies this store at <paramref name="generation"/>: the store's own id and what its change log says
    /// that generation changed. An index saved at that generation may be loaded only if this is unchanged; null when
    /// the store can no longer tell (the log no longer covers it).
    /// </summary>
    Task<string?> FingerprintAsync(long generation, CancellationToken cancellationToken = default);

    /// <summary>The rows of the given documents that exist (all documents when null), one document at a time.</summary>
    IAsyncEnumerable<DocumentRows> ReadAsync(IReadOnlyCollection<string>? documentIds, CancellationToken cancellationToken = default);
}

/// <summary>A store that reports each commit it makes, so in-memory indexes follow without reading it back.</summary>
public interface IChangeFeed
{
    /// <summary>Calls <paramref name="listener"/> after each commit, on the committing thread, in commit order.</summary>
    void Subscribe(Action<CommittedChange> listener);
}

/// <param name="Before">The store generation before the commit.</param>
/// <param name="After">The generation the commit produced.</param>
/// <param name="Removed">Documents deleted or replaced by the commit.</param>
/// <param name="Written">The documents the commit added or replaced (their rows are <see cref="DocumentRows.From"/>).</param>
public sealed record CommittedChange(long Before, long After, IReadOnlyCollection<string> Removed, IReadOnlyList<Model.DocumentBundle> Written);
