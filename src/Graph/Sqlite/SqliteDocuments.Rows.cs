using System.Runtime.CompilerServices;
using System.Text.Json;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Rows;
using GraphRag.Graph.Traversal;
using Microsoft.Data.Sqlite;

using static GraphRag.Graph.Sqlite.SqliteDatabase;

namespace GraphRag.Graph.Sqlite;

/// <summary>
/// The store's rows for the in-memory indexes (<see cref="GraphIndexes"/>): per-document reads in one transaction,
/// the change log, and a report of each commit. Lexical search and the graph snapshot are the indexes' own.
/// </summary>
public sealed partial class SqliteDocuments : IGraphRowSource, IChangeFeed
{
    private readonly ChangeFeed _feed = new();

    public void Subscribe(Action<CommittedChange> listener) => _feed.Subscribe(listener);

    public async Task<IRowReader> OpenReadAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _db.OpenDedicatedConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A full read walks the tables in document order through their indexes; a 32 MB page cache keeps their
            // upper levels in memory. The connection is this reader's own, so the cache is freed when it closes (no
            // memory map either: mapped pages of the whole file would count against the process's memory).
            await ExecuteAsync(connection, "PRAGMA cache_size = -32768", cancellationToken).ConfigureAwait(false);
            var transaction = connection.BeginTransaction(deferred: true);
            var generation = await ReadGenerationAsync(connection, cancellationToken, transaction).ConfigureAwait(false);
            return new RowReader(connection, transaction, generation, _db.VectorModel is not null);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private const string DocumentsSql = "SELECT id, title, acl FROM documents ORDER BY id";

    private const string ChunksSql = "SELECT document_id, id, text FROM chunks ORDER BY document_id, ordinal";

    private const string DocumentEntitiesSql =
        "SELECT document_id, entity_id, key, name, type, mention_count FROM document_entities ORDER BY document_id, entity_id";

    private const string MentionsSql = "SELECT document_id, entity_id, chunk_id, surface_key, text FROM mentions ORDER BY document_id";

    private const string EvidenceSql =
        "SELECT document_id, relation_id, source_id, target_id, label, chunk_id, weight FROM relation_evidence ORDER BY document_id";

    private const string SomeDocumentsSql = "SELECT id, title, acl FROM documents WHERE id IN (SELECT value FROM json_each($ids)) ORDER BY id";

    private const string SomeChunksSql = """
        SELECT document_id, id, text FROM chunks WHERE document_id IN (SELECT value FROM json_each($ids)) ORDER BY document_id, ordinal
        """;

    private const string SomeDocumentEntitiesSql = """
        SELECT document_id, entity_id, key, name, type, mention_count FROM document_entities
        WHERE document_id IN (SELECT value FROM json_each($ids)) ORDER BY document_id, entity_id
        """;

    private const string SomeMentionsSql = """
        SELECT document_id, entity_id, chunk_id, surface_key, text FROM mentions
        WHERE document_id IN (SELECT value FROM json_each($ids)) ORDER BY document_id
        """;

    private const string SomeEvidenceSql = """
        SELECT document_id, relation_id, source_id, target_id, label, chunk_id, weight FROM relation_evidence
        WHERE document_id IN (SELECT value FROM json_each($ids)) ORDER BY document_id
        """;

    private const string VectorsSql = "SELECT document_id, chunk_id, text_hash, scale, data FROM chunk_vectors ORDER BY document_id, chunk_id";

    private const string SomeVectorsSql = """
        SELECT document_id, chunk_id, text_hash, scale, data FROM chunk_vectors
        WHERE document_id IN (SELECT value FROM json_each($ids)) ORDER BY document_id, chunk_id
        """;

    private const string NoVectorsSql = "SELECT document_id, chunk_id, text_hash, scale, data FROM chunk_vectors WHERE 0";

