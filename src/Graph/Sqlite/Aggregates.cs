using Microsoft.Data.Sqlite;

using static GraphRag.Graph.Sqlite.SqliteDatabase;

namespace GraphRag.Graph.Sqlite;

/// <summary>
/// The totals that derive from every document's rows: <c>entities</c> (counts, chosen name and type),
/// <c>entity_votes</c> and <c>relations</c> (weight, evidence count). Outside a bulk load the writer keeps them
/// incrementally per batch; a load into an empty store appends rows only and computes them here once, set-wise, when
/// it ends. The values are those the incremental path stores: each document's relation share is rounded before the
/// shares are added, as there, and names and types come from the same <see cref="Traversal.EntityVote"/> rule.
/// </summary>
internal static class Aggregates
{
    /// <summary>
    /// The meta key present while committed rows may lack their totals (a bulk load is running, or died). Every
    /// writable open that finds it rebuilds the totals, so a load that never finished leaves a store the next open repairs.
    /// </summary>
    public const string PendingKey = "aggregates_pending";

    public const string MarkPendingSql = "INSERT INTO meta (key, value) VALUES ('aggregates_pending', 1) ON CONFLICT (key) DO NOTHING";

    private const string ClearPendingSql = "DELETE FROM meta WHERE key = 'aggregates_pending'";

    private const string ClearSql = "DELETE FROM entities; DELETE FROM entity_votes; DELETE FROM relations;";

    // Ordered by id so rows go into the tables' primary keys in order; the values do not depend on it.
    private const string EntitiesSql = """
        INSERT INTO entities (id, key, name, type, mention_count, document_count)
        SELECT entity_id, MIN(key), MIN(name), MIN(type), SUM(mention_count), COUNT(*)
        FROM document_entities GROUP BY entity_id ORDER BY entity_id
        """;

    private const string NameVotesSql = """
        INSERT INTO entity_votes (entity_id, kind, value, documents, mentions)
        SELECT entity_id, 'name', name, COUNT(*), SUM(mention_count) FROM document_entities GROUP BY entity_id, name ORDER BY entity_id, name
        """;

    private const string TypeVotesSql = """
        INSERT INTO entity_votes (entity_id, kind, value, documents, mentions)
        SELECT entity_id, 'type', type, COUNT(*), SUM(mention_count) FROM document_entities GROUP BY entity_id, type ORDER BY entity_id, type
        """;

    // Each document's share is rounded before the shares are added, as the incremental path adds and subtracts them.
    private const string RelationsSql = """
        INSERT INTO relations (id, source_id, target_id, label, weight, evidence_count)
        SELECT relation_id, MIN(source_id), MIN(target_id), MIN(label), ROUND(SUM(share), 9), SUM(n)
        FROM (SELECT relation_id, MIN(source_id) AS source_id, MIN(target_id) AS target_id, MIN(label) AS label,
                     ROUND(SUM(weight), 9) AS share, COUNT(*) AS n
              FROM relation_evidence GROUP BY relation_id, document_id)
        GROUP BY relation_id ORDER BY relation_id
        """;

    // Only entities with more than one name or type to choose from: with one, MIN above already is the vote's winner.
    private const string ContestedVotesSql = """
        SELECT entity_id, kind, value, documents, mentions FROM entity_votes
        WHERE entity_id IN (SELECT entity_id FROM entity_votes GROUP BY entity_id, kind HAVING COUNT(*) > 1)
        ORDER BY entity_id
        """;

    /// <summary>Stores the names and types <see cref="ChosenNamesAsync"/> chose (<c>$rows</c>).</summary>
    public const string SetNamesSql = """
        UPDATE entities SET name = value ->> 1, type = value ->> 2
        FROM json_each($rows) WHERE entities.id = value ->> 0
        """;

    /// <summary>
    /// Chooses the name and type of every entity whose votes <paramref name="votes"/> reads (entity id, kind, value,
    /// documents, mentions; ordered by entity) with <see cref="Traversal.EntityVote"/>, the rule every caller's view
    /// applies too, so the stored name is what an unscoped snapshot shows: the <c>$rows</c> of <see cref="SetNamesSql"/>,
    /// or null when there is none. The per-batch writer and the end of a bulk load both choose names here.
    /// </summary>
    public static async Task<string?> ChosenNamesAsync(SqliteCommand votes, CancellationToken cancellationToken)
    {
        var tallies = new Dictionary<string, (List<(string, int, int)> Names, List<(string, int, int)> Types)>(StringComparer.Ordinal);
        using (var reader = await votes.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var entity = reader.GetString(0);
                if (!tallies.TryGetValue(entity, out var tally))
                {
                    tallies[entity] = tally = ([], []);
                }

                (reader.GetString(1) == "name" ? tally.Names : tally.Types).Add((reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4)));
            }
        }

        return tallies.Count == 0
            ? null
            : System.Text.Json.JsonSerializer.Serialize(
                tallies.Select(p => new object?[] { p.Key, Traversal.EntityVote.Name(p.Value.Names), Traversal.EntityVote.Type(p.Value.Types) }), Json);
    }

    /// <summary>Recomputes every total from the document rows and clears the pending mark, inside the caller's transaction.</summary>
    public static async Task RebuildAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, ClearSql, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, EntitiesSql, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, NameVotesSql, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, TypeVotesSql, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, RelationsSql, cancellationToken).ConfigureAwait(false);

        string? names;
        using (var contested = Command(connection, transaction, ContestedVotesSql))
        {
            names = await ChosenNamesAsync(contested, cancellationToken).ConfigureAwait(false);
        }

        if (names is not null)
        {
            using var update = Command(connection, transaction, SetNamesSql);
            update.Parameters.AddWithValue("$rows", names);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, ClearPendingSql, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(
        SqliteConnection connection, SqliteTransaction transaction, [System.Diagnostics.CodeAnalysis.ConstantExpected] string sql, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rebuilds the totals when a load left them pending; nothing otherwise (one lookup in meta).</summary>
    public static async Task RepairAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        if (await ReadMetaAsync(connection, null, PendingKey, cancellationToken).ConfigureAwait(false) == 0)
        {
            return;
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        await RebuildAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
