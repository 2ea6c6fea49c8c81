using System.Text.Json;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Traversal;
using Microsoft.Data.Sqlite;

namespace GraphRag.Graph.Sqlite;

public sealed partial class SqliteGraphStore : IGraphReader
{
    private const int MaxAliases = 25;
    private readonly SemaphoreSlim _snapshotLock = new(1, 1);
    private GraphSnapshot? _snapshot;

    public async Task<IReadOnlyList<Entity>> GetEntitiesAsync(IReadOnlyCollection<string> entityIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entityIds);
        if (entityIds.Count == 0)
        {
            return [];
        }

        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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

    private const string MentionColumns = "id, entity_id, document_id, chunk_id, start_offset, end_offset, text, type, resolution";

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

        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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

        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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
            SELECT relation_id, document_id, chunk_id, start_offset, end_offset, phrase, weight FROM relation_evidence
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
                    reader.GetDouble(6)));
            }
        }

        return relations.Select(r => r with { Evidence = evidence.GetValueOrDefault(r.Id) ?? [] }).ToList();
    }

    /// <summary>
    /// The current snapshot, loaded when the store has changed. One reload runs at a time. When every write since the
    /// previous snapshot only added documents, that snapshot shows a subset of what is stored and never something
    /// since replaced or deleted: callers then take it while the reload runs (the caller that started the reload
    /// waits for it at most <see cref="StaleSnapshotWait"/>). After a replace or delete every caller waits.
    /// </summary>
    public async Task<GraphSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        long generation, destructive;
        using (var read = Command(connection, null, "SELECT (SELECT value FROM meta WHERE key = 'generation'), (SELECT value FROM meta WHERE key = 'destructive')"))
        using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            generation = reader.IsDBNull(0) ? 0 : reader.GetInt64(0);
            destructive = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
        }

        if (_snapshot is { } cached && cached.Generation == generation)
        {
            return cached;
        }

        if (_snapshot is { } previous && previous.Generation >= destructive)
        {
            if (!await _snapshotLock.WaitAsync(0, cancellationToken).ConfigureAwait(false))
            {
                return previous;
            }

            // Only additions since: the reload runs on its own, and a caller waits for it only briefly — a store that
            // is being written to keeps answering from the previous snapshot instead of queueing behind each reload.
            var reload = Task.Run(() => ReloadSnapshotAsync(generation, CancellationToken.None), CancellationToken.None);
            var first = await Task.WhenAny(reload, Task.Delay(StaleSnapshotWait, cancellationToken)).ConfigureAwait(false);
            return first == reload ? await reload.ConfigureAwait(false) : previous;
        }

        await _snapshotLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await ReloadSnapshotAsync(generation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How long a caller waits for a reload before taking the previous (additions-only) snapshot.</summary>
    private static readonly TimeSpan StaleSnapshotWait = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A snapshot at least as new as <paramref name="minimumGeneration"/>: the one another caller loaded while this one
    /// waited, or a fresh load. Callers that queued behind a load take its result instead of each loading again.
    /// The caller holds <see cref="_snapshotLock"/>; it is released here.
    /// </summary>
    private async Task<GraphSnapshot> ReloadSnapshotAsync(long minimumGeneration, CancellationToken cancellationToken)
    {
        try
        {
            if (_snapshot is { } loaded && loaded.Generation >= minimumGeneration)
            {
                return loaded;
            }

            using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            // One read transaction, so the snapshot is consistent with the generation it is labelled with.
            using var transaction = connection.BeginTransaction(deferred: true);
            var generation = await ReadGenerationAsync(connection, cancellationToken, transaction).ConfigureAwait(false);
            if (_snapshot is { } again && again.Generation >= generation)
            {
                return again;
            }

            var snapshot = await LoadSnapshotAsync(connection, transaction, generation, cancellationToken).ConfigureAwait(false);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _snapshotLock.Release();
        }
    }

    private static async Task<long> ReadGenerationAsync(
        SqliteConnection connection, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        using var command = Command(connection, transaction, "SELECT value FROM meta WHERE key = 'generation'");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
    }

    private static async Task<GraphSnapshot> LoadSnapshotAsync(
        SqliteConnection connection, SqliteTransaction transaction, long generation, CancellationToken cancellationToken)
    {
        var entities = new List<EntityNode>();
        using (var command = Command(connection, transaction, "SELECT id, key, name, type FROM entities ORDER BY id"))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entities.Add(new EntityNode(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        var chunks = new List<(string, string)>();
        using (var command = Command(connection, transaction, "SELECT id, document_id FROM chunks ORDER BY id"))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                chunks.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        // Surface texts (what names an entity for a caller who reads only some of its mentions) come with their keys.
        // Ids, keys and texts repeat from row to row, so each distinct string is kept once.
        var mentions = new List<(string, string, string, string, int)>();
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var command = Command(
            connection,
            transaction,
            """
            SELECT entity_id, chunk_id, surface_key, text, COUNT(*) FROM mentions
            GROUP BY entity_id, chunk_id, surface_key, text ORDER BY entity_id, chunk_id, surface_key, text
            """))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                mentions.Add((
                    Intern(strings, reader.GetString(0)),
                    Intern(strings, reader.GetString(1)),
                    Intern(strings, reader.GetString(2)),
                    Intern(strings, reader.GetString(3)),
                    reader.GetInt32(4)));
            }
        }

        var relations = new List<(string, string, string, string, double, IReadOnlyList<string>)>();
        // Evidence chunks arrive as one sorted stream and are matched to relations by a merge on the relation id,
        // rather than a correlated subquery and a JSON array per relation.
        var evidence = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        // Each chunk's share of the relation's weight lets a scoped view weigh the relation by readable evidence only.
        var evidenceWeights = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        using (var command = Command(
            connection,
            transaction,
            "SELECT relation_id, chunk_id, ROUND(SUM(weight), 9) FROM relation_evidence GROUP BY relation_id, chunk_id ORDER BY relation_id, chunk_id"))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            string? current = null;
            List<string>? list = null;
            List<double>? weights = null;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var relationId = reader.GetString(0);
                if (relationId != current)
                {
                    current = relationId;
                    evidence[relationId] = list = [];
                    evidenceWeights[relationId] = weights = [];
                }

                list!.Add(reader.GetString(1));
                weights!.Add(reader.GetDouble(2));
            }
        }

        using (var command = Command(connection, transaction, "SELECT id, source_id, target_id, label, weight FROM relations ORDER BY id"))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetString(0);
                relations.Add((id, reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetDouble(4),
                    (IReadOnlyList<string>?)evidence.GetValueOrDefault(id) ?? []));
            }
        }

        // Each document's type and name vote, for the entities documents disagree about: a caller who reads only some
        // of them sees the type and name those documents vote for. Entities named and typed alike everywhere need none.
        var typeVotes = await ReadVotesAsync(connection, transaction, strings, TypeVotesSql, cancellationToken).ConfigureAwait(false);
        var nameVotes = await ReadVotesAsync(connection, transaction, strings, NameVotesSql, cancellationToken).ConfigureAwait(false);
        return new GraphSnapshot(generation, entities, chunks, mentions, relations, evidenceWeights, typeVotes, nameVotes);
    }

    private const string TypeVotesSql = """
        SELECT entity_id, document_id, type, mention_count FROM document_entities
        WHERE entity_id IN (SELECT entity_id FROM entity_votes WHERE kind = 'type' GROUP BY entity_id HAVING COUNT(*) > 1)
        ORDER BY entity_id, document_id
        """;

    private const string NameVotesSql = """
        SELECT entity_id, document_id, name, mention_count FROM document_entities
        WHERE entity_id IN (SELECT entity_id FROM entity_votes WHERE kind = 'name' GROUP BY entity_id HAVING COUNT(*) > 1)
        ORDER BY entity_id, document_id
        """;

    private static async Task<List<(string, string, string, int)>> ReadVotesAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        Dictionary<string, string> strings,
        [System.Diagnostics.CodeAnalysis.ConstantExpected] string sql,
        CancellationToken cancellationToken)
    {
        var votes = new List<(string, string, string, int)>();
        using var command = Command(connection, transaction, sql);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            votes.Add((Intern(strings, reader.GetString(0)), Intern(strings, reader.GetString(1)), Intern(strings, reader.GetString(2)), reader.GetInt32(3)));
        }

        return votes;
    }

    private static string Intern(Dictionary<string, string> strings, string value)
    {
        if (strings.TryGetValue(value, out var existing))
        {
            return existing;
        }

        strings[value] = value;
        return value;
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
