using GraphRag.Graph.Abstractions;
using Microsoft.Data.Sqlite;

using static GraphRag.Graph.Sqlite.SqliteDatabase;

namespace GraphRag.Graph.Sqlite;

public sealed partial class SqliteDocuments : IBulkLoadWriter
{
    /// <summary>
    /// A load into an empty store drops the <see cref="DeferredIndexes"/> and builds them once when the scope ends,
    /// sorted, instead of maintaining them row by row (13-24% of the writer's SQL on the benchmark corpora, of which
    /// the build at the end gives back about 40%). A store that already holds documents keeps its indexes: readers may
    /// be using them. Writes and reads inside the scope mean what they always do, only reads by entity, endpoint or
    /// chunk are slower; a process that dies inside it leaves the indexes to the next writable open, which re-creates
    /// them.
    /// </summary>
    public async Task<IAsyncDisposable> BeginBulkLoadAsync(CancellationToken cancellationToken = default)
    {
        _db.EnsureWritable();
        var dropped = await WriteUnderLockAsync(
            async (connection, transaction) =>
            {
                using (var empty = Command(connection, transaction, "SELECT NOT EXISTS (SELECT 1 FROM documents)"))
                {
                    if ((long)(await empty.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L) == 0)
                    {
                        return false;
                    }
                }

                using var drop = Command(connection, transaction, DeferredIndexes.DropSql);
                await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                // The load's commits leave their pages in the write-ahead log, copied into the file once (by the first
                // commit or close after the load) rather than every thousand pages: a growing graph's B-tree pages are
                // dirtied by every batch, and each checkpoint wrote them again (commit wall time about halved on the
                // benchmark corpora). A per-connection setting; a crash leaves a longer log, which the next open replays.
                using (var hold = Command(connection, transaction, "PRAGMA wal_autocheckpoint = 0"))
                {
                    await hold.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
        return dropped ? new BulkLoad(this) : NoBulkLoad.Instance;
    }

    /// <summary>Runs work in one immediate transaction on the writer's connection, under the write lock.</summary>
    private async Task<T> WriteUnderLockAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _db.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await _db.WriterConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
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
    /// Builds the dropped indexes when the load ends, however it ends (cancelled or failed too), and has the writer
    /// checkpoint as usual again.
    /// </summary>
    private sealed class BulkLoad(SqliteDocuments documents) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            await documents.WriteUnderLockAsync(
                async (connection, transaction) =>
                {
                    // SQLite's default again first, so the writer checkpoints even if the build below fails.
                    using (var resume = Command(connection, transaction, "PRAGMA wal_autocheckpoint = 1000"))
                    {
                        await resume.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                    }

                    using var create = Command(connection, transaction, DeferredIndexes.CreateSql);
                    await create.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                    return true;
                },
                CancellationToken.None).ConfigureAwait(false);
        }
    }

    private sealed class NoBulkLoad : IAsyncDisposable
    {
        public static readonly NoBulkLoad Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
