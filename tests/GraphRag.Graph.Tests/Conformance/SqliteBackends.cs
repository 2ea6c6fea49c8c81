using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Sqlite;

namespace GraphRag.Graph.Tests.Conformance;

/// <summary>
/// Temp-file SQLite stores for the conformance suites: one database file per name in a folder of their own, which
/// goes (with the connection pools that could hold it open) once the stores are disposed.
/// </summary>
public sealed class SqliteBackends : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphrag-conformance-").FullName;

    /// <summary>A fresh, empty store in its own file.</summary>
    public async Task<IGraphBackend> CreateAsync(string name)
    {
        var path = PathOf(name);
        if (File.Exists(path))
        {
            throw new InvalidOperationException($"A store named '{name}' was already created; each name is one fresh store.");
        }

        return await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path });
    }

    /// <summary>A second store object over the file created under <paramref name="name"/>, as another process opens it.</summary>
    public async Task<IGraphBackend?> OpenSecondInstanceAsync(string name)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"No store named '{name}' was created.");
        }

        return await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path });
    }

    /// <summary>The store named <paramref name="name"/> (created when absent) opened with an embedding model, or none.</summary>
    public async Task<IGraphBackend> OpenAsync(string name, GraphRag.Graph.Model.VectorModel? model) =>
        await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = PathOf(name), VectorModel = model });

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string PathOf(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.IndexOfAny([.. Path.GetInvalidFileNameChars(), '.']) >= 0)
        {
            throw new ArgumentException($"'{name}' cannot name a store file.", nameof(name));
        }

        return Path.Combine(_folder, name + ".db");
    }
}
