using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Sqlite;
using GraphRag.Graph.Tests.Conformance;

namespace GraphRag.Graph.Tests;

public sealed class SqliteStoreConformanceTests : StoreConformanceTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphrag-store-").FullName;
    private SqliteGraphStore? _store;

    protected override async Task<StoreRoles> CreateStoreAsync()
    {
        _store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_folder, "test.db") });
        return new StoreRoles(_store, _store, _store, _store, _store);
    }

    public override async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

public sealed class SqliteStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphrag-store-").FullName;

    [Fact]
    public async Task Open_NewFile_CreatesWalStoreAtLatestSchema()
    {
        var path = Path.Combine(_folder, "nested", "new.db");

        await using var store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path });

        File.Exists(path).Should().BeTrue();
        (await store.GetCountsAsync()).Should().Be(new StoreCounts(0, 0, 0, 0));
        await using var connection = await store.OpenConnectionAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        (await command.ExecuteScalarAsync())!.ToString().Should().Be("wal");
    }

    [Fact]
    public async Task Open_FileThatIsNotADatabase_FailsWithStoreException()
    {
        var path = Path.Combine(_folder, "junk.db");
        await File.WriteAllBytesAsync(path, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray());

        var open = () => SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path });

        await open.Should().ThrowAsync<StoreException>().WithMessage("*not a GraphRag store*");
    }

    [Fact]
    public async Task Reopen_ExistingStore_KeepsData()
    {
        var path = Path.Combine(_folder, "keep.db");
        await using (var store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path }))
        {
            await store.UpsertAsync(Bundles.Create("a", "Persistent text."));
        }

        await using var reopened = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path });

        (await reopened.GetCountsAsync()).Documents.Should().Be(1);
    }

    [Fact]
    public void BuildMatchExpression_QuotesEveryTermSoOperatorsAreLiteral()
    {
        var expression = SqliteGraphStore.BuildMatchExpression(new LexicalQuery(["a\"b", "NEAR", "*", "x"], ["New York"]));

        expression.Should().Be("\"a b\" OR \"NEAR\" OR \"x\" OR \"New York\"");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
