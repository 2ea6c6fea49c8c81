using GraphRag.Conformance;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Sqlite;

namespace GraphRag.Graph.Tests;

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
    public async Task Open_Version1Store_MigratesToLatestKeepingDocumentsAndGeneration()
    {
        var path = Path.Combine(_folder, "v1.db");
        await CreateVersion1StoreAsync(path);

        await using var store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path });

        await using (var connection = await store.OpenConnectionAsync(CancellationToken.None))
        {
            (await Migrations.GetVersionAsync(connection, CancellationToken.None)).Should().Be(Migrations.Latest).And.Be(5);
        }

        (await store.GetGenerationAsync()).Should().Be(7);
        (await store.GetDocumentAsync("old"))!.Text.Should().Be("Written by version 1.");
        (await store.ListAsync()).Should().BeEmpty();
        (await store.AddAsync(new ApiKeyRecord("0123456789ab", [1, 2, 3], "alice", [], [], DateTimeOffset.UnixEpoch))).Should().BeTrue();
        await store.AppendAsync(new AuditEntry(0, DateTimeOffset.UnixEpoch, "alice", "query", null, "ok", new Dictionary<string, string>()));
        (await store.ReadAsync(new AuditQuery())).Should().ContainSingle();
        (await store.GetGenerationAsync()).Should().Be(7);
        (await store.UpsertAsync(Bundles.Create("new", "Written by version 2."))).Should().Be(WriteOutcome.Added);
        (await store.GetCountsAsync()).Documents.Should().Be(2);
        // Version 3 dropped the full-text table: chunks written before it are found by the in-memory index.
        (await store.GetDocumentAsync("old"))!.Sensitive.Should().BeNull("spans were never recorded for it");
        (await store.SearchAsync(new LexicalQuery(["written"], []))).Select(h => h.DocumentId).Should().BeEquivalentTo(["new"]);
    }

    [Fact]
    public async Task Open_ReopenMigratedStore_AppliesNothingTwice()
    {
        var path = Path.Combine(_folder, "twice.db");
        await using (var store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path }))
        {
            await store.AddAsync(new ApiKeyRecord("0123456789ab", [1, 2, 3], "alice", [], [], DateTimeOffset.UnixEpoch));
        }

        await using var reopened = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path });

        (await reopened.ListAsync()).Should().ContainSingle();
    }

    /// <summary>A store exactly as version 1 of the schema left it, with one document and a moved-on generation.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Security", "CA2100", Justification = "The SQL is the store's own embedded version-1 script plus constants.")]
    private static async Task CreateVersion1StoreAsync(string path)
    {
        var assembly = typeof(SqliteGraphStore).Assembly;
        string script;
        using (var stream = assembly.GetManifestResourceStream("GraphRag.Graph.Sqlite.Migrations.0001_initial.sql")!)
        using (var reader = new StreamReader(stream))
        {
            script = await reader.ReadToEndAsync();
        }

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = script + """

            INSERT INTO documents (id, source, title, media_type, content_hash, pipeline, metadata, regions, acl, text)
            VALUES ('old', 'old.txt', 'Old', 'text/plain', 'h', 'p1', '{}', '[]', '[]', 'Written by version 1.');
            UPDATE meta SET value = 7 WHERE key = 'generation';
            """;
        await command.ExecuteNonQueryAsync();
        command.CommandText = "PRAGMA user_version";
        Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture).Should().Be(1);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
