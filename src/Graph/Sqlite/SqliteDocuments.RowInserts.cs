using System.Diagnostics.CodeAnalysis;
using GraphRag.Graph.Model;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace GraphRag.Graph.Sqlite;

public sealed partial class SqliteDocuments
{
    private const string InsertChunkRowSql = """
        INSERT INTO chunks (id, document_id, ordinal, start_offset, end_offset, token_count, page, section, text)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        """;

    private const string InsertDocumentEntityRowSql = """
        INSERT INTO document_entities (document_id, entity_id, key, name, type, mention_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
        """;

    private const string InsertMentionRowSql = """
        INSERT INTO mentions (id, entity_id, document_id, chunk_id, start_offset, end_offset, text, surface_key, type, resolution, extractor)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
        """;

    private const string InsertEvidenceRowSql = """
        INSERT INTO relation_evidence
            (relation_id, source_id, target_id, label, document_id, chunk_id, start_offset, end_offset, phrase, weight, extractor)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
        """;

    /// <summary>
    /// Inserts the chunk, document-entity, mention and evidence rows of the batch's new and replaced documents, row by
    /// row through statements prepared once per transaction, each value bound by position straight from the bundle
    /// (strings as UTF-16, which SQLite converts as it copies them). Nothing is serialised for them: the JSON arrays a
    /// batch's rows used to travel in were large-object-heap strings (collected only by gen2), and SQLite took every
    /// value out of them again with <c>-&gt;&gt;</c>.
    /// </summary>
    private static void InsertRows(Statements statements, IReadOnlyList<DocumentBundle> fresh)
    {
        if (fresh.Count == 0)
        {
            return;
        }

        var chunks = statements.Row(InsertChunkRowSql);
        foreach (var bundle in fresh)
        {
            var id = bundle.Document.Id;
            foreach (var c in bundle.Chunks)
            {
                chunks.Text(1, c.Id).Text(2, id).Integer(3, c.Ordinal).Integer(4, c.Start).Integer(5, c.End).Integer(6, c.TokenCount)
                    .Optional(7, c.Page).Text(8, c.Section).Text(9, c.Text).Run();
            }
        }

        var entities = statements.Row(InsertDocumentEntityRowSql);
        var mentionCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var bundle in fresh)
        {
            var id = bundle.Document.Id;
            mentionCounts.Clear();
            seen.Clear();
            foreach (var m in bundle.Graph.Mentions)
            {
                mentionCounts[m.EntityId] = mentionCounts.GetValueOrDefault(m.EntityId) + 1;
            }

            foreach (var e in bundle.Graph.Entities)
            {
                if (seen.Add(e.Id))
                {
                    entities.Text(1, id).Text(2, e.Id).Text(3, e.Key).Text(4, e.Name).Text(5, e.Type)
                        .Integer(6, mentionCounts.GetValueOrDefault(e.Id)).Run();
                }
            }
        }

        var mentions = statements.Row(InsertMentionRowSql);
        foreach (var bundle in fresh)
        {
            var id = bundle.Document.Id;
            foreach (var m in bundle.Graph.Mentions)
            {
                mentions.Text(1, m.Id).Text(2, m.EntityId).Text(3, id).Text(4, m.Span.ChunkId).Integer(5, m.Span.Start)
                    .Integer(6, m.Span.End).Text(7, m.Text).Text(8, EntityKey.Normalize(m.Text)).Text(9, m.Type)
                    .Text(10, m.Resolution).Text(11, m.Extractor).Run();
            }
        }

        var evidence = statements.Row(InsertEvidenceRowSql);
        foreach (var bundle in fresh)
        {
            var id = bundle.Document.Id;
            foreach (var r in bundle.Graph.Relations)
            {
                foreach (var e in r.Evidence)
                {
                    evidence.Text(1, r.Id).Text(2, r.SourceId).Text(3, r.TargetId).Text(4, r.Label).Text(5, id).Text(6, e.Span.ChunkId)
                        .Integer(7, e.Span.Start).Integer(8, e.Span.End).Text(9, e.Phrase).Real(10, e.Weight).Text(11, e.Extractor).Run();
                }
            }
        }
    }

    /// <summary>
    /// One statement prepared on the connection's own SQLite handle, run once per row with values bound by position. The
    /// SQL is a constant; every value is a bound parameter. Runs inside the caller's transaction (it is the connection's).
    /// </summary>
    private sealed class RowStatement : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;

        public RowStatement(sqlite3 db, [ConstantExpected] string sql)
        {
            _db = db;
            Check(raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement));
        }

        public RowStatement Text(int index, string? value)
        {
            // UTF-16 as it is, converted by SQLite as it copies it: encoding to UTF-8 here first into a stack buffer
            // was slower (ins.rows 0.70 s against 0.62 s of thread CPU, two musique-100 ingests).
            Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text16(_statement, index, value));
            return this;
        }

        public RowStatement Integer(int index, long value)
        {
            Check(raw.sqlite3_bind_int64(_statement, index, value));
            return this;
        }

        public RowStatement Optional(int index, int? value)
        {
            Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));
            return this;
        }

        public RowStatement Real(int index, double value)
        {
            Check(raw.sqlite3_bind_double(_statement, index, value));
            return this;
        }

        /// <summary>Inserts the row bound so far, then readies the statement for the next.</summary>
        public void Run()
        {
            var rc = raw.sqlite3_step(_statement);
            raw.sqlite3_reset(_statement);
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
        }

        private void Check(int rc)
        {
            if (rc != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
        }

        public void Dispose() => _statement.Dispose();
    }
}
