using System.Text.Json;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using Microsoft.Data.Sqlite;
using static GraphRag.Graph.Sqlite.SqliteDatabase;

namespace GraphRag.Graph.Sqlite;

/// <summary>
/// Documents and what derives from them, stored: whole-document writes and deletes in one transaction each, document
/// and chunk reads, ACLs, counts, and the per-document rows and change log the in-memory indexes are built from.
/// Storage only: no ranking, traversal or voting logic lives here.
/// </summary>
public sealed partial class SqliteDocuments : IDocumentWriter, IDocumentReader, IStoreStatistics, IAccessIndex, ISensitiveSpanBackfill
{
    private readonly SqliteDatabase _db;

    internal SqliteDocuments(SqliteDatabase db) => _db = db;

    /// <summary>The columns <see cref="ReadDocument"/> reads, in its order.</summary>
    internal const string DocumentColumns = "id, source, title, media_type, content_hash, metadata, regions, acl, text, sensitive";

    /// <summary>The columns <see cref="ReadChunk"/> reads, in its order.</summary>
    internal const string ChunkColumns = "id, document_id, ordinal, start_offset, end_offset, token_count, page, section, text";

    /// <summary>A chunk from a row that starts with <see cref="ChunkColumns"/>.</summary>
    internal static Chunk ReadChunk(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        DocumentId = reader.GetString(1),
        Ordinal = reader.GetInt32(2),
        Start = reader.GetInt32(3),
        End = reader.GetInt32(4),
        TokenCount = reader.GetInt32(5),
        Page = reader.IsDBNull(6) ? null : reader.GetInt32(6),
        Section = reader.IsDBNull(7) ? null : reader.GetString(7),
        Text = reader.GetString(8),
    };

    public async Task<Document?> GetDocumentAsync(string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(
            connection,
            null,
            $"SELECT {DocumentColumns} FROM documents WHERE id = $id");
        command.Parameters.AddWithValue("$id", documentId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return ReadDocument(reader);
    }

    /// <summary>A document from a row of <see cref="DocumentColumns"/>.</summary>
    internal static Document ReadDocument(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Source = reader.GetString(1),
        Title = reader.GetString(2),
        MediaType = reader.GetString(3),
        ContentHash = reader.GetString(4),
        Metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(5), Json) ?? [],
        Regions = JsonSerializer.Deserialize<List<DocumentRegion>>(reader.GetString(6), Json) ?? [],
        Acl = JsonSerializer.Deserialize<List<string>>(reader.GetString(7), Json) ?? [],
        Text = reader.GetString(8),
        Sensitive = reader.IsDBNull(9) ? null : ReadSensitive(reader.GetString(9)),
    };

