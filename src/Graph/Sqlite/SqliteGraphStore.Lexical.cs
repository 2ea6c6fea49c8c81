using System.Text.Json;
using GraphRag.Graph.Lexical;
using GraphRag.Graph.Model;
using Microsoft.Data.Sqlite;

namespace GraphRag.Graph.Sqlite;

/// <summary>
/// Keeps the in-memory <see cref="LexicalIndex"/> in step with the file. It is loaded whole on the first search; after
/// that each write of this store applies its own changes once committed, and a search that finds the file ahead (a
/// write by another process) first reloads just the documents the change log names since the index's generation.
/// </summary>
public sealed partial class SqliteGraphStore
{
    private readonly LexicalIndex _lexical = new();
    private readonly SemaphoreSlim _lexicalLock = new(1, 1);

    // Documents are analysed in parallel, a batch at a time, so a full load never holds every analysed chunk at once.
    private const int LoadBatch = 512;

    private const string LexicalDocumentsSql = "SELECT id, title, acl FROM documents";

    private const string LexicalChunksSql = "SELECT document_id, id, text FROM chunks ORDER BY document_id, ordinal";

    private const string ChangedDocumentsSql = "SELECT DISTINCT document_id FROM document_changes WHERE generation > $generation";

    private const string ChunksOfDocumentsSql = """
        SELECT document_id, id, text FROM chunks WHERE document_id IN (SELECT value FROM json_each($ids))
        ORDER BY document_id, ordinal
        """;

    private const string DocumentsByIdSql = "SELECT id, title, acl FROM documents WHERE id IN (SELECT value FROM json_each($ids))";

    /// <summary>The generation the in-memory lexical index reflects (-1 before its first load).</summary>
    internal long LexicalGeneration => _lexical.Generation;

    private async Task EnsureLexicalCurrentAsync(CancellationToken cancellationToken)
    {
        var generation = await GetGenerationAsync(cancellationToken).ConfigureAwait(false);
        if (_lexical.Generation >= generation)
        {
            return;
        }

        await _lexicalLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_lexical.Generation >= generation)
            {
                return;
            }

            using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            // One read transaction: the rows read are those of the generation the index is then labelled with.
            using var transaction = connection.BeginTransaction(deferred: true);
            var current = await ReadGenerationAsync(connection, cancellationToken, transaction).ConfigureAwait(false);
            var changesFrom = await ReadMetaAsync(connection, transaction, "changes_from", cancellationToken).ConfigureAwait(false);
            if (_lexical.Generation < 0 || _lexical.Generation < changesFrom)
            {
                await LoadLexicalAsync(connection, transaction, current, cancellationToken).ConfigureAwait(false);
                return;
            }

            var changed = new List<string>();
            using (var command = Command(connection, transaction, ChangedDocumentsSql))
            {
                command.Parameters.AddWithValue("$generation", _lexical.Generation);
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    changed.Add(reader.GetString(0));
                }
            }

            var present = await ReadIndexedDocumentsAsync(connection, transaction, changed, cancellationToken).ConfigureAwait(false);
            _lexical.Apply(current, changed, present);
        }
        finally
        {
            _lexicalLock.Release();
        }
    }

    private async Task LoadLexicalAsync(SqliteConnection connection, SqliteTransaction transaction, long generation, CancellationToken cancellationToken)
    {
        var documents = new Dictionary<string, (string Title, List<string> Acl)>(StringComparer.Ordinal);
        using (var command = Command(connection, transaction, LexicalDocumentsSql))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                documents[reader.GetString(0)] = (reader.GetString(1), JsonSerializer.Deserialize<List<string>>(reader.GetString(2), Json) ?? []);
            }
        }

        _lexical.Clear();
        var batch = new List<(string DocumentId, List<(string, string)> Chunks)>(LoadBatch);
        using (var command = Command(connection, transaction, LexicalChunksSql))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var documentId = reader.GetString(0);
                if (batch.Count == 0 || batch[^1].DocumentId != documentId)
                {
                    if (batch.Count == LoadBatch)
                    {
                        _lexical.Apply(-1, [], Analyse(batch, documents));
                        batch.Clear();
                    }

                    batch.Add((documentId, []));
                }

                batch[^1].Chunks.Add((reader.GetString(1), reader.GetString(2)));
            }
        }

        _lexical.Apply(generation, [], Analyse(batch, documents));
    }

    private static async Task<List<IndexedDocument>> ReadIndexedDocumentsAsync(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var json = JsonSerializer.Serialize(ids, Json);
        var documents = new Dictionary<string, (string Title, List<string> Acl)>(StringComparer.Ordinal);
        using (var command = Command(connection, transaction, DocumentsByIdSql))
        {
            command.Parameters.AddWithValue("$ids", json);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                documents[reader.GetString(0)] = (reader.GetString(1), JsonSerializer.Deserialize<List<string>>(reader.GetString(2), Json) ?? []);
            }
        }

        var chunks = documents.Keys.ToDictionary(id => id, _ => new List<(string, string)>(), StringComparer.Ordinal);
        using (var command = Command(connection, transaction, ChunksOfDocumentsSql))
        {
            command.Parameters.AddWithValue("$ids", json);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                chunks[reader.GetString(0)].Add((reader.GetString(1), reader.GetString(2)));
            }
        }

        return Analyse(chunks.Select(p => (p.Key, p.Value)).ToList(), documents);
    }

    private static List<IndexedDocument> Analyse(
        IReadOnlyList<(string DocumentId, List<(string ChunkId, string Text)> Chunks)> batch,
        Dictionary<string, (string Title, List<string> Acl)> documents)
    {
        var analysed = new IndexedDocument[batch.Count];
        Parallel.For(0, batch.Count, i =>
        {
            var (id, chunks) = batch[i];
            var (title, acl) = documents[id];
            analysed[i] = IndexedDocument.Create(id, title, acl, chunks);
        });
        return [.. analysed];
    }

    /// <summary>
    /// After this store committed a write that moved the file from <paramref name="before"/> to
    /// <paramref name="after"/>: applies it to the lexical index when the index is loaded and was current, so readers
    /// never pay for a write. Otherwise the next search catches up from the change log.
    /// </summary>
    private void ApplyCommittedToLexical(long before, long after, IReadOnlyCollection<string> removed, IReadOnlyList<DocumentBundle> written)
    {
        if (_lexical.Generation != before || !_lexicalLock.Wait(0))
        {
            return;
        }

        try
        {
            if (_lexical.Generation != before)
            {
                return;
            }

            var analysed = new IndexedDocument[written.Count];
            Parallel.For(0, written.Count, i =>
            {
                var document = written[i].Document;
                analysed[i] = IndexedDocument.Create(document.Id, document.Title, document.Acl, written[i].Chunks.Select(c => (c.Id, c.Text)));
            });
            _lexical.Apply(after, removed, analysed);
        }
        finally
        {
            _lexicalLock.Release();
        }
    }

    private static async Task<long> ReadMetaAsync(
        SqliteConnection connection, SqliteTransaction? transaction, [System.Diagnostics.CodeAnalysis.ConstantExpected] string key, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, "SELECT value FROM meta WHERE key = $key");
        command.Parameters.AddWithValue("$key", key);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
    }
}
