using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Tests.Golden;

namespace GraphRag.Ingest.Tests.KnowledgeGraph;

/// <summary>
/// Names made of SQL and Cypher injection, quotes, brackets, backslashes and non-Latin or astral characters go through
/// the real pipeline, are stored as data, read back verbatim, and leave the store intact.
/// </summary>
public sealed class HostileNameTests : IAsyncLifetime
{
    private const string HostileRecordId = "rec'); DROP TABLE documents; --";

    private const string Text = """
        Hostile names

        Tomas Lindqvist directed "Robert'); DROP TABLE entities; --" in 2020. He also directed "Nemo'}) DETACH DELETE n //" in 2021. Ingrid Halvorsen wrote "Harbour [Draft] {v2} (Final)" in 2019. Magnus Eide wrote "C:\Temp\Ångström\Files" in 2018. Zoë Ø'Hara-Ñúñez was born in Tromsø. Henrike Wollmann wrote "Ocean ☃ 東京 Notes 🚢" in 2016. Ingrid Halvorsen wrote “Tide "Tables" Now” in 2015. Magnus Eide wrote "Ocean_Data 100% $key" in 2014. She directed "Back\\slash End\" in 2013. Иван Петров founded 東京 Robotics in 2001.
        """;

    /// <summary>The record's JSON escapes its quotes; its id is hostile too.</summary>
    private const string Record = """
        {"id":"rec'); DROP TABLE documents; --","title":"Hostile \"record\"","text":"Fiona MacRae wrote \"Glider'}) DETACH DELETE n //\" in 2020."}
        """;

    private static readonly string[] StoreTables =
        ["chunks", "document_entities", "documents", "entities", "entity_votes", "mentions", "meta", "relation_evidence", "relations"];

    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-hostile-").FullName;
    private SqliteGraphStore _store = null!;

    private string Input => Path.Combine(_root, "input");

    private IGraphReader Graph => _store;

    private static readonly string[] Names =
    [
        "Robert'); DROP TABLE entities; --",
        "Nemo'}) DETACH DELETE n //",
        "Harbour [Draft] {v2} (Final)",
        @"C:\Temp\Ångström\Files",
        "Zoë Ø'Hara-Ñúñez",
        "Ocean ☃ 東京 Notes 🚢",
        "Tide \"Tables\" Now",
        "Ocean_Data 100% $key",
        @"Back\\slash End\",
        "Иван Петров",
        "東京 Robotics",
        "Glider'}) DETACH DELETE n //",
    ];

    public static TheoryData<string> HostileNames => new(Names);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Input);
        _store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_root, "store.db") });
        await File.WriteAllTextAsync(Path.Combine(Input, "hostile.txt"), Text);
        await File.WriteAllTextAsync(Path.Combine(Input, "records.jsonl"), Record + "\n");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task Ingest_HostileEntityName_IsStoredAndReadBackVerbatim(string name)
    {
        await SamplesCorpus.IngestAsync(_store, Input);
        var id = StableId.Create("ent", EntityKey.Normalize(name));

        (await Graph.FindEntitiesAsync(new EntitySearch(name))).Should().ContainSingle(e => e.Id == id).Which.Name.Should().Be(name);
        (await Graph.FindEntitiesAsync(new EntitySearch(name[..(name.Length / 2)], Prefix: true, Limit: 100))).Should().Contain(e => e.Id == id);
        var mentions = await Graph.GetMentionsAsync(new MentionQuery { EntityIds = [id] });
        mentions.Should().ContainSingle().Which.Text.Should().Be(name);
        var mention = mentions[0];
        var document = await _store.GetDocumentAsync(mention.Span.DocumentId);
        document!.Text[mention.Span.Start..mention.Span.End].Should().Be(name);
        (await _store.GetSnapshotAsync()).GetEntity(id)!.Name.Should().Be(name);
    }

    [Fact]
    public async Task Ingest_HostileNamesTwice_LeavesTheStoreIntactAndUnchanged()
    {
        using (var empty = await StoreDump.OpenAsync(_store.FilePath))
        {
            (await empty.TablesAsync()).Should().Contain(StoreTables);
        }

        await SamplesCorpus.IngestAsync(_store, Input);
        var counts = await _store.GetCountsAsync();
        var again = await SamplesCorpus.IngestAsync(_store, Input);

        again.Should().OnlyContain(r => r.Status == IngestStatus.Unchanged);
        (await _store.GetCountsAsync()).Should().Be(counts);
        counts.Documents.Should().Be(2);
        counts.Entities.Should().BeGreaterThanOrEqualTo(Names.Length);
        using var dump = await StoreDump.OpenAsync(_store.FilePath);
        (await dump.IntegrityCheckAsync()).Should().Be("ok");
        (await dump.TablesAsync()).Should().Contain(StoreTables);
        (await _store.GetDocumentAsync(HostileRecordId))!.Title.Should().Be("Hostile \"record\"");
    }

    [Fact]
    public async Task DeleteAsync_DocumentWithHostileId_RemovesOnlyThatDocument()
    {
        await SamplesCorpus.IngestAsync(_store, Input);
        var glider = StableId.Create("ent", EntityKey.Normalize("Glider'}) DETACH DELETE n //"));
        var robert = StableId.Create("ent", EntityKey.Normalize("Robert'); DROP TABLE entities; --"));

        (await _store.DeleteAsync(HostileRecordId)).Should().BeTrue();

        (await _store.GetDocumentAsync(HostileRecordId)).Should().BeNull();
        (await _store.GetDocumentAsync("hostile.txt")).Should().NotBeNull();
        (await Graph.GetEntitiesAsync([glider, robert])).Select(e => e.Id).Should().Equal(robert);
        (await _store.GetCountsAsync()).Documents.Should().Be(1);
        using var dump = await StoreDump.OpenAsync(_store.FilePath);
        (await dump.IntegrityCheckAsync()).Should().Be("ok");
        (await dump.TablesAsync()).Should().Contain(StoreTables);
    }
}
