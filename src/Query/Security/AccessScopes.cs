using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
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

        return ScopeOf(await CurrentAsync(cancellationToken).ConfigureAwait(false), caller);
    }

    /// <summary>
    /// The caller's scope (null for an administrator) and the documents whose text needs no masking (policy
    /// <c>keep</c>; every other document's text is masked for callers without the <c>pii</c> grant), from one read of
    /// the store's generation.
    /// </summary>
    public async Task<CallerAccess> ResolveAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var cache = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        return new CallerAccess(caller.IsAdministrator ? null : ScopeOf(cache, caller), cache.Unmasked, cache.Sensitive);
    }

    private static AccessScope ScopeOf(Cache cache, Caller caller)
    {
        var key = string.Join('\n', caller.AclEntries.Order(StringComparer.Ordinal));
        var readable = cache.Readable.GetOrAdd(key, _ => cache.Documents
            .Where(d => AccessControl.CanRead(d.Acl, caller))
            .Select(d => d.DocumentId)
            .ToHashSet(StringComparer.Ordinal));
        return new AccessScope(caller.Principal, readable.Contains, readable, acl => AccessControl.CanRead(acl, caller));
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

        public IReadOnlyDictionary<string, IReadOnlyList<SensitiveSpan>> Sensitive { get; } = documents
            .Where(d => d.Sensitive is { Count: > 0 })
            .ToDictionary(d => d.DocumentId, d => d.Sensitive!, StringComparer.Ordinal);

        public System.Collections.Concurrent.ConcurrentDictionary<string, HashSet<string>> Readable { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>What one caller may read and which documents' text it may see unmasked.</summary>
/// <param name="Scope">The readable documents; null for an administrator, who reads everything.</param>
/// <param name="UnmaskedDocuments">Documents stored with personal data kept as is (policy <c>keep</c>).</param>
/// <param name="Sensitive">Each document's personal-data spans, for documents that have any.</param>
public sealed record CallerAccess(
    AccessScope? Scope, IReadOnlySet<string> UnmaskedDocuments, IReadOnlyDictionary<string, IReadOnlyList<SensitiveSpan>> Sensitive);
