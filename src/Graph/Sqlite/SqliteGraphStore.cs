using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Rows;
using Microsoft.Data.Sqlite;

namespace GraphRag.Graph.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Thread-safe; writes are serialised through one lock, reads run
/// on pooled connections alongside them.
/// </summary>
public sealed partial class SqliteGraphStore : IDocumentWriter, IDocumentReader, IStoreStatistics, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly GraphIndexes _indexes;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly bool _readOnly;
    private int _disposed;

    private SqliteGraphStore(string connectionString, bool readOnly)
    {
        _connectionString = connectionString;
        _readOnly = readOnly;
        _indexes = new GraphIndexes(this, this);
    }

    /// <summary>The full path of the database file.</summary>
    public required string FilePath { get; init; }

    /// <summary>Opens (creating and migrating when needed) the store at <see cref="SqliteStoreOptions.Path"/>.</summary>
    public static async Task<SqliteGraphStore> OpenAsync(SqliteStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path);
        var fullPath = System.IO.Path.GetFullPath(options.Path);
        if (options.ReadOnly && !File.Exists(fullPath))
        {
            throw new StoreException($"No store at '{fullPath}'.");
        }

        if (!options.ReadOnly)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = options.ReadOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = Math.Max(1, options.BusyTimeoutMilliseconds / 1000),
        };
        var store = new SqliteGraphStore(builder.ToString(), options.ReadOnly) { FilePath = fullPath };
        try
        {
            using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (!options.ReadOnly)
            {
                await ExecuteAsync(connection, "PRAGMA journal_mode = WAL", cancellationToken).ConfigureAwait(false);
                await Migrations.ApplyAsync(connection, cancellationToken).ConfigureAwait(false);
            }
            else if (await Migrations.GetVersionAsync(connection, cancellationToken).ConfigureAwait(false) is var version
                     && (version == 0 || version > Migrations.Latest))
            {
                throw new StoreException($"'{fullPath}' is not a GraphRag store this build can read (schema version {version}).");
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 26 /* SQLITE_NOTADB */ or 11 /* SQLITE_CORRUPT */)
        {
            throw new StoreException($"'{fullPath}' is not a GraphRag store or is damaged: {ex.Message}", ex);
        }

        return store;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _writeLock.WaitAsync().ConfigureAwait(false);
        _writeLock.Dispose();
        _indexes.Dispose();
    }

    internal async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    [SuppressMessage("Security", "CA2100", Justification = "[ConstantExpected] makes every caller pass a constant.")]
    private static async Task ExecuteAsync(SqliteConnection connection, [ConstantExpected] string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a command; the SQL must be a constant, and every value travels as a parameter.</summary>
    [SuppressMessage("Security", "CA2100", Justification = "[ConstantExpected] makes every caller pass a constant.")]
    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, [ConstantExpected] string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private void EnsureWritable()
    {
        if (_readOnly)
        {
            throw new StoreException("The store was opened read-only.");
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);
}
