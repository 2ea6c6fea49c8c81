using GraphRag.Graph.Abstractions;
using Microsoft.Data.Sqlite;

using static GraphRag.Graph.Sqlite.SqliteDatabase;

namespace GraphRag.Graph.Sqlite;

public sealed partial class SqliteDocuments : IBulkLoadWriter
{
    /// <summary>How many bulk loads into an empty store are open; while any is, writes append rows only. Under the write lock.</summary>
    private int _bulkLoads;

    private bool AggregatesDeferred => _bulkLoads > 0;

    /// <summary>
    /// A load into an empty store appends rows only: it drops the <see cref="DeferredIndexes"/> and leaves the
    /// <see cref="Aggregates"/> (entity, vote and relation totals, names and types), and when the scope ends computes
    /// the totals once, set-wise, and builds the indexes once, sorted, instead of maintaining both batch by batch. A
    /// store that already holds documents keeps its indexes and totals: readers may be using them. Writes and reads
    /// inside the scope mean what they always do: a read of the totals in this process computes them first (another
    /// process reading the file sees them as of the load's start until it ends), and reads by entity, endpoint or chunk
    /// are slower. A process that dies inside it leaves a mark, and the next writable open computes the totals and
    /// re-creates the indexes.
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
                using (var mark = Command(connection, transaction, Aggregates.MarkPendingSql))
                {
                    await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                // The load's commits leave their pages in the write-ahead log, copied into the file once (by the first
                // commit or close after the load) rather than every thousand pages: a growing graph's B-tree pages are
                // dirtied by every batch, and each checkpoint wrote them again (commit wall time about halved on the
                // benchmark corpora). A per-connection setting; a crash leaves a longer log, which the next open replays.
                using (var hold = Command(connection, transaction, "PRAGMA wal_autocheckpoint = 0"))
                {
                    await hold.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                _bulkLoads++;
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        return dropped ? new BulkLoad(this) : NoBulkLoad.Instance;
    }

    /// <summary>
    /// Runs work in one immediate transaction on the writer's connection, under the write lock; then, still under it,
    /// <paramref name="committed"/> once the transaction has committed.
    /// </summary>
    private async Task<T> WriteUnderLockAsync<T>(
        Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken, Action? committed = null)
    {
        await _db.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await _db.WriterConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            committed?.Invoke();
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
    /// Computes the totals and builds the dropped indexes when the load ends, however it ends (cancelled or failed
    /// too), and has the writer checkpoint as usual again.
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
                    // Back to writing totals per batch first, so a failure below cannot leave this process appending
                    // only (the pending mark stays until a rebuild commits, and reads here rebuild while it is stale).
                    documents._bulkLoads--;
                    // SQLite's default again, so the writer checkpoints even if the build below fails.
                    using (var resume = Command(connection, transaction, "PRAGMA wal_autocheckpoint = 1000"))
                    {
                        await resume.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                    }

                    // Totals before indexes: the indexes on entities and relations are then built over their final rows.
                    await Aggregates.RebuildAsync(connection, transaction, CancellationToken.None).ConfigureAwait(false);
                    using var create = Command(connection, transaction, DeferredIndexes.CreateSql);
                    await create.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                    return true;
                },
                CancellationToken.None,
                documents._db.MarkAggregatesCurrent).ConfigureAwait(false);
        }
    }

    private sealed class NoBulkLoad : IAsyncDisposable
    {
        public static readonly NoBulkLoad Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
