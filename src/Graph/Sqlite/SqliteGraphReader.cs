using System.Text.Json;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using Microsoft.Data.Sqlite;
using static GraphRag.Graph.Sqlite.SqliteDatabase;

namespace GraphRag.Graph.Sqlite;

/// <summary>Entities, mentions and relations with their evidence, as stored: the graph reads that need the rows themselves.</summary>
public sealed class SqliteGraphReader : IGraphReader
{
    private readonly SqliteDatabase _db;

    internal SqliteGraphReader(SqliteDatabase db) => _db = db;

    private const int MaxAliases = 25;

    public async Task<IReadOnlyList<Entity>> GetEntitiesAsync(IReadOnlyCollection<string> entityIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entityIds);
        if (entityIds.Count == 0)
        {
            return [];
        }

        await _db.EnsureAggregatesAsync(cancellationToken).ConfigureAwait(false);
        using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var command = Command(
            connection,
            null,
            """
            SELECT id, key, name, type, mention_count, document_count FROM entities
            WHERE id IN (SELECT value FROM json_each($ids))
            ORDER BY mention_count DESC, id
            """);
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(entityIds, Json));
        return await ReadEntitiesAsync(connection, command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Entity>> FindEntitiesAsync(EntitySearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        var limit = Math.Clamp(search.Limit, 1, 10_000);
        await _db.EnsureAggregatesAsync(cancellationToken).ConfigureAwait(false);
        using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        SqliteCommand command;
        if (string.IsNullOrWhiteSpace(search.Name))
        {
            command = Command(
                connection,
                null,
                """
                SELECT id, key, name, type, mention_count, document_count FROM entities
                WHERE ($type IS NULL OR type = $type)
                ORDER BY mention_count DESC, id LIMIT $limit
                """);
        }
        else if (search.Prefix)
        {
            // A range on the key index: every key that starts with the normalised prefix.
            command = Command(
                connection,
                null,
                """
                SELECT id, key, name, type, mention_count, document_count FROM entities
                WHERE key >= $key AND key < $key || char(1114111) AND ($type IS NULL OR type = $type)
                ORDER BY mention_count DESC, id LIMIT $limit
                """);
        }
        else
        {
            command = Command(
                connection,
                null,
                """
                SELECT id, key, name, type, mention_count, document_count FROM entities
                WHERE (key = $key OR id IN (SELECT entity_id FROM mentions WHERE surface_key = $key))
                  AND ($type IS NULL OR type = $type)
                ORDER BY mention_count DESC, id LIMIT $limit
                """);
        }

        using (command)
        {
            command.Parameters.AddWithValue("$key", EntityKey.Normalize(search.Name ?? string.Empty));
            command.Parameters.AddWithValue("$type", (object?)search.Type ?? DBNull.Value);
            command.Parameters.AddWithValue("$limit", limit);
            return await ReadEntitiesAsync(connection, command, cancellationToken).ConfigureAwait(false);
        }
    }

    private const string MentionColumns = "id, entity_id, document_id, chunk_id, start_offset, end_offset, text, type, resolution, extractor";

    private const string MentionsByEntitySql = $"""
        SELECT {MentionColumns} FROM mentions WHERE entity_id IN (SELECT value FROM json_each($entities))
        ORDER BY document_id, start_offset, id LIMIT $limit
        """;

    private const string MentionsByChunkSql = $"""
        SELECT {MentionColumns} FROM mentions WHERE chunk_id IN (SELECT value FROM json_each($chunks))
        ORDER BY document_id, start_offset, id LIMIT $limit
        """;

    private const string MentionsByEntityAndChunkSql = $"""
        SELECT {MentionColumns} FROM mentions
        WHERE chunk_id IN (SELECT value FROM json_each($chunks)) AND entity_id IN (SELECT value FROM json_each($entities))
        ORDER BY document_id, start_offset, id LIMIT $limit
        """;

    private const string RelationsByIdSql = """
        SELECT id, source_id, target_id, label, weight FROM relations
        WHERE id IN (SELECT value FROM json_each($relations)) AND ($labelled = 0 OR label <> 'co_occurs')
        ORDER BY (label = 'co_occurs'), weight DESC, id LIMIT $limit
        """;

    private const string RelationsByEntitySql = """
        SELECT id, source_id, target_id, label, weight FROM relations
        WHERE id IN (SELECT id FROM relations WHERE source_id IN (SELECT value FROM json_each($entities))
                     UNION SELECT id FROM relations WHERE target_id IN (SELECT value FROM json_each($entities)))
          AND ($labelled = 0 OR label <> 'co_occurs')
        ORDER BY (label = 'co_occurs'), weight DESC, id LIMIT $limit
        """;

    private const string RelationsByEntityAndIdSql = """
        SELECT id, source_id, target_id, label, weight FROM relations
        WHERE id IN (SELECT value FROM json_each($relations))
          AND (source_id IN (SELECT value FROM json_each($entities)) OR target_id IN (SELECT value FROM json_each($entities)))
          AND ($labelled = 0 OR label <> 'co_occurs')
        ORDER BY (label = 'co_occurs'), weight DESC, id LIMIT $limit
        """;

    public async Task<IReadOnlyList<Mention>> GetMentionsAsync(MentionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.EntityIds is null && query.ChunkIds is null)
        {
            throw new ArgumentException("Give entity ids, chunk ids or both.", nameof(query));
        }

        using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One statement per filter shape: "$x IS NULL OR …" would hide the indexes from the planner.
        using var command = (query.EntityIds, query.ChunkIds) switch
        {
            (not null, null) => Command(connection, null, MentionsByEntitySql),
            (null, not null) => Command(connection, null, MentionsByChunkSql),
            _ => Command(connection, null, MentionsByEntityAndChunkSql),
        };
        if (query.EntityIds is not null)
        {
            command.Parameters.AddWithValue("$entities", JsonSerializer.Serialize(query.EntityIds, Json));
        }

        if (query.ChunkIds is not null)
        {
            command.Parameters.AddWithValue("$chunks", JsonSerializer.Serialize(query.ChunkIds, Json));
        }

        command.Parameters.AddWithValue("$limit", Math.Clamp(query.Limit, 1, 1_000_000));
        var mentions = new List<Mention>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            mentions.Add(new Mention
            {
                Id = reader.GetString(0),
                EntityId = reader.GetString(1),
                Span = new TextSpan(reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetInt32(5)),
                Text = reader.GetString(6),
                Type = reader.GetString(7),
                Resolution = reader.GetString(8),
                Extractor = reader.GetString(9),
            });
        }

        return mentions;
    }

    public async Task<IReadOnlyList<Relation>> GetRelationsAsync(RelationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.EntityIds is null && query.RelationIds is null)
        {
            throw new ArgumentException("Give entity ids, relation ids or both.", nameof(query));
        }

        await _db.EnsureAggregatesAsync(cancellationToken).ConfigureAwait(false);
        using var connection = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var relations = new List<Relation>();
        using (var command = query.EntityIds is null ? Command(connection, null, RelationsByIdSql)
               : query.RelationIds is null ? Command(connection, null, RelationsByEntitySql)
               : Command(connection, null, RelationsByEntityAndIdSql))
        {
            if (query.EntityIds is not null)
            {
                command.Parameters.AddWithValue("$entities", JsonSerializer.Serialize(query.EntityIds, Json));
            }

            if (query.RelationIds is not null)
            {
                command.Parameters.AddWithValue("$relations", JsonSerializer.Serialize(query.RelationIds, Json));
            }

            command.Parameters.AddWithValue("$labelled", query.LabelledOnly ? 1 : 0);
            command.Parameters.AddWithValue("$limit", Math.Clamp(query.Limit, 1, 1_000_000));
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                relations.Add(new Relation
                {
                    Id = reader.GetString(0),
                    SourceId = reader.GetString(1),
                    TargetId = reader.GetString(2),
                    Label = reader.GetString(3),
                    Weight = reader.GetDouble(4),
                });
            }
        }

        if (relations.Count == 0)
        {
            return relations;
        }

        var evidence = new Dictionary<string, List<RelationEvidence>>(StringComparer.Ordinal);
        using (var command = Command(
            connection,
            null,
            """
            SELECT relation_id, document_id, chunk_id, start_offset, end_offset, phrase, weight, extractor FROM relation_evidence
            WHERE relation_id IN (SELECT value FROM json_each($ids))
            ORDER BY relation_id, document_id, start_offset
            """))
        {
            command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(relations.Select(r => r.Id), Json));
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetString(0);
                if (!evidence.TryGetValue(id, out var list))
                {
                    evidence[id] = list = [];
                }

                list.Add(new RelationEvidence(
                    new TextSpan(reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4)),
                    reader.GetString(5),
                    reader.GetDouble(6))
                {
                    Extractor = reader.GetString(7),
                });
            }
        }

        return relations.Select(r => r with { Evidence = evidence.GetValueOrDefault(r.Id) ?? [] }).ToList();
    }

    private static async Task<IReadOnlyList<Entity>> ReadEntitiesAsync(
        SqliteConnection connection, SqliteCommand command, CancellationToken cancellationToken)
    {
        var entities = new List<Entity>();
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entities.Add(new Entity
                {
                    Id = reader.GetString(0),
                    Key = reader.GetString(1),
                    Name = reader.GetString(2),
                    Type = reader.GetString(3),
                    MentionCount = reader.GetInt32(4),
                    DocumentCount = reader.GetInt32(5),
                });
            }
        }

        if (entities.Count == 0)
        {
            return entities;
        }

        // Aliases: every distinct surface form other than the name, most frequent first.
        var aliases = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        using (var aliasCommand = Command(
            connection,
            null,
            """
            SELECT entity_id, text, COUNT(*) AS n FROM mentions
            WHERE entity_id IN (SELECT value FROM json_each($ids))
            GROUP BY entity_id, text ORDER BY entity_id, n DESC, text
            """))
        {
            aliasCommand.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(entities.Select(e => e.Id), Json));
            using var reader = await aliasCommand.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetString(0);
                if (!aliases.TryGetValue(id, out var list))
                {
                    aliases[id] = list = [];
                }

                if (list.Count < MaxAliases)
                {
                    list.Add(reader.GetString(1));
                }
            }
        }

        return entities
            .Select(e => e with { Aliases = (aliases.GetValueOrDefault(e.Id) ?? []).Where(a => a != e.Name).ToList() })
            .ToList();
    }
}
