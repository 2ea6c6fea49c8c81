using System.Text.Json;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using Microsoft.Data.Sqlite;

namespace GraphRag.Graph.Sqlite;

public sealed partial class SqliteGraphStore
{
    private const string ChunkColumns = "id, document_id, ordinal, start_offset, end_offset, token_count, page, section, text";

    public async Task<Document?> GetDocumentAsync(string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(
            connection,
            null,
            "SELECT id, source, title, media_type, content_hash, metadata, regions, acl, text, sensitive FROM documents WHERE id = $id");
        command.Parameters.AddWithValue("$id", documentId);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new Document
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
    }

    public async Task<IReadOnlyDictionary<string, DocumentState>> GetDocumentStatesAsync(
        IReadOnlyCollection<string>? documentIds, CancellationToken cancellationToken = default)
    {
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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

        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // The ids travel as one JSON array parameter: no SQL is built from data.
        using var command = Command(
            connection, null, $"SELECT {ChunkColumns} FROM chunks WHERE id IN (SELECT value FROM json_each($ids))");
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(chunkIds, Json));
        return await ReadChunksAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Chunk>> GetDocumentChunksAsync(string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(
            connection, null, $"SELECT {ChunkColumns} FROM chunks WHERE document_id = $id ORDER BY ordinal");
        command.Parameters.AddWithValue("$id", documentId);
        return await ReadChunksAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoreCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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
            chunks.Add(new Chunk
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
            });
        }

        return chunks;
    }
}
