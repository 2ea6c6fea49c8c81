using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Security;

namespace GraphRag.Query.Security;

/// <summary>
/// Turns a caller into the <see cref="AccessScope"/> every read path honours. Document ACLs are read once per store
/// generation and each distinct set of ACL entries' readable documents is cached for that generation, so a query pays
/// one generation check. Thread-safe; build once per store.
/// </summary>
public sealed class AccessScopes
{
    private readonly IAccessIndex _index;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile Cache? _cache;

    public AccessScopes(IAccessIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        _index = index;
    }

    /// <summary>The caller's scope; null for an administrator, who reads everything.</summary>
    public async Task<AccessScope?> ForAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAdministrator)
        {
            return null;
        }

        var cache = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        var key = string.Join('\n', caller.AclEntries.Order(StringComparer.Ordinal));
        var readable = cache.Readable.GetOrAdd(key, _ => cache.Documents
            .Where(d => AccessControl.CanRead(d.Acl, caller))
            .Select(d => d.DocumentId)
            .ToHashSet(StringComparer.Ordinal));
        return new AccessScope(caller.Principal, readable.Contains, readable);
    }

    /// <summary>True when the caller may read the document (false for a document that does not exist).</summary>
    public async Task<bool> CanReadAsync(Caller caller, string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var scope = await ForAsync(caller, cancellationToken).ConfigureAwait(false);
        if (scope is not null)
        {
            return scope.CanRead(documentId);
        }

        var cache = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        return cache.Ids.Contains(documentId);
    }

    /// <summary>
    /// The documents stored with personal data kept as is (policy <c>keep</c>): text from them needs no masking.
    /// Every other document's text is masked for callers without the <c>pii</c> grant.
    /// </summary>
    public async Task<IReadOnlySet<string>> UnmaskedDocumentsAsync(CancellationToken cancellationToken = default)
    {
        var cache = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        return cache.Unmasked;
    }

    private async Task<Cache> CurrentAsync(CancellationToken cancellationToken)
    {
        var generation = await _index.GetGenerationAsync(cancellationToken).ConfigureAwait(false);
        if (_cache is { } cached && cached.Generation == generation)
        {
            return cached;
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cache is { } again && again.Generation >= generation)
            {
                return again;
            }

            var list = await _index.GetAccessListAsync(cancellationToken).ConfigureAwait(false);
            var fresh = new Cache(list.Generation, list.Documents);
            _cache = fresh;
            return fresh;
        }
        finally
        {
            _lock.Release();
        }
    }

    private sealed class Cache(long generation, IReadOnlyList<DocumentAccess> documents)
    {
        public long Generation { get; } = generation;

        public IReadOnlyList<DocumentAccess> Documents { get; } = documents;

        public HashSet<string> Ids { get; } = documents.Select(d => d.DocumentId).ToHashSet(StringComparer.Ordinal);

        public HashSet<string> Unmasked { get; } = documents
            .Where(d => string.Equals(d.PiiPolicy, "keep", StringComparison.Ordinal))
            .Select(d => d.DocumentId)
            .ToHashSet(StringComparer.Ordinal);

        public System.Collections.Concurrent.ConcurrentDictionary<string, HashSet<string>> Readable { get; } = new(StringComparer.Ordinal);
    }
}
