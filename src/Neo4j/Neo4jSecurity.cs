using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using GraphRag.Graph;
using GraphRag.Graph.Abstractions;

namespace GraphRag.Neo4j;

/// <summary>
/// API keys (<c>GraphRagApiKey</c>), the audit log (<c>GraphRagAudit</c>) and the store's secrets (<c>GraphRagSecret</c>).
/// None of them changes a document, so none moves the store's generation.
/// </summary>
public sealed class Neo4jSecurity : IApiKeyStore, IAuditLog, IStoreSecrets
{
    private const int MaxAuditLimit = 10_000;
    private readonly Neo4jHttp _http;
    private readonly string _store;

    internal Neo4jSecurity(Neo4jHttp http, string store)
    {
        _http = http;
        _store = store;
    }

    private Statement Q(string name, params (string Name, object? Value)[] parameters) => Cypher.Statement(name, _store, parameters);

    private async Task<IReadOnlyList<JsonElement[]>> RowsAsync(Statement statement, CancellationToken cancellationToken) =>
        (await _http.RunAsync([statement], cancellationToken).ConfigureAwait(false))[0].Rows;

    public async Task<bool> AddAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.Validate();

        var properties = new Dictionary<string, object?>
        {
            ["id"] = key.Id,
            ["secretHash"] = Convert.ToBase64String(key.SecretHash.AsSpan()),
            ["principal"] = key.Principal,
            ["groups"] = key.Groups,
            ["grants"] = key.Grants,
            ["createdAt"] = FormatTime(key.CreatedAt),
            ["revokedAt"] = key.RevokedAt is { } revoked ? FormatTime(revoked) : null,
        };
        var rows = await RowsAsync(Q("key-add", ("token", Guid.NewGuid().ToString("N")), ("key", properties)), cancellationToken).ConfigureAwait(false);
        return rows.Count > 0 && rows[0][0].GetInt64() == 1;
    }

    public async Task<ApiKeyRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var rows = await RowsAsync(Q("key-get", ("id", id)), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : ReadKey(rows[0]);
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        (await RowsAsync(Q("key-list"), cancellationToken).ConfigureAwait(false))
            .Select(ReadKey)
            .OrderBy(k => FormatTime(k.CreatedAt), StringComparer.Ordinal)
            .ThenBy(k => k.Id, StringComparer.Ordinal)
            .ToList();

    public async Task<bool> RevokeAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var rows = await RowsAsync(Q("key-revoke", ("id", id), ("revokedAt", FormatTime(revokedAt))), cancellationToken).ConfigureAwait(false);
        return rows[0][0].GetInt64() == 1;
    }

    public async Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.Validate();

        var properties = new Dictionary<string, object?>
        {
            ["at"] = FormatTime(entry.At),
            ["principal"] = entry.Principal,
            ["action"] = entry.Action,
            ["target"] = entry.Target,
            ["outcome"] = entry.Outcome,
            // Sorted, so equal details give identical properties.
            ["details"] = JsonSerializer.Serialize(new SortedDictionary<string, string>(entry.Details.ToDictionary(), StringComparer.Ordinal), Neo4jGraphStore.Json),
        };
        var rows = await RowsAsync(Q("audit-append", ("entry", properties)), cancellationToken).ConfigureAwait(false);
        return rows[0][0].GetInt64();
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxAuditLimit, nameof(query));
        var rows = await RowsAsync(
            Q("audit-read", ("principal", query.Principal), ("since", query.Since is { } since ? FormatTime(since) : null), ("limit", query.Limit)),
            cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new AuditEntry(
                r[0].GetInt64(),
                ParseTime(r[1].GetString()!),
                r[2].GetString()!,
                r[3].GetString()!,
                r[4].ValueKind == JsonValueKind.String ? r[4].GetString() : null,
                r[5].GetString()!,
                JsonSerializer.Deserialize<Dictionary<string, string>>(r[6].GetString()!, Neo4jGraphStore.Json) ?? []))
            .ToList();
    }

    public async Task<ReadOnlyMemory<byte>> GetOrAddAsync(string name, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var results = await _http.RunAsync(
            [
                Q("secret-create", ("token", Guid.NewGuid().ToString("N")), ("name", name), ("value", Convert.ToBase64String(value.Span))),
                Q("secret-get", ("name", name)),
            ],
            cancellationToken).ConfigureAwait(false);
        return results[1].Rows.Count == 1
            ? Convert.FromBase64String(results[1].Rows[0][0].GetString()!)
            : throw new StoreException($"The store has no single value '{name}'.");
    }

    public async Task<ReadOnlyMemory<byte>?> GetValueAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var results = await _http.RunAsync([Q("secret-get", ("name", name))], cancellationToken).ConfigureAwait(false);
        return results[0].Rows.Count == 1 ? new ReadOnlyMemory<byte>(Convert.FromBase64String(results[0].Rows[0][0].GetString()!)) : (ReadOnlyMemory<byte>?)null;
    }

    private static ApiKeyRecord ReadKey(JsonElement[] r) => new(
        r[0].GetString()!,
        ImmutableArray.Create(Convert.FromBase64String(r[1].GetString()!)),
        r[2].GetString()!,
        Neo4jGraphStore.Strings(r[3]),
        Neo4jGraphStore.Strings(r[4]),
        ParseTime(r[5].GetString()!),
        r[6].ValueKind == JsonValueKind.String ? ParseTime(r[6].GetString()!) : null);

    /// <summary>Fixed-width UTC ("2025-01-31T09:00:00.0000000Z"), so comparing the text compares the times.</summary>
    private static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