    /// <summary>One read transaction over the store's rows (with the chunk vectors when embeddings are on).</summary>
    private sealed class RowReader(SqliteConnection connection, SqliteTransaction transaction, long generation, bool withVectors) : IRowReader
    {
        public long Generation { get; } = generation;

        public async Task<IReadOnlyCollection<string>?> ChangedSinceAsync(long since, CancellationToken cancellationToken = default)
        {
            if (since < await ReadMetaAsync(connection, transaction, "changes_from", cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var changed = new List<string>();
            using var command = Command(connection, transaction, "SELECT DISTINCT document_id FROM document_changes WHERE generation > $generation");
            command.Parameters.AddWithValue("$generation", since);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                changed.Add(reader.GetString(0));
            }

            return changed;
        }

        public async Task<string?> FingerprintAsync(long generation, CancellationToken cancellationToken = default)
        {
            if (generation > Generation || generation < await ReadMetaAsync(connection, transaction, "changes_from", cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            using (var id = Command(connection, transaction, "SELECT value FROM secrets WHERE name = 'store-id'"))
            {
                hash.AppendData(await id.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[] ?? []);
            }

            hash.AppendData(BitConverter.GetBytes(generation));
            using var command = Command(connection, transaction, "SELECT document_id FROM document_changes WHERE generation = $generation ORDER BY document_id");
            command.Parameters.AddWithValue("$generation", generation);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes(reader.GetString(0) + "\n"));
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        public async IAsyncEnumerable<DocumentRows> ReadAsync(
            IReadOnlyCollection<string>? documentIds, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (documentIds is { Count: 0 })
            {
                yield break;
            }

            var json = documentIds is null ? null : JsonSerializer.Serialize(documentIds, Json);
            using var documents = await OpenAsync(json, DocumentsSql, SomeDocumentsSql, cancellationToken).ConfigureAwait(false);
            using var chunks = await OpenAsync(json, ChunksSql, SomeChunksSql, cancellationToken).ConfigureAwait(false);
            using var entities = await OpenAsync(json, DocumentEntitiesSql, SomeDocumentEntitiesSql, cancellationToken).ConfigureAwait(false);
            using var mentions = await OpenAsync(json, MentionsSql, SomeMentionsSql, cancellationToken).ConfigureAwait(false);
            using var evidence = await OpenAsync(json, EvidenceSql, SomeEvidenceSql, cancellationToken).ConfigureAwait(false);
            using var vectors = withVectors
                ? await OpenAsync(json, VectorsSql, SomeVectorsSql, cancellationToken).ConfigureAwait(false)
                : await OpenAsync(null, NoVectorsSql, NoVectorsSql, cancellationToken).ConfigureAwait(false);
            var strings = new Dictionary<string, string>(StringComparer.Ordinal);
            while (await documents.Reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = documents.Reader.GetString(0);
                var chunkRows = new List<ChunkRow>();
                while (await chunks.NextForAsync(id, cancellationToken).ConfigureAwait(false))
                {
                    chunkRows.Add(new ChunkRow(chunks.Reader.GetString(1), chunks.Reader.GetString(2)));
                }

                var entityRows = new List<EntityRow>();
                while (await entities.NextForAsync(id, cancellationToken).ConfigureAwait(false))
                {
                    var r = entities.Reader;
                    entityRows.Add(new EntityRow(
                        Intern(strings, r.GetString(1)), Intern(strings, r.GetString(2)), Intern(strings, r.GetString(3)), Intern(strings, r.GetString(4)), r.GetInt32(5)));
                }

                var mentionCounts = new Dictionary<(string, string, string, string), int>();
                while (await mentions.NextForAsync(id, cancellationToken).ConfigureAwait(false))
                {
                    var r = mentions.Reader;
                    var key = (Intern(strings, r.GetString(1)), Intern(strings, r.GetString(2)), Intern(strings, r.GetString(3)), Intern(strings, r.GetString(4)));
                    mentionCounts[key] = mentionCounts.GetValueOrDefault(key) + 1;
                }

                var evidenceRows = new Dictionary<(string, string), (EvidenceRow Row, double Sum)>();
                while (await evidence.NextForAsync(id, cancellationToken).ConfigureAwait(false))
                {
                    var r = evidence.Reader;
                    var relation = Intern(strings, r.GetString(1));
                    var chunk = Intern(strings, r.GetString(5));
                    if (!evidenceRows.TryGetValue((relation, chunk), out var entry))
                    {
                        entry = (new EvidenceRow(relation, Intern(strings, r.GetString(2)), Intern(strings, r.GetString(3)), Intern(strings, r.GetString(4)), chunk, 0), 0);
                    }

                    evidenceRows[(relation, chunk)] = (entry.Row, entry.Sum + r.GetDouble(6));
                }

                var vectorRows = new List<Model.ChunkVector>();
                while (await vectors.NextForAsync(id, cancellationToken).ConfigureAwait(false))
                {
                    vectorRows.Add(ReadVector(vectors.Reader, 1));
                }

                yield return new DocumentRows(
                    id,
                    documents.Reader.GetString(1),
                    JsonSerializer.Deserialize<List<string>>(documents.Reader.GetString(2), Json) ?? [],
                    chunkRows,
                    entityRows,
                    mentionCounts.Select(p => new MentionRow(p.Key.Item1, p.Key.Item2, p.Key.Item3, p.Key.Item4, p.Value)).ToList(),
                    evidenceRows.Values.Select(e => e.Row with { Weight = Math.Round(e.Sum, 9) }).ToList())
                {
                    Vectors = vectorRows,
                };
            }
        }

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        /// <summary>Runs the statement for every document, or for the documents in <paramref name="ids"/> (a JSON array).</summary>
        private async Task<Cursor> OpenAsync(
            string? ids,
            [System.Diagnostics.CodeAnalysis.ConstantExpected] string all,
            [System.Diagnostics.CodeAnalysis.ConstantExpected] string some,
            CancellationToken cancellationToken)
        {
            var command = ids is null ? Command(connection, transaction, all) : Command(connection, transaction, some);
            if (ids is not null)
            {
                command.Parameters.AddWithValue("$ids", ids);
            }

            return new Cursor(command, await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false));
        }
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

    /// <summary>A reader over rows ordered by document id (column 0), read document by document in step with others.</summary>
    private sealed class Cursor(SqliteCommand command, SqliteDataReader reader) : IDisposable
    {
        private bool _pending;
        private bool _done;

        public SqliteDataReader Reader { get; } = reader;

        /// <summary>Moves to the next row of <paramref name="documentId"/>; false when this reader has no more of its rows.</summary>
        public async Task<bool> NextForAsync(string documentId, CancellationToken cancellationToken)
        {
            while (true)
            {
                if (!_pending)
                {
                    if (_done || !await Reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        _done = true;
                        return false;
                    }

                    _pending = true;
                }

                var c = CompareCodePoints(Reader.GetString(0), documentId);
                if (c == 0)
                {
                    _pending = false;
                    return true;
                }

                if (c > 0)
                {
                    return false;
                }

                // A row of a document the document reader did not return (none should exist): skip it.
                _pending = false;
            }
        }

        public void Dispose()
        {
            Reader.Dispose();
            command.Dispose();
        }

        /// <summary>SQLite's BINARY order (UTF-8 bytes, that is code points), which differs from UTF-16 ordinal order.</summary>
        private static int CompareCodePoints(string a, string b)
        {
            var x = a.EnumerateRunes();
            var y = b.EnumerateRunes();
            while (true)
            {
                var more = x.MoveNext();
                if (more != y.MoveNext())
                {
                    return more ? 1 : -1;
                }

                if (!more)
                {
                    return 0;
                }

                var c = x.Current.Value.CompareTo(y.Current.Value);
                if (c != 0)
                {
                    return c;
                }
            }
        }
    }
}
