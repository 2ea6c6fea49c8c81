namespace GraphRag.Graph.Tests;

/// <summary>Tests that keep their stores in a temporary folder of their own, removed (pools closed first) afterwards.</summary>
public abstract class StoreFolderTests(string prefix) : IAsyncLifetime
{
    /// <summary>The test's own folder.</summary>
    protected string Folder { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}
