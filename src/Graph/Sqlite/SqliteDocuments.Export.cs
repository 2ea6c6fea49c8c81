using System.Runtime.CompilerServices;
using System.Text.Json;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using Microsoft.Data.Sqlite;

using static GraphRag.Graph.Sqlite.SqliteDatabase;

namespace GraphRag.Graph.Sqlite;

/// <summary>
/// The whole store streamed for a bulk export: one read transaction on a connection of its own, each table read in id
/// order through its index, row by row, so an export's memory does not grow with the store.
/// </summary>
public sealed partial class SqliteDocuments : IGraphExportSource
{
    public async Task<IGraphExportReader> OpenExportAsync(CancellationToken cancellationToken = default)
    {
        await _db.EnsureAggregatesAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _db.OpenDedicatedConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, "PRAGMA cache_size = -32768", cancellationToken).ConfigureAwait(false);
            var transaction = connection.BeginTransaction(deferred: true);
            var generation = await ReadGenerationAsync(connection, cancellationToken, transaction).ConfigureAwait(false);
            return new ExportReader(connection, transaction, generation);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private const string ExportDocumentsSql = $"""
        SELECT {DocumentColumns}, pipeline FROM documents ORDER BY id
        """;

    // The chunk columns are ChunkColumns' (ReadChunk reads them), qualified for the join.
    private const string ExportChunksSql = """
        SELECT c.id, c.document_id, c.ordinal, c.start_offset, c.end_offset, c.token_count, c.page, c.section, c.text,
               v.chunk_id, v.text_hash, v.scale, v.data
        FROM chunks c LEFT JOIN chunk_vectors v ON v.chunk_id = c.id
        ORDER BY c.document_id, c.ordinal
        """;

    private const string ExportEntitiesSql = """
        SELECT e.id, e.key, e.name, e.type, e.mention_count, e.document_count,
               d.document_id, d.key, d.name, d.type, d.mention_count
        FROM entities e LEFT JOIN document_entities d ON d.entity_id = e.id
        ORDER BY e.id, d.document_id
        """;

    private const string ExportMentionsSql = """
        SELECT id, entity_id, document_id, chunk_id, start_offset, end_offset, text, surface_key, type, resolution, extractor
        FROM mentions ORDER BY document_id, chunk_id, start_offset, end_offset, id
        """;

    private const string ExportRelationsSql = """
        SELECT r.id, r.source_id, r.target_id, r.label, r.weight,
               e.document_id, e.chunk_id, e.start_offset, e.end_offset, e.phrase, e.weight, e.extractor
        FROM relations r LEFT JOIN relation_evidence e ON e.relation_id = r.id
        ORDER BY r.id, e.document_id, e.chunk_id, e.start_offset, e.end_offset
        """;

    /// <summary>One read transaction over every table an export needs.</summary>
    private sealed class ExportReader(SqliteConnection connection, SqliteTransaction transaction, long generation) : IGraphExportReader
    {
        public long Generation { get; } = generation;

        public async IAsyncEnumerable<ExportDocument> ReadDocumentsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            using var command = Command(connection, transaction, ExportDocumentsSql);
            using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return new ExportDocument(ReadDocument(r), r.GetString(10));
            }
        }

        public async IAsyncEnumerable<ExportChunk> ReadChunksAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            using var command = Command(connection, transaction, ExportChunksSql);
            using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var chunk = ReadChunk(r);
                yield return new ExportChunk(chunk, r.IsDBNull(9) ? null : ReadVector(r, 9));
            }
        }

        public async IAsyncEnumerable<ExportEntity> ReadEntitiesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            using var command = Command(connection, transaction, ExportEntitiesSql);
            using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            Entity? current = null;
            var descriptions = new List<EntityDescription>();
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = r.GetString(0);
                if (current is null || !string.Equals(current.Id, id, StringComparison.Ordinal))
                {
                    if (current is not null)
                    {
                        yield return new ExportEntity(current, descriptions);
                        descriptions = [];
                    }

                    current = new Entity
                    {
                        Id = id,
                        Key = r.GetString(1),
                        Name = r.GetString(2),
                        Type = r.GetString(3),
                        MentionCount = r.GetInt32(4),
                        DocumentCount = r.GetInt32(5),
                    };
                }

                if (!r.IsDBNull(6))
                {
                    descriptions.Add(new EntityDescription(r.GetString(6), r.GetString(7), r.GetString(8), r.GetString(9), r.GetInt32(10)));
                }
            }

            if (current is not null)
            {
                yield return new ExportEntity(current, descriptions);
            }
        }

        public async IAsyncEnumerable<ExportMention> ReadMentionsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            using var command = Command(connection, transaction, ExportMentionsSql);
            using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var mention = new Mention
                {
                    Id = r.GetString(0),
                    EntityId = r.GetString(1),
                    Span = new TextSpan(r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetInt32(5)),
                    Text = r.GetString(6),
                    Type = r.GetString(8),
                    Resolution = r.GetString(9),
                    Extractor = r.GetString(10),
                };
                yield return new ExportMention(mention, r.GetString(7));
            }
        }

        public async IAsyncEnumerable<Relation> ReadRelationsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            using var command = Command(connection, transaction, ExportRelationsSql);
            using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            Relation? current = null;
            var evidence = new List<RelationEvidence>();
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = r.GetString(0);
                if (current is null || !string.Equals(current.Id, id, StringComparison.Ordinal))
                {
                    if (current is not null)
                    {
                        yield return current with { Evidence = evidence };
                        evidence = [];
                    }

                    current = new Relation { Id = id, SourceId = r.GetString(1), TargetId = r.GetString(2), Label = r.GetString(3), Weight = r.GetDouble(4) };
                }

                if (!r.IsDBNull(5))
                {
                    evidence.Add(new RelationEvidence(new TextSpan(r.GetString(5), r.GetString(6), r.GetInt32(7), r.GetInt32(8)), r.GetString(9), r.GetDouble(10))
                    {
                        Extractor = r.GetString(11),
                    });
                }
            }

            if (current is not null)
            {
                yield return current with { Evidence = evidence };
            }
        }

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
