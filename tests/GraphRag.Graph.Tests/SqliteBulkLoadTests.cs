using GraphRag.Conformance;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Sqlite;

namespace GraphRag.Graph.Tests;

/// <summary>The embedded store's bulk load: secondary indexes deferred in an empty store, and never lost.</summary>
public sealed class SqliteBulkLoadTests : IDisposable
{
    private static readonly string[] Deferred =
    [
        "ix_entities_key", "ix_entities_type", "ix_document_entities_entity", "ix_mentions_entity", "ix_mentions_document",
        "ix_mentions_chunk", "ix_mentions_surface", "ix_relations_source", "ix_relations_target", "ix_relation_evidence_relation",
        "ix_relation_evidence_document",
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("graphrag-bulk-").FullName;

    [Fact]
    public async Task BulkLoad_EmptyStore_DefersIndexesAndRebuildsThemAsTheMigrationsDefineThem()
    {
        await using var store = await OpenAsync("empty.db");
        var schema = await IndexesAsync(store);

        var load = await store.BeginBulkLoadAsync();
        (await IndexesAsync(store)).Keys.Should().NotIntersectWith(Deferred);
        await store.UpsertManyAsync([Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage in London.", "Ada Lovelace", "Charles Babbage", "London")]);
        await load.DisposeAsync();

        (await IndexesAsync(store)).Should().Equal(schema);
        schema.Keys.Should().Contain(Deferred);
    }

    [Fact]
    public async Task BulkLoad_StoreWithDocuments_KeepsItsIndexes()
    {
        await using var store = await OpenAsync("full.db");
        await store.UpsertAsync(Bundles.Create("a", "Already here."));
        var schema = await IndexesAsync(store);

        await using (await store.BeginBulkLoadAsync())
        {
            (await IndexesAsync(store)).Should().Equal(schema);
        }

        (await IndexesAsync(store)).Should().Equal(schema);
    }

    [Fact]
    public async Task Open_AfterAProcessDiedInsideABulkLoad_RecreatesTheIndexesAndKeepsTheData()
    {
        var path = Path.Combine(_folder, "died.db");
        Dictionary<string, string> schema;
        await using (var store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path }))
        {
            schema = await IndexesAsync(store);
            // Begun and never ended: what a process killed mid-load leaves.
            _ = await store.BeginBulkLoadAsync();
            await store.UpsertManyAsync([Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage.", "Ada Lovelace", "Charles Babbage")]);
            (await IndexesAsync(store)).Keys.Should().NotIntersectWith(Deferred);
        }

        await using var reopened = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path });

        (await IndexesAsync(reopened)).Should().Equal(schema);
        (await reopened.GetCountsAsync()).Should().Be(new StoreCounts(1, 1, 2, 1));
    }

    [Fact]
    public async Task Open_AfterAProcessDiedInsideABulkLoad_ComputesTheTotalsTheLoadLeftPending()
    {
        var path = Path.Combine(_folder, "pending.db");
        await using var plain = await OpenAsync("plain.db");
        DocumentBundle[] documents =
        [
            Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage in London.", "Ada Lovelace", "Charles Babbage", "London"),
            Bundles.WithEntities("b", "Charles Babbage lived in London.", "Charles Babbage", "London"),
        ];
        await plain.UpsertManyAsync(documents);
        await using (var store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path }))
        {
            // Begun and never ended: rows committed without their totals, as a process killed mid-load leaves them.
            _ = await store.BeginBulkLoadAsync();
            await store.UpsertManyAsync(documents);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        (await ScalarAsync(path, "SELECT COUNT(*) FROM relations")).Should().Be(0L, "the load appended rows only");
        (await ScalarAsync(path, "SELECT COUNT(*) FROM meta WHERE key = 'aggregates_pending'")).Should().Be(1L);

        await using var reopened = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path });

        (await ScalarAsync(path, "SELECT COUNT(*) FROM meta WHERE key = 'aggregates_pending'")).Should().Be(0L);
        (await ScalarAsync(path, "SELECT COUNT(*) FROM relations")).Should().BeGreaterThan(0L);
        (await GraphAsync(reopened)).Should().BeEquivalentTo(await GraphAsync(plain), o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task BulkLoad_DeleteInsideTheLoad_LeavesTheTotalsOfAStoreThatNeverHadTheDocument()
    {
        await using var plain = await OpenAsync("plain.db");
        await using var bulk = await OpenAsync("bulk.db");
        var kept = Bundles.WithEntities("b", "Charles Babbage lived in London.", "Charles Babbage", "London");
        await plain.UpsertAsync(kept);

        await using (await bulk.BeginBulkLoadAsync())
        {
            await bulk.UpsertManyAsync([Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage in London.", "Ada Lovelace", "Charles Babbage", "London"), kept]);
            (await bulk.DeleteAsync("a")).Should().BeTrue();
        }

        (await GraphAsync(bulk)).Should().BeEquivalentTo(await GraphAsync(plain), o => o.WithStrictOrdering());
        (await bulk.GetCountsAsync()).Should().Be(await plain.GetCountsAsync());
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "The callers' constant SQL.")]
    private static async Task<long> ScalarAsync(string path, [System.Diagnostics.CodeAnalysis.ConstantExpected] string sql)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = path, Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly, Pooling = false };
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(builder.ToString());
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task BulkLoad_WritesReplacementsAndReads_MeanWhatTheyMeanWithoutIt()
    {
        await using var plain = await OpenAsync("plain.db");
        await using var bulk = await OpenAsync("bulk.db");
        DocumentBundle[] first =
        [
            Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage in London.", "Ada Lovelace", "Charles Babbage", "London"),
            Bundles.WithEntities("b", "Charles Babbage lived in London.", "Charles Babbage", "London"),
        ];
        var replaced = Bundles.WithEntities("a", "Ada Lovelace wrote to Charles Babbage.", "Ada Lovelace", "Charles Babbage");

        await plain.UpsertManyAsync(first);
        await plain.UpsertAsync(replaced);
        await using (await bulk.BeginBulkLoadAsync())
        {
            await bulk.UpsertManyAsync(first);
            await bulk.UpsertAsync(replaced);
            (await GraphAsync(bulk)).Should().BeEquivalentTo(await GraphAsync(plain), o => o.WithStrictOrdering());
        }

        (await GraphAsync(bulk)).Should().BeEquivalentTo(await GraphAsync(plain), o => o.WithStrictOrdering());
        (await bulk.GetCountsAsync()).Should().Be(await plain.GetCountsAsync());
    }

    private async Task<SqliteGraphStore> OpenAsync(string name) =>
        await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_folder, name) });

    private static async Task<object> GraphAsync(SqliteGraphStore store)
    {
        var entities = (await store.FindEntitiesAsync(new EntitySearch(Limit: 100))).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
        var ids = entities.Select(e => e.Id).ToList();
        var mentions = (await store.GetMentionsAsync(new MentionQuery { EntityIds = ids })).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
        var relations = (await store.GetRelationsAsync(new RelationQuery { EntityIds = ids })).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        return new { entities, mentions, relations };
    }

    /// <summary>Every index of the store by name, with the SQL that defines it.</summary>
    private static async Task<Dictionary<string, string>> IndexesAsync(SqliteGraphStore store)
    {
        await using var connection = await store.OpenConnectionAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL";
        var indexes = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            indexes[reader.GetString(0)] = reader.GetString(1);
        }

        return indexes;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
