using Microsoft.Data.Sqlite;

namespace GraphRag.Graph.Sqlite;

/// <summary>
/// The secondary indexes a load into an empty store builds once at its end instead of row by row: those that only
/// reads use (graph lookups by entity, endpoint, chunk, surface, key and type). Ids are content hashes, so each row
/// maintained during a load lands on a random page of each of these; sorted once at the end they cost a fraction.
/// The indexes the write path itself reads (primary keys, the change log's) are never deferred;
/// <c>ix_relation_evidence_document</c> is, since inside a load the relation totals are not read back per batch
/// (<see cref="Aggregates"/>): only replacing or deleting a document inside a load reads by it, as a scan. The definitions are those of the migrations, word for word (a test compares them).
/// </summary>
internal static class DeferredIndexes
{
    public const string DropSql = """
        DROP INDEX IF EXISTS ix_entities_key;
        DROP INDEX IF EXISTS ix_entities_type;
        DROP INDEX IF EXISTS ix_document_entities_entity;
        DROP INDEX IF EXISTS ix_mentions_entity;
        DROP INDEX IF EXISTS ix_mentions_document;
        DROP INDEX IF EXISTS ix_mentions_chunk;
        DROP INDEX IF EXISTS ix_mentions_surface;
        DROP INDEX IF EXISTS ix_relations_source;
        DROP INDEX IF EXISTS ix_relations_target;
        DROP INDEX IF EXISTS ix_relation_evidence_relation;
        DROP INDEX IF EXISTS ix_relation_evidence_document;
        """;

    /// <summary>Creates whichever of the indexes are missing; nothing when all are there.</summary>
    public const string CreateSql = """
        CREATE INDEX IF NOT EXISTS ix_entities_key ON entities(key);
        CREATE INDEX IF NOT EXISTS ix_entities_type ON entities(type, mention_count);
        CREATE INDEX IF NOT EXISTS ix_document_entities_entity ON document_entities(entity_id);
        CREATE INDEX IF NOT EXISTS ix_mentions_entity ON mentions(entity_id);
        CREATE INDEX IF NOT EXISTS ix_mentions_document ON mentions(document_id);
        CREATE INDEX IF NOT EXISTS ix_mentions_chunk ON mentions(chunk_id);
        CREATE INDEX IF NOT EXISTS ix_mentions_surface ON mentions(surface_key);
        CREATE INDEX IF NOT EXISTS ix_relations_source ON relations(source_id);
        CREATE INDEX IF NOT EXISTS ix_relations_target ON relations(target_id);
        CREATE INDEX IF NOT EXISTS ix_relation_evidence_relation ON relation_evidence(relation_id);
        CREATE INDEX IF NOT EXISTS ix_relation_evidence_document ON relation_evidence(document_id);
        """;

    /// <summary>
    /// Re-creates any that are missing: a process that died inside a bulk load left them dropped, and every writable
    /// open puts them back. An index that exists costs nothing here (IF NOT EXISTS writes nothing).
    /// </summary>
    public static Task EnsureAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        SqliteDatabase.ExecuteAsync(connection, CreateSql, cancellationToken);
}