    public async Task<IReadOnlyDictionary<string, DocumentState>> GetDocumentStatesAsync(
        IReadOnlyCollection<string>? documentIds, CancellationToken cancellationToken = default)
    {
        using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = documentIds is null
            ? Command(connection, null, "SELECT id, content_hash, pipeline FROM documents")
            : Command(connection, null, "SELECT id, content_hash, pipeline FROM documents WHERE id IN (SELECT value FROM json_each($ids))");
        if (documentIds is not null)
        {
            command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(documentIds, Json));
        }
        var states = new Dictionary<string, DocumentState>(StringComparer.Ordinal);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            states[reader.GetString(0)] = new DocumentState(reader.GetString(1), reader.GetString(2));
        }

        return states;
    }

    public async Task<IReadOnlyList<DocumentSummary>> ListDocumentsAsync(
        DocumentListRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = request.Ids is null
            ? Command(connection, null, ListDocumentsSql)
            : Command(connection, null, ListDocumentsByIdSql);
        if (request.Ids is not null)
        {
            command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(request.Ids, Json));
        }

        command.Parameters.AddWithValue("$limit", Math.Clamp(request.Limit, 0, 10_000));
        command.Parameters.AddWithValue("$offset", Math.Max(0, request.Offset));
        var result = new List<DocumentSummary>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new DocumentSummary(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4)));
        }

        return result;
    }

    private const string ListDocumentsSql = """
        SELECT d.id, d.title, d.source, d.media_type, (SELECT COUNT(*) FROM chunks c WHERE c.document_id = d.id)
        FROM documents d ORDER BY d.id LIMIT $limit OFFSET $offset
        """;

    private const string ListDocumentsByIdSql = """
        SELECT d.id, d.title, d.source, d.media_type, (SELECT COUNT(*) FROM chunks c WHERE c.document_id = d.id)
        FROM documents d WHERE d.id IN (SELECT value FROM json_each($ids))
        ORDER BY d.id LIMIT $limit OFFSET $offset
        """;

    public async Task<IReadOnlyList<Chunk>> GetChunksAsync(
        IReadOnlyCollection<string> chunkIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunkIds);
        if (chunkIds.Count == 0)
        {
            return [];
        }

        using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // The ids travel as one JSON array parameter: no SQL is built from data.
        using var command = Command(
            connection, null, $"SELECT {ChunkColumns} FROM chunks WHERE id IN (SELECT value FROM json_each($ids))");
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(chunkIds, Json));
        return await ReadChunksAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Chunk>> GetDocumentChunksAsync(string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(
            connection, null, $"SELECT {ChunkColumns} FROM chunks WHERE document_id = $id ORDER BY ordinal");
        command.Parameters.AddWithValue("$id", documentId);
        return await ReadChunksAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoreCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        await _db.EnsureAggregatesAsync(cancellationToken).ConfigureAwait(false);
        using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(
            connection,
            null,
            """
            SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM chunks),
                   (SELECT COUNT(*) FROM entities), (SELECT COUNT(*) FROM relations)
            """);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new StoreCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    private static async Task<IReadOnlyList<Chunk>> ReadChunksAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var chunks = new List<Chunk>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            chunks.Add(ReadChunk(reader));
        }

        return chunks;
    }


    public async Task<DocumentAccessList> GetAccessListAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = connection.BeginTransaction(deferred: true);
        var generation = await ReadGenerationAsync(connection, cancellationToken, transaction).ConfigureAwait(false);
        using var command = Command(
            connection, transaction, "SELECT id, acl, json_extract(metadata, '$.\"pii.policy\"'), sensitive FROM documents ORDER BY id");
        var documents = new List<DocumentAccess>();
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                documents.Add(new DocumentAccess(
                    reader.GetString(0),
                    JsonSerializer.Deserialize<List<string>>(reader.GetString(1), Json) ?? [],
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : ReadSensitive(reader.GetString(3))));
            }
        }

        return new DocumentAccessList(generation, documents);
    }

    /// <summary>Personal-data spans as stored; most documents have none, and share one empty list.</summary>
    private static IReadOnlyList<SensitiveSpan> ReadSensitive(string json) =>
        json == "[]" ? [] : JsonSerializer.Deserialize<List<SensitiveSpan>>(json, Json) ?? [];

    public Task<long> GetGenerationAsync(CancellationToken cancellationToken = default) => _db.ReadGenerationAsync(cancellationToken);

    public async Task<IReadOnlyList<(string DocumentId, string Text)>> GetUnscannedAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(connection, null, "SELECT id, text FROM documents WHERE sensitive IS NULL ORDER BY id LIMIT $limit");
        command.Parameters.AddWithValue("$limit", limit);
        var documents = new List<(string, string)>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            documents.Add((reader.GetString(0), reader.GetString(1)));
        }

        return documents;
    }

    public async Task SetSensitiveAsync(
        IReadOnlyDictionary<string, IReadOnlyList<Model.SensitiveSpan>> spans, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spans);
        _db.EnsureWritable();
        if (spans.Count == 0)
        {
            return;
        }

        await _db.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var command = Command(connection, transaction, """
                UPDATE documents SET sensitive = value ->> 1
                FROM json_each($rows) WHERE documents.id = value ->> 0
                """))
            {
                command.Parameters.AddWithValue(
                    "$rows", JsonSerializer.Serialize(spans.Select(p => new object[] { p.Key, JsonSerializer.Serialize(p.Value, Json) }), Json));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // Masking reads spans with the ACLs, per generation: a new one makes callers see the recorded spans.
            using (var bump = Command(connection, transaction, "UPDATE meta SET value = value + 1 WHERE key = 'generation'"))
            {
                await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
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
}
