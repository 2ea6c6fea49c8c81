using System.Collections.Immutable;

namespace GraphRag.Graph.Abstractions;

/// <summary>API keys, stored by id with only a hash of their secret.</summary>
public interface IApiKeyStore
{
    /// <summary>Stores a new key. Returns false (and changes nothing) when a key with this id already exists.</summary>
    Task<bool> AddAsync(ApiKeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>The key with this id, revoked or not; null when there is none.</summary>
    Task<ApiKeyRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Every key, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks the key revoked at <paramref name="revokedAt"/>. Returns false when there is no such key; revoking a
    /// revoked key returns true and keeps its first revocation time.
    /// </summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken = default);
}

/// <summary>An append-only log of who did what and when.</summary>
public interface IAuditLog
{
    /// <summary>Appends an entry (its <see cref="AuditEntry.Seq"/> is ignored) and returns the sequence number it got.</summary>
    Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Entries matching the query, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(AuditQuery query, CancellationToken cancellationToken = default);
}

/// <summary>A stored API key. The secret itself is never stored, only its SHA-256 hash.</summary>
/// <param name="Id">The public part of the key: 12 lowercase hexadecimal characters.</param>
/// <param name="SecretHash">SHA-256 of the key's secret part (32 bytes).</param>
/// <param name="Principal">The principal the key authenticates as.</param>
/// <param name="Groups">The principal's groups, in order (the first is where its uploads go by default).</param>
/// <param name="Grants">What the key is granted (see <see cref="Security.Grants"/>).</param>
/// <param name="CreatedAt">When the key was created.</param>
/// <param name="RevokedAt">When the key was revoked; null while it is valid.</param>
public sealed record ApiKeyRecord(
    string Id,
    ImmutableArray<byte> SecretHash,
    string Principal,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> Grants,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt = null)
{
    /// <summary>Refuses a key without an id, a principal, its groups and grants, or its secret's hash (every store checks this).</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Id);
        ArgumentException.ThrowIfNullOrEmpty(Principal);
        ArgumentNullException.ThrowIfNull(Groups);
        ArgumentNullException.ThrowIfNull(Grants);
        if (SecretHash.IsDefaultOrEmpty)
        {
            throw new ArgumentException("An API key needs its secret's hash.", "key");
        }
    }

    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>
/// One audited action: who (<paramref name="Principal"/>), what (<paramref name="Action"/> on
/// <paramref name="Target"/>), when and how it ended. <paramref name="Details"/> holds short facts such as a query's
/// mode or a document count; it must never carry document text, and stores bound its size to keep it that way.
/// </summary>
/// <param name="Seq">The store's sequence number; 0 for an entry not yet appended.</param>
/// <param name="At">When it happened (stored in UTC).</param>
/// <param name="Principal">Who did it.</param>
/// <param name="Action">What was done, e.g. <c>query</c>, <c>document.upload</c>, <c>document.delete</c>.</param>
/// <param name="Target">What it was done to (a document id), or null.</param>
/// <param name="Outcome">How it ended, e.g. <c>ok</c>, <c>denied</c>, <c>not_found</c>, <c>error</c>.</param>
/// <param name="Details">Small name/value facts; see <see cref="MaxDetails"/> and <see cref="MaxDetailLength"/>.</param>
public sealed record AuditEntry(
    long Seq,
    DateTimeOffset At,
    string Principal,
    string Action,
    string? Target,
    string Outcome,
    IReadOnlyDictionary<string, string> Details)
{
    /// <summary>Refuses an entry without who, what and outcome, or with details beyond the limits (every store checks this).</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Principal);
        ArgumentException.ThrowIfNullOrEmpty(Action);
        ArgumentException.ThrowIfNullOrEmpty(Outcome);
        ArgumentNullException.ThrowIfNull(Details);

        if (Details.Count > MaxDetails || Details.Any(d => d.Key.Length > MaxDetailLength || d.Value is null || d.Value.Length > MaxDetailLength))
        {
            throw new ArgumentException(
                $"Audit details are limited to {MaxDetails} entries of at most {MaxDetailLength} characters each; document text does not belong there.",
                "entry");
        }
    }

    /// <summary>At most this many details per entry.</summary>
    public const int MaxDetails = 32;

    /// <summary>At most this many characters per detail name or value: room for ids and counts, not for passages.</summary>
    public const int MaxDetailLength = 256;
}

/// <summary>Which audit entries to read, newest first.</summary>
/// <param name="Limit">At most this many entries (1-10000).</param>
/// <param name="Principal">Only this principal's entries, when not null.</param>
/// <param name="Since">Only entries at or after this time, when not null.</param>
public sealed record AuditQuery(int Limit = 100, string? Principal = null, DateTimeOffset? Since = null);

/// <summary>
/// Named values a store keeps for its own use, each set once and the same ever after: secrets (the personal-data
/// pseudonym key) and facts about the store (its corpus root). Never listed or exported.
/// </summary>
public interface IStoreSecrets
{
    /// <summary>
    /// The value stored under <paramref name="name"/>: <paramref name="value"/> when this call is the first to set it,
    /// otherwise the value stored before (a concurrent first caller's included).
    /// </summary>
    Task<ReadOnlyMemory<byte>> GetOrAddAsync(string name, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>The value stored under <paramref name="name"/>, or null when none is: a lookup that stores nothing (dry runs).</summary>
    Task<ReadOnlyMemory<byte>?> GetValueAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>Conveniences over <see cref="IStoreSecrets"/>.</summary>
public static class StoreSecretsExtensions
{
    /// <summary>The secret with this name, created (32 random bytes) on first use and the same ever after.</summary>
    public static Task<ReadOnlyMemory<byte>> GetOrCreateSecretAsync(this IStoreSecrets secrets, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        return secrets.GetOrAddAsync(name, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), cancellationToken);
    }
}

/// <summary>Fills in the personal-data spans of documents stored before spans were recorded.</summary>
public interface ISensitiveSpanBackfill
{
    /// <summary>Up to <paramref name="limit"/> documents (id and text) whose spans were never recorded.</summary>
    Task<IReadOnlyList<(string DocumentId, string Text)>> GetUnscannedAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Records the spans of these documents (in one transaction; a new store generation).</summary>
    Task SetSensitiveAsync(IReadOnlyDictionary<string, IReadOnlyList<Model.SensitiveSpan>> spans, CancellationToken cancellationToken = default);
}
