using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Traversal;
using Microsoft.Data.Sqlite;

using static GraphRag.Graph.Sqlite.SqliteDatabase;

namespace GraphRag.Graph.Sqlite;

public sealed partial class SqliteDocuments
{
    public async Task<WriteOutcome> UpsertAsync(DocumentBundle bundle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return (await UpsertManyAsync([bundle], cancellationToken).ConfigureAwait(false))[0];
    }

    public async Task<IReadOnlyList<WriteOutcome>> UpsertManyAsync(
        IReadOnlyList<DocumentBundle> bundles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        _db.EnsureWritable();
        var model = _db.VectorModel;
        foreach (var bundle in bundles)
        {
            ArgumentNullException.ThrowIfNull(bundle, nameof(bundles));
            BundleRules.Validate(bundle);
            BundleRules.ValidateVectors(bundle, model);
        }

        // A store with embeddings off ignores vectors: it neither stores them nor reports them to the indexes.
        bundles = model is null && bundles.Any(b => b.Vectors.Count > 0) ? bundles.Select(b => b with { Vectors = [] }).ToList() : bundles;

        if (bundles.Count == 0)
        {
            return [];
        }

        await _db.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await _db.WriterConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = connection.BeginTransaction(deferred: false);
            using var statements = new Statements(connection, transaction);
            var before = await ReadGenerationAsync(connection, cancellationToken, transaction).ConfigureAwait(false);
            // Inside a bulk load into an empty store the batch appends rows only; the totals are computed once at its end.
            var deferred = AggregatesDeferred;
            if (model is not null && bundles.Any(b => b.Vectors.Count > 0))
            {
                await RecordVectorModelAsync(statements, model, cancellationToken).ConfigureAwait(false);
            }

            var outcomes = new List<WriteOutcome>(bundles.Count);
            var touchedEntities = new HashSet<string>(StringComparer.Ordinal);
            var touchedRelations = new HashSet<string>(StringComparer.Ordinal);
            var fresh = new List<DocumentBundle>(bundles.Count);
            for (var i = 0; i < bundles.Count; i++)
            {
                var outcome = await WriteOneAsync(statements, bundles[i], deferred, touchedEntities, touchedRelations, cancellationToken)
                    .ConfigureAwait(false);
                outcomes.Add(outcome);
                if (outcome != WriteOutcome.Unchanged)
                {
                    fresh.Add(bundles[i]);
                }
            }

            // Every replaced document's old rows are gone; the batch's rows go in together, then their shares of the totals.
            InsertRows(statements, fresh);
            await AddTotalsAsync(statements, fresh, deferred, cancellationToken).ConfigureAwait(false);

            if (outcomes.Any(o => o != WriteOutcome.Unchanged))
            {
                if (deferred)
                {
                    await DeferAggregatesAsync(statements, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // Counts were kept incrementally per document; names, types and emptied rows are settled once per batch.
                    await SettleAsync(statements, touchedEntities, touchedRelations, cancellationToken).ConfigureAwait(false);
                }

                var written = bundles.Where((_, i) => outcomes[i] != WriteOutcome.Unchanged).ToList();
                await BumpGenerationAsync(
                    statements, outcomes.Contains(WriteOutcome.Replaced), written.Select(b => b.Document.Id), cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                _feed.Publish(before, outcomes.Contains(WriteOutcome.Replaced) ? written.Select(b => b.Document.Id).ToList() : [], written);
            }

            return outcomes;
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

    private static async Task<WriteOutcome> WriteOneAsync(
        Statements statements,
        DocumentBundle bundle,
        bool deferred,
        HashSet<string> touchedEntities,
        HashSet<string> touchedRelations,
        CancellationToken cancellationToken)
    {
        var document = bundle.Document;
        WriteOutcome outcome;
        var state = await ReadStateAsync(statements, document.Id, cancellationToken).ConfigureAwait(false);
        if (state is not null)
        {
            if (state.ContentHash == document.ContentHash && state.PipelineVersion == bundle.PipelineVersion)
            {
                return WriteOutcome.Unchanged;
            }

            await RemoveDocumentRowsAsync(statements, document.Id, deferred, touchedEntities, touchedRelations, cancellationToken)
                .ConfigureAwait(false);
            // Cached model replies outlive the replacement for the text the new version still has, whatever made it.
            var prune = statements.Get(PruneExtractionCacheSql);
            prune.Parameters.AddWithValue("$id", document.Id);
            prune.Parameters.AddWithValue("$hashes", JsonSerializer.Serialize(BundleRules.ChunkTextHashes(bundle), Json));
            await prune.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            outcome = WriteOutcome.Replaced;
        }
        else
        {
            outcome = WriteOutcome.Added;
        }

        // The document row first: its chunks, mentions and evidence (inserted for the whole batch) reference it.
        InsertDocument(statements, bundle);
        await InsertVectorsAsync(statements, document.Id, bundle.Vectors, cancellationToken).ConfigureAwait(false);
        await statements.ExecuteRowsAsync(
            InsertExtractionCacheSql,
            document.Id,
            BundleRules.CacheRows(bundle).Select(r => new object?[] { r.Key, r.TextHash, r.Reply }),
            cancellationToken).ConfigureAwait(false);
        if (!deferred)
        {
            touchedEntities.UnionWith(bundle.Graph.Entities.Select(e => e.Id));
            touchedRelations.UnionWith(bundle.Graph.Relations.Select(r => r.Id));
        }

        return outcome;
    }

    public async Task<bool> DeleteAsync(string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        _db.EnsureWritable();
        await _db.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await _db.WriterConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = connection.BeginTransaction(deferred: false);
            using var statements = new Statements(connection, transaction);
            if (await ReadStateAsync(statements, documentId, cancellationToken).ConfigureAwait(false) is null)
            {
                return false;
            }

            var before = await ReadGenerationAsync(connection, cancellationToken, transaction).ConfigureAwait(false);
            var deferred = AggregatesDeferred;
            var touchedEntities = new HashSet<string>(StringComparer.Ordinal);
            var touchedRelations = new HashSet<string>(StringComparer.Ordinal);
            await RemoveDocumentRowsAsync(statements, documentId, deferred, touchedEntities, touchedRelations, cancellationToken)
                .ConfigureAwait(false);
            await statements.ExecuteAsync("DELETE FROM extraction_cache WHERE document_id = $id", "$id", documentId, cancellationToken).ConfigureAwait(false);
            if (deferred)
            {
                await DeferAggregatesAsync(statements, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await SettleAsync(statements, touchedEntities, touchedRelations, cancellationToken).ConfigureAwait(false);
            }

            await BumpGenerationAsync(statements, destructive: true, [documentId], cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _feed.Publish(before, [documentId], []);
            return true;
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

    /// <summary>How many generations the change log keeps; an in-memory index further behind reloads whole.</summary>
    private const int ChangeLogGenerations = 1000;

    /// <param name="destructive">
    /// True when the write replaced or removed stored rows. The generation of the last such write is kept as
    /// 'destructive': a snapshot at or after it holds nothing the store has since taken back, only less than it now has.
    /// </param>
    /// <param name="changed">The documents the write added, replaced or removed, for the change log.</param>
    private static async Task BumpGenerationAsync(Statements statements, bool destructive, IEnumerable<string> changed, CancellationToken cancellationToken)
    {
        var command = statements.Get("UPDATE meta SET value = value + 1 WHERE key = 'generation'");
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        var log = statements.Get("""
            INSERT INTO document_changes (generation, document_id)
            SELECT (SELECT value FROM meta WHERE key = 'generation'), value FROM json_each($ids)
            """);
        log.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(changed.Distinct(StringComparer.Ordinal), Json));
        await log.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        var prune = statements.Get("""
            DELETE FROM document_changes WHERE generation <= (SELECT value FROM meta WHERE key = 'generation') - $keep;
            UPDATE meta SET value = MAX(value, (SELECT value FROM meta WHERE key = 'generation') - $keep) WHERE key = 'changes_from';
            """);
        prune.Parameters.AddWithValue("$keep", ChangeLogGenerations);
        await prune.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (destructive)
        {
            var mark = statements.Get("""
                INSERT INTO meta (key, value) SELECT 'destructive', value FROM meta WHERE key = 'generation'
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """);
            await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<DocumentState?> ReadStateAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new DocumentState(reader.GetString(0), reader.GetString(1))
            : null;
    }

    private static async Task<DocumentState?> ReadStateAsync(
        Statements statements, string documentId, CancellationToken cancellationToken)
    {
        var command = statements.Get("SELECT content_hash, pipeline FROM documents WHERE id = $id");
        command.Parameters.AddWithValue("$id", documentId);
        return await ReadStateAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task RemoveDocumentRowsAsync(
        Statements statements,
        string documentId,
        bool deferred,
        HashSet<string> touchedEntities,
        HashSet<string> touchedRelations,
        CancellationToken cancellationToken)
    {
        if (!deferred)
        {
            await SubtractDocumentAsync(statements, documentId, touchedEntities, touchedRelations, cancellationToken).ConfigureAwait(false);
        }

        // Chunks, chunk vectors, mentions, document_entities and relation_evidence cascade.
        {
            var command = statements.Get("DELETE FROM documents WHERE id = $id");
            command.Parameters.AddWithValue("$id", documentId);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takes a document's share out of the entity, vote and relation totals, before its rows go.</summary>
    private static async Task SubtractDocumentAsync(
        Statements statements,
        string documentId,
        HashSet<string> touchedEntities,
        HashSet<string> touchedRelations,
        CancellationToken cancellationToken)
    {
        {
            var command = statements.Get("SELECT entity_id FROM document_entities WHERE document_id = $id");
            command.Parameters.AddWithValue("$id", documentId);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                touchedEntities.Add(reader.GetString(0));
            }
        }

        {
            var command = statements.Get("SELECT DISTINCT relation_id FROM relation_evidence WHERE document_id = $id");
            command.Parameters.AddWithValue("$id", documentId);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                touchedRelations.Add(reader.GetString(0));
            }
        }

        await statements.ExecuteAsync(SubtractEntitiesSql, "$id", documentId, cancellationToken).ConfigureAwait(false);
        await statements.ExecuteAsync(SubtractNameVotesSql, "$id", documentId, cancellationToken).ConfigureAwait(false);
        await statements.ExecuteAsync(SubtractTypeVotesSql, "$id", documentId, cancellationToken).ConfigureAwait(false);
        await statements.ExecuteAsync(SubtractRelationsSql, "$id", documentId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Leaves the batch's totals to the end of the bulk load: the mark commits with the rows, so a process that dies
    /// before the end leaves a store whose next writable open computes them; reads in this process compute them first.
    /// </summary>
    private async Task DeferAggregatesAsync(Statements statements, CancellationToken cancellationToken)
    {
        await statements.Get(Aggregates.MarkPendingSql).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        _db.MarkAggregatesStale();
    }

    private const string InsertDocumentRowSql = """
        INSERT INTO documents (id, source, title, media_type, content_hash, pipeline, metadata, regions, acl, text, sensitive)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
        """;

    private static void InsertDocument(Statements statements, DocumentBundle bundle)
    {
        var document = bundle.Document;
        statements.Row(InsertDocumentRowSql)
            .Text(1, document.Id).Text(2, document.Source).Text(3, document.Title).Text(4, document.MediaType)
            .Text(5, document.ContentHash).Text(6, bundle.PipelineVersion)
            .Text(7, JsonSerializer.Serialize(new SortedDictionary<string, string>(document.Metadata.ToDictionary(), StringComparer.Ordinal), Json))
            .Text(8, JsonSerializer.Serialize(document.Regions, Json)).Text(9, JsonSerializer.Serialize(document.Acl, Json))
            .Text(10, document.Text).Text(11, JsonSerializer.Serialize(document.Sensitive ?? [], Json))
            .Run();
    }

    private const string InsertExtractionCacheSql = """
        INSERT INTO extraction_cache (document_id, cache_key, text_hash, reply)
        SELECT $document_id, value ->> 0, value ->> 1, value ->> 2 FROM json_each($rows) WHERE true
        ON CONFLICT (document_id, cache_key) DO UPDATE SET text_hash = excluded.text_hash, reply = excluded.reply
        """;

    private const string PruneExtractionCacheSql = """
        DELETE FROM extraction_cache
        WHERE document_id = $id AND text_hash NOT IN (SELECT value FROM json_each($hashes))
        """;

    /// <summary>Adds the shares of the batch's new and replaced documents to the totals, one statement each; nothing inside a bulk load.</summary>
    private static async Task AddTotalsAsync(Statements statements, IReadOnlyList<DocumentBundle> fresh, bool deferred, CancellationToken cancellationToken)
    {
        if (fresh.Count > 0 && !deferred)
        {
            var ids = JsonSerializer.Serialize(fresh.Select(r => r.Document.Id), Json);
            await statements.ExecuteAsync(AddEntitiesSql, "$ids", ids, cancellationToken).ConfigureAwait(false);
            await statements.ExecuteAsync(AddNameVotesSql, "$ids", ids, cancellationToken).ConfigureAwait(false);
            await statements.ExecuteAsync(AddTypeVotesSql, "$ids", ids, cancellationToken).ConfigureAwait(false);
            await statements.ExecuteAsync(AddRelationsSql, "$ids", ids, cancellationToken).ConfigureAwait(false);
        }
    }

    // Relation weights are rounded at every step so that adding and later subtracting a document's share returns the
    // exact stored value: delete-then-re-ingest gives byte-identical relations.
    // The batch's shares are read back from the rows just inserted, through the document_id indexes whose pages the
    // inserts left in the cache.
    private const string AddEntitiesSql = """
        INSERT INTO entities (id, key, name, type, mention_count, document_count)
        SELECT entity_id, MIN(key), MIN(name), MIN(type), SUM(mention_count), COUNT(*)
        FROM document_entities WHERE document_id IN (SELECT value FROM json_each($ids)) GROUP BY entity_id
        ON CONFLICT (id) DO UPDATE SET
            mention_count = mention_count + excluded.mention_count, document_count = document_count + excluded.document_count
        """;

    private const string AddNameVotesSql = """
        INSERT INTO entity_votes (entity_id, kind, value, documents, mentions)
        SELECT entity_id, 'name', name, COUNT(*), SUM(mention_count)
        FROM document_entities WHERE document_id IN (SELECT value FROM json_each($ids)) GROUP BY entity_id, name
        ON CONFLICT (entity_id, kind, value) DO UPDATE SET
            documents = documents + excluded.documents, mentions = mentions + excluded.mentions
        """;

    private const string AddTypeVotesSql = """
        INSERT INTO entity_votes (entity_id, kind, value, documents, mentions)
        SELECT entity_id, 'type', type, COUNT(*), SUM(mention_count)
        FROM document_entities WHERE document_id IN (SELECT value FROM json_each($ids)) GROUP BY entity_id, type
        ON CONFLICT (entity_id, kind, value) DO UPDATE SET
            documents = documents + excluded.documents, mentions = mentions + excluded.mentions
        """;

    // Each document's share is rounded before the shares are added, as SubtractRelationsSql rounds the share it takes out.
    private const string AddRelationsSql = """
        INSERT INTO relations (id, source_id, target_id, label, weight, evidence_count)
        SELECT relation_id, MIN(source_id), MIN(target_id), MIN(label), ROUND(SUM(share), 9), SUM(n)
        FROM (SELECT relation_id, MIN(source_id) AS source_id, MIN(target_id) AS target_id, MIN(label) AS label,
                     ROUND(SUM(weight), 9) AS share, COUNT(*) AS n
              FROM relation_evidence WHERE document_id IN (SELECT value FROM json_each($ids)) GROUP BY relation_id, document_id)
        WHERE true GROUP BY relation_id
        ON CONFLICT (id) DO UPDATE SET
            weight = ROUND(weight + excluded.weight, 9), evidence_count = evidence_count + excluded.evidence_count
        """;

    private const string SubtractEntitiesSql = """
        UPDATE entities SET mention_count = entities.mention_count - share.mention_count, document_count = document_count - 1
        FROM (SELECT entity_id, mention_count FROM document_entities WHERE document_id = $id) AS share
        WHERE entities.id = share.entity_id
        """;

    private const string SubtractNameVotesSql = """
        UPDATE entity_votes SET documents = documents - 1, mentions = mentions - share.mention_count
        FROM (SELECT entity_id, name, mention_count FROM document_entities WHERE document_id = $id) AS share
        WHERE entity_votes.entity_id = share.entity_id AND entity_votes.kind = 'name' AND entity_votes.value = share.name
        """;

    private const string SubtractTypeVotesSql = """
        UPDATE entity_votes SET documents = documents - 1, mentions = mentions - share.mention_count
        FROM (SELECT entity_id, type, mention_count FROM document_entities WHERE document_id = $id) AS share
        WHERE entity_votes.entity_id = share.entity_id AND entity_votes.kind = 'type' AND entity_votes.value = share.type
        """;

    private const string SubtractRelationsSql = """
        UPDATE relations SET weight = ROUND(relations.weight - share.weight, 9), evidence_count = evidence_count - share.n
        FROM (SELECT relation_id, ROUND(SUM(weight), 9) AS weight, COUNT(*) AS n
              FROM relation_evidence WHERE document_id = $id GROUP BY relation_id) AS share
        WHERE relations.id = share.relation_id
        """;

    /// <summary>
    /// After a batch: drops entities, votes and relations no document supports any more, and re-chooses each touched
    /// entity's name and type from its votes — the name most documents use (then most mentions, then the longest),
    /// and the most used type other than Other — so the result never depends on the order documents arrived in.
    /// </summary>
    private static async Task SettleAsync(
        Statements statements, IReadOnlyCollection<string> entityIds, IReadOnlyCollection<string> relationIds, CancellationToken cancellationToken)
    {
        if (entityIds.Count > 0)
        {
            var ids = JsonSerializer.Serialize(entityIds, Json);
            await statements.ExecuteAsync(DropEntitiesSql, "$ids", ids, cancellationToken).ConfigureAwait(false);
            await statements.ExecuteAsync(DropVotesSql, "$ids", ids, cancellationToken).ConfigureAwait(false);
            await ChooseNamesAsync(statements, ids, cancellationToken).ConfigureAwait(false);
        }

        if (relationIds.Count > 0)
        {
            var command = statements.Get("DELETE FROM relations WHERE id IN (SELECT value FROM json_each($ids)) AND evidence_count <= 0");
            command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(relationIds, Json));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private const string DropEntitiesSql = "DELETE FROM entities WHERE id IN (SELECT value FROM json_each($ids)) AND document_count <= 0";

    private const string DropVotesSql = "DELETE FROM entity_votes WHERE entity_id IN (SELECT value FROM json_each($ids)) AND documents <= 0";

    private const string VotesOfSql = """
        SELECT entity_id, kind, value, documents, mentions FROM entity_votes
        WHERE entity_id IN (SELECT value FROM json_each($ids)) ORDER BY entity_id
        """;

    /// <summary>Re-chooses each touched entity's stored name and type from its votes (<see cref="Aggregates.ChosenNamesAsync"/>).</summary>
    private static async Task ChooseNamesAsync(Statements statements, string ids, CancellationToken cancellationToken)
    {
        var read = statements.Get(VotesOfSql);
        read.Parameters.AddWithValue("$ids", ids);
        if (await Aggregates.ChosenNamesAsync(read, cancellationToken).ConfigureAwait(false) is { } names)
        {
            var update = statements.Get(Aggregates.SetNamesSql);
            update.Parameters.AddWithValue("$rows", names);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The commands of one write transaction, prepared once and reused for every document of a batch: preparing a
    /// statement costs more than running it.
    /// </summary>
    private sealed class Statements(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
        private readonly Dictionary<string, RowStatement> _rows = new(StringComparer.Ordinal);

        /// <summary>The row statement for this SQL (<see cref="RowStatement"/>), prepared once per transaction.</summary>
        public RowStatement Row([ConstantExpected] string sql)
        {
            if (!_rows.TryGetValue(sql, out var row))
            {
                row = new RowStatement(connection.Handle!, sql);
                _rows[sql] = row;
            }

            return row;
        }

        /// <summary>The command for this SQL, with its parameters cleared for new values.</summary>
        public SqliteCommand Get([ConstantExpected] string sql)
        {
            if (_commands.TryGetValue(sql, out var command))
            {
                command.Parameters.Clear();
                return command;
            }

            command = Command(connection, transaction, sql);
            _commands[sql] = command;
            return command;
        }

        /// <summary>Runs a constant bulk statement over rows passed as one JSON array parameter.</summary>
        public async Task ExecuteRowsAsync(
            [ConstantExpected] string sql, string documentId, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
        {
            var payload = JsonSerializer.Serialize(rows, Json);
            if (payload == "[]")
            {
                return;
            }

            var command = Get(sql);
            command.Parameters.AddWithValue("$document_id", documentId);
            command.Parameters.AddWithValue("$rows", payload);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Runs a constant statement that takes one parameter.</summary>
        public async Task ExecuteAsync([ConstantExpected] string sql, string name, string value, CancellationToken cancellationToken)
        {
            var command = Get(sql);
            command.Parameters.AddWithValue(name, value);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            foreach (var row in _rows.Values)
            {
                row.Dispose();
            }
        }
    }
}
