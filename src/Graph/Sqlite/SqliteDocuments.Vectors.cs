using System.Text.Json;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using Microsoft.Data.Sqlite;

using static GraphRag.Graph.Sqlite.SqliteDatabase;

namespace GraphRag.Graph.Sqlite;

/// <summary>
/// Chunk vectors, stored: written and deleted with their document (see the write path), read back by text hash for
/// reuse, and replaced wholesale when a store is re-embedded with another model. The recorded model is one row.
/// </summary>
public sealed partial class SqliteDocuments : IChunkVectorStore
{
    public async Task<VectorModel?> GetVectorModelAsync(CancellationToken cancellationToken = default) =>
        await _db.ReadAsync(connection => ReadVectorModelAsync(connection, null, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyDictionary<string, ChunkVector>> GetVectorsByTextHashAsync(
        IReadOnlyCollection<string> textHashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(textHashes);
        if (_db.VectorModel is not { } model || textHashes.Count == 0)
        {
            return new Dictionary<string, ChunkVector>(StringComparer.Ordinal);
        }

        return await _db.ReadAsync(
            async connection =>
            {
                var found = new Dictionary<string, ChunkVector>(StringComparer.Ordinal);
                using var command = Command(connection, null, """
                    SELECT chunk_id, text_hash, scale, data FROM chunk_vectors
                    WHERE text_hash IN (SELECT value FROM json_each($hashes)) AND dims = $dims
                    ORDER BY text_hash, chunk_id
                    """);
                command.Parameters.AddWithValue("$hashes", JsonSerializer.Serialize(textHashes, Json));
                command.Parameters.AddWithValue("$dims", model.Dimensions);
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var vector = ReadVector(reader, 0);
                    found.TryAdd(vector.TextHash, vector);
                }

                return (IReadOnlyDictionary<string, ChunkVector>)found;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task ResetVectorModelAsync(VectorModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(model.Id);
        ArgumentOutOfRangeException.ThrowIfLessThan(model.Dimensions, 1);
        await WriteVectorsAsync(
            async statements =>
            {
                var changed = new List<string>();
                var read = statements.Get("SELECT DISTINCT document_id FROM chunk_vectors ORDER BY document_id");
                using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        changed.Add(reader.GetString(0));
                    }
                }

                await statements.Get("DELETE FROM chunk_vectors").ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                var record = statements.Get("""
                    INSERT INTO vector_model (singleton, model_id, dimensions) VALUES (1, $id, $dims)
                    ON CONFLICT (singleton) DO UPDATE SET model_id = excluded.model_id, dimensions = excluded.dimensions
                    """);
                record.Parameters.AddWithValue("$id", model.Id);
                record.Parameters.AddWithValue("$dims", model.Dimensions);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return changed;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> ReplaceVectorsAsync(string documentId, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        ArgumentNullException.ThrowIfNull(vectors);
        var model = _db.VectorModel ?? throw new InvalidOperationException("The store was opened without an embedding model.");
        BundleRules.ValidateDimensions(vectors, model);
        var replaced = await WriteVectorsAsync(
            async statements =>
            {
                var chunks = new HashSet<string>(StringComparer.Ordinal);
                var read = statements.Get("SELECT id FROM chunks WHERE document_id = $id");
                read.Parameters.AddWithValue("$id", documentId);
                using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        chunks.Add(reader.GetString(0));
                    }
                }

                var exists = statements.Get("SELECT 1 FROM documents WHERE id = $id");
                exists.Parameters.AddWithValue("$id", documentId);
                if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                {
                    return [];
                }

                if (vectors.FirstOrDefault(v => !chunks.Contains(v.ChunkId)) is { } stray)
                {
                    throw new ArgumentException($"Chunk {stray.ChunkId} is not a chunk of document {documentId}.", nameof(vectors));
                }

                await RecordVectorModelAsync(statements, model, cancellationToken).ConfigureAwait(false);
                var delete = statements.Get("DELETE FROM chunk_vectors WHERE document_id = $id");
                delete.Parameters.AddWithValue("$id", documentId);
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await InsertVectorsAsync(statements, documentId, vectors, cancellationToken).ConfigureAwait(false);
                return new List<string> { documentId };
            },
            cancellationToken).ConfigureAwait(false);
        return replaced.Count > 0;
    }

    /// <summary>
    /// A write of vectors only, in one transaction that bumps the generation and logs the documents it changed. It is
    /// not reported on the change feed (no bundle to report): the indexes re-read those documents on their next read.
    /// </summary>
    private async Task<List<string>> WriteVectorsAsync(Func<Statements, Task<List<string>>> write, CancellationToken cancellationToken)
    {
        _db.EnsureWritable();
        await _db.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await _db.WriterConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = connection.BeginTransaction(deferred: false);
            using var statements = new Statements(connection, transaction);
            var changed = await write(statements).ConfigureAwait(false);
            await BumpGenerationAsync(statements, destructive: true, changed, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return changed;
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

    /// <summary>
    /// Records the store's model on its first vectors; later writes must be of the same model (another process may
    /// have recorded one since this store was opened).
    /// </summary>
    private async Task RecordVectorModelAsync(Statements statements, VectorModel model, CancellationToken cancellationToken)
    {
        var record = statements.Get("INSERT INTO vector_model (singleton, model_id, dimensions) VALUES (1, $id, $dims) ON CONFLICT (singleton) DO NOTHING");
        record.Parameters.AddWithValue("$id", model.Id);
        record.Parameters.AddWithValue("$dims", model.Dimensions);
        await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        var read = statements.Get("SELECT model_id, dimensions FROM vector_model WHERE singleton = 1");
        using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var stored = new VectorModel(reader.GetString(0), reader.GetInt32(1));
        if (stored != model)
        {
            throw new VectorModelMismatchException(_db.FilePath, stored, model);
        }
    }

    private static async Task InsertVectorsAsync(
        Statements statements, string documentId, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken)
    {
        foreach (var vector in vectors)
        {
            var command = statements.Get("""
                INSERT INTO chunk_vectors (chunk_id, document_id, text_hash, dims, scale, data)
                VALUES ($chunk_id, $document_id, $text_hash, $dims, $scale, $data)
                """);
            command.Parameters.AddWithValue("$chunk_id", vector.ChunkId);
            command.Parameters.AddWithValue("$document_id", documentId);
            command.Parameters.AddWithValue("$text_hash", vector.TextHash);
            command.Parameters.AddWithValue("$dims", vector.Dimensions);
            command.Parameters.AddWithValue("$scale", (double)vector.Scale);
            command.Parameters.Add("$data", SqliteType.Blob).Value = System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.Values.AsSpan()).ToArray();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A vector from the columns chunk_id, text_hash, scale, data starting at <paramref name="first"/>.</summary>
    private static ChunkVector ReadVector(SqliteDataReader reader, int first)
    {
        var data = (byte[])reader.GetValue(first + 3);
        var values = new sbyte[data.Length];
        Buffer.BlockCopy(data, 0, values, 0, data.Length);
        return new ChunkVector(reader.GetString(first), reader.GetString(first + 1), values, (float)reader.GetDouble(first + 2));
    }
}
