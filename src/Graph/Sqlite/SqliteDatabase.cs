using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace GraphRag.Graph.Sqlite;

/// <summary>
/// The file the embedded store's classes share: connections (pooled, WAL), the one write lock that serialises this
/// process's writes, schema migrations, and the translation of SQLite's "busy" and "locked" into a transient
/// <see cref="StoreException"/>. Commands take constant SQL only; every value is a parameter.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    private readonly string _connectionString;
    private readonly Lock _generationGate = new();
    private SqliteConnection? _writer;
    private SqliteCommand? _generation;

    private SqliteDatabase(string connectionString, string filePath, bool readOnly, Model.VectorModel? vectorModel)
    {
        _connectionString = connectionString;
        FilePath = filePath;
        ReadOnly = readOnly;
        VectorModel = vectorModel;
    }

    /// <summary>The embedding model configured; null when embeddings are off.</summary>
    public Model.VectorModel? VectorModel { get; }

    /// <summary>The full path of the database file.</summary>
    public string FilePath { get; }

    public bool ReadOnly { get; }

    /// <summary>Serialises this process's writes (SQLite allows one writer at a time anyway).</summary>
    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    private volatile bool _aggregatesStale;

    /// <summary>
    /// Marks that this process committed rows without their totals (a bulk load appends only): the next read of
    /// <c>entities</c>, <c>entity_votes</c> or <c>relations</c> in this process rebuilds them first. Callers hold <see cref="WriteLock"/>.
    /// </summary>
    public void MarkAggregatesStale() => _aggregatesStale = true;

    /// <summary>
    /// Before a read of the totals: when this process's bulk load has committed rows whose totals are not computed yet,
    /// computes them all now (under the write lock), so a read inside a load means what it means outside one. Nothing
    /// otherwise. The load computes them again at its end for what it writes after this.
    /// </summary>
    public async Task EnsureAggregatesAsync(CancellationToken cancellationToken)
    {
        if (!_aggregatesStale || ReadOnly)
        {
            return;
        }

        await WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_aggregatesStale)
            {
                return;
            }

            var connection = await WriterConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = connection.BeginTransaction(deferred: false);
            await Aggregates.RebuildAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _aggregatesStale = false;
        }
        catch (SqliteException ex) when (IsBusy(ex))
        {
            throw Busy(ex);
        }
        finally
        {
            WriteLock.Release();
        }
    }

    /// <summary>The totals were just rebuilt by the caller, who holds <see cref="WriteLock"/>.</summary>
    public void MarkAggregatesCurrent() => _aggregatesStale = false;

    /// <summary>Opens (creating and migrating when needed) the file at <see cref="SqliteStoreOptions.Path"/>.</summary>
    public static async Task<SqliteDatabase> OpenAsync(SqliteStoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path);
        var fullPath = Path.GetFullPath(options.Path);
        var create = options.CreateIfMissing && !options.ReadOnly;
        if (!create && !File.Exists(fullPath))
        {
            throw new StoreNotFoundException(fullPath);
        }

        if (create)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            // Without create, SQLite itself refuses a file that vanished after the check above.
            Mode = options.ReadOnly ? SqliteOpenMode.ReadOnly : create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = Math.Max(1, options.BusyTimeoutMilliseconds / 1000),
        };
        var database = new SqliteDatabase(builder.ToString(), fullPath, options.ReadOnly, options.VectorModel);
        try
        {
            using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (!options.ReadOnly)
            {
                await ExecuteAsync(connection, "PRAGMA journal_mode = WAL", cancellationToken).ConfigureAwait(false);
                await Migrations.ApplyAsync(connection, cancellationToken).ConfigureAwait(false);
                // Totals first: a load that died left them pending, and its dropped indexes are built over them after.
                await Aggregates.RepairAsync(connection, cancellationToken).ConfigureAwait(false);
                await DeferredIndexes.EnsureAsync(connection, cancellationToken).ConfigureAwait(false);
            }
            else if (await Migrations.GetVersionAsync(connection, cancellationToken).ConfigureAwait(false) is var version
                     && (version == 0 || version > Migrations.Latest))
            {
                throw new StoreException($"'{fullPath}' is not a GraphRag store this build can read (schema version {version}).");
            }

            if (options.VectorModel is { } configured && options.CheckVectorModel
                && await ReadVectorModelAsync(connection, null, cancellationToken).ConfigureAwait(false) is { } stored && stored != configured)
            {
                throw new VectorModelMismatchException(fullPath, stored, configured);
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 26 /* SQLITE_NOTADB */ or 11 /* SQLITE_CORRUPT */)
        {
            database.Dispose();
            throw new StoreException($"'{fullPath}' is not a GraphRag store or is damaged: {ex.Message}", ex);
        }
        catch
        {
            database.Dispose();
            throw;
        }

        return database;
    }

    public Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken) => OpenAsync(_connectionString, cancellationToken);

    /// <summary>
    /// A connection of its own, closed for good when disposed: for work that sizes SQLite's page cache for itself
    /// (a full read), so the memory goes with it instead of staying with a pooled connection.
    /// </summary>
    public Task<SqliteConnection> OpenDedicatedConnectionAsync(CancellationToken cancellationToken) =>
        OpenAsync(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString(), cancellationToken);

    private static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (SqliteException ex) when (IsBusy(ex))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw Busy(ex);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs a write under the write lock on its own connection; "busy" or "locked" (another process holds the file
    /// past the busy timeout) becomes a transient <see cref="StoreException"/>, which the HTTP API answers with 503.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        EnsureWritable();
        await WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await write(connection).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (IsBusy(ex))
        {
            throw Busy(ex);
        }
        finally
        {
            WriteLock.Release();
        }
    }

    /// <summary>Runs a read on its own connection, with the same translation of "busy" as <see cref="WriteAsync"/>.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await read(connection).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (IsBusy(ex))
        {
            throw Busy(ex);
        }
    }

    public void EnsureWritable()
    {
        if (ReadOnly)
        {
            throw new StoreException("The store was opened read-only.");
        }
    }

    [SuppressMessage("Security", "CA2100", Justification = "[ConstantExpected] makes every caller pass a constant.")]
    public static async Task ExecuteAsync(SqliteConnection connection, [ConstantExpected] string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a command; the SQL must be a constant, and every value travels as a parameter.</summary>
    [SuppressMessage("Security", "CA2100", Justification = "[ConstantExpected] makes every caller pass a constant.")]
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, [ConstantExpected] string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public static async Task<long> ReadGenerationAsync(
        SqliteConnection connection, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        using var command = Command(connection, transaction, "SELECT value FROM meta WHERE key = 'generation'");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
    }

    /// <summary>The model recorded for the stored vectors; null while none are stored (or before schema 4).</summary>
    public static async Task<Model.VectorModel?> ReadVectorModelAsync(
        SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        if (await Migrations.GetVersionAsync(connection, cancellationToken).ConfigureAwait(false) < 4)
        {
            return null;
        }

        using var command = Command(connection, transaction, "SELECT model_id, dimensions FROM vector_model WHERE singleton = 1");
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new Model.VectorModel(reader.GetString(0), reader.GetInt32(1))
            : null;
    }

    public static async Task<long> ReadMetaAsync(
        SqliteConnection connection, SqliteTransaction? transaction, [ConstantExpected] string key, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, "SELECT value FROM meta WHERE key = $key");
        command.Parameters.AddWithValue("$key", key);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
    }

    /// <summary>
    /// The writer's own connection, opened once and kept, with the page cache a growing graph's index pages need
    /// (128 MB): kept warm between batches, and never handed to readers by the pool. Callers hold <see cref="WriteLock"/>.
    /// </summary>
    public async Task<SqliteConnection> WriterConnectionAsync(CancellationToken cancellationToken)
    {
        if (_writer is { State: System.Data.ConnectionState.Open })
        {
            return _writer;
        }

        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
        }

        var connection = await OpenDedicatedConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // WAL with synchronous=NORMAL: a commit is atomic and survives a crash of this process; only a power
            // loss can undo the last commits, never half of one.
            await ExecuteAsync(connection, "PRAGMA synchronous = NORMAL", cancellationToken).ConfigureAwait(false);
            // A 32 MB page cache: bench query at 30k chunks peaks at 753 MB with it against 970 MB with 128 MB (the writer's
            // and the full reader's caches together), at the same ingest speed.
            await ExecuteAsync(connection, "PRAGMA cache_size = -32768", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return _writer = connection;
    }

    /// <summary>
    /// The store's committed generation, read on a connection kept for it with its statement prepared once: every read
    /// of the in-memory indexes asks first whether another process wrote (several times a query), and a pooled
    /// connection with a freshly prepared statement cost more than the read. Each read is its own read transaction, so
    /// it sees the latest commit and holds nothing between reads.
    /// </summary>
    public Task<long> ReadGenerationAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_generationGate)
        {
            try
            {
                if (_generation is null)
                {
                    var connection = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
                    try
                    {
                        connection.Open();
                        _generation = Command(connection, null, "SELECT value FROM meta WHERE key = 'generation'");
                        _generation.Prepare();
                    }
                    catch
                    {
                        _generation?.Dispose();
                        _generation = null;
                        connection.Dispose();
                        throw;
                    }
                }

                return Task.FromResult((long)(_generation.ExecuteScalar() ?? 0L));
            }
            catch (SqliteException ex)
            {
                // The next read starts over on a new connection.
                CloseGeneration();
                if (IsBusy(ex))
                {
                    throw Busy(ex);
                }

                throw;
            }
        }
    }

    private void CloseGeneration()
    {
        var connection = _generation?.Connection;
        _generation?.Dispose();
        connection?.Dispose();
        _generation = null;
    }

    public void Dispose()
    {
        lock (_generationGate)
        {
            CloseGeneration();
        }

        _writer?.Dispose();
        WriteLock.Dispose();
    }

    /// <summary>SQLITE_BUSY (5) and SQLITE_LOCKED (6), extended codes included.</summary>
    internal static bool IsBusy(SqliteException ex) => (ex.SqliteErrorCode & 0xff) is 5 or 6;

    internal static StoreException Busy(SqliteException ex) =>
        new("The store is busy: another process holds its write lock. Retry shortly.", ex) { IsTransient = true };
}
