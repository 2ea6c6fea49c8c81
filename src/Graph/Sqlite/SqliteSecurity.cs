using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using GraphRag.Graph.Abstractions;
using Microsoft.Data.Sqlite;
using static GraphRag.Graph.Sqlite.SqliteDatabase;

namespace GraphRag.Graph.Sqlite;

/// <summary>
/// API keys, the audit log and the store's own secrets. These writes go through the same write lock as documents but
/// never bump the store's generation: a new key or audit line changes no document, so cached snapshots and access
/// scopes stay valid.
/// </summary>
public sealed class SqliteSecurity : IApiKeyStore, IAuditLog, IStoreSecrets
{
    private readonly SqliteDatabase _db;

    internal SqliteSecurity(SqliteDatabase db) => _db = db;

    private const int MaxAuditLimit = 10_000;

    public async Task<bool> AddAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.Validate();

        _db.EnsureWritable();
        await _db.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var command = Command(
                connection,
                null,
                """
                INSERT INTO api_keys (id, secret_hash, principal, groups, grants, created_at, revoked_at)
                VALUES ($id, $hash, $principal, $groups, $grants, $created, $revoked)
                ON CONFLICT (id) DO NOTHING
                """);
            command.Parameters.AddWithValue("$id", key.Id);
            command.Parameters.AddWithValue("$hash", key.SecretHash.ToArray());
            command.Parameters.AddWithValue("$principal", key.Principal);
            command.Parameters.AddWithValue("$groups", JsonSerializer.Serialize(key.Groups, Json));
            command.Parameters.AddWithValue("$grants", JsonSerializer.Serialize(key.Grants, Json));
            command.Parameters.AddWithValue("$created", FormatTime(key.CreatedAt));
            command.Parameters.AddWithValue("$revoked", key.RevokedAt is { } revoked ? FormatTime(revoked) : DBNull.Value);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (SqliteException ex) when (IsBusy(ex))
        {
            throw Busy(ex);
        }
        finally
        {
            _db.WriteLock.Release();
        }
    }

    public async Task<ApiKeyRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(
            connection,
            null,
            "SELECT id, secret_hash, principal, groups, grants, created_at, revoked_at FROM api_keys WHERE id = $id");
        command.Parameters.AddWithValue("$id", id);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadKey(reader) : null;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(
            connection,
            null,
            "SELECT id, secret_hash, principal, groups, grants, created_at, revoked_at FROM api_keys ORDER BY created_at, id");
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<ApiKeyRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(ReadKey(reader));
        }

        return keys;
    }

    public async Task<bool> RevokeAsync(string id, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        _db.EnsureWritable();
        await _db.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var command = Command(
                connection, null, "UPDATE api_keys SET revoked_at = coalesce(revoked_at, $revoked) WHERE id = $id");
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$revoked", FormatTime(revokedAt));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (SqliteException ex) when (IsBusy(ex))
        {
            throw Busy(ex);
        }
        finally
        {
            _db.WriteLock.Release();
        }
    }

    public async Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry.Validate();

        _db.EnsureWritable();
        await _db.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var command = Command(
                connection,
                null,
                """
                INSERT INTO audit_log (at, principal, action, target, outcome, details)
                VALUES ($at, $principal, $action, $target, $outcome, $details)
                RETURNING seq
                """);
            command.Parameters.AddWithValue("$at", FormatTime(entry.At));
            command.Parameters.AddWithValue("$principal", entry.Principal);
            command.Parameters.AddWithValue("$action", entry.Action);
            command.Parameters.AddWithValue("$target", (object?)entry.Target ?? DBNull.Value);
            command.Parameters.AddWithValue("$outcome", entry.Outcome);
            // Sorted, so equal details give byte-identical rows.
            var details = new SortedDictionary<string, string>(entry.Details.ToDictionary(), StringComparer.Ordinal);
            command.Parameters.AddWithValue("$details", JsonSerializer.Serialize(details, Json));
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (SqliteException ex) when (IsBusy(ex))
        {
            throw Busy(ex);
        }
        finally
        {
            _db.WriteLock.Release();
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxAuditLimit, nameof(query));
        using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One statement for every filter combination: a null parameter switches its filter off.
        using var command = Command(
            connection,
            null,
            """
            SELECT seq, at, principal, action, target, outcome, details FROM audit_log
            WHERE ($principal IS NULL OR principal = $principal) AND ($since IS NULL OR at >= $since)
            ORDER BY seq DESC
            LIMIT $limit
            """);
        command.Parameters.AddWithValue("$principal", (object?)query.Principal ?? DBNull.Value);
        command.Parameters.AddWithValue("$since", query.Since is { } since ? FormatTime(since) : DBNull.Value);
        command.Parameters.AddWithValue("$limit", query.Limit);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new AuditEntry(
                reader.GetInt64(0),
                ParseTime(reader.GetString(1)),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetString(5),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6), Json) ?? []));
        }

        return entries;
    }

    private static ApiKeyRecord ReadKey(SqliteDataReader reader) => new(
        reader.GetString(0),
        ImmutableArray.Create((byte[])reader.GetValue(1)),
        reader.GetString(2),
        JsonSerializer.Deserialize<List<string>>(reader.GetString(3), Json) ?? [],
        JsonSerializer.Deserialize<List<string>>(reader.GetString(4), Json) ?? [],
        ParseTime(reader.GetString(5)),
        reader.IsDBNull(6) ? null : ParseTime(reader.GetString(6)));

    /// <summary>Fixed-width UTC ("2025-01-31T09:00:00.0000000Z"), so comparing the text compares the times.</summary>
    private static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public async Task<ReadOnlyMemory<byte>> GetOrAddAsync(string name, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_db.ReadOnly)
        {
            await _db.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                using var insert = Command(connection, null, "INSERT INTO secrets (name, value) VALUES ($name, $value) ON CONFLICT (name) DO NOTHING");
                insert.Parameters.AddWithValue("$name", name);
                insert.Parameters.AddWithValue("$value", value.ToArray());
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException ex) when (IsBusy(ex))
            {
                throw Busy(ex);
            }
            finally
            {
                _db.WriteLock.Release();
            }
        }

        return await GetValueAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new StoreException($"The store has no value '{name}' and was opened read-only.");
    }

    public async Task<ReadOnlyMemory<byte>?> GetValueAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var read = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(read, null, "SELECT value FROM secrets WHERE name = $name");
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is byte[] value ? new ReadOnlyMemory<byte>(value) : (ReadOnlyMemory<byte>?)null;
    }

}
