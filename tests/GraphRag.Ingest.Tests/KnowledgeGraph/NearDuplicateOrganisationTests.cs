using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Tests.Golden;

namespace GraphRag.Ingest.Tests.KnowledgeGraph;

/// <summary>
/// Organisations whose names differ by a letter or a legal form are different companies unless the text links them —
/// by an alias it gives ("formerly …") or by a short form in the same document. Checked end to end, through a store.
/// </summary>
public sealed class NearDuplicateOrganisationTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-near-duplicates-").FullName;
    private SqliteGraphStore _store = null!;

    private string Input => Path.Combine(_root, "input");

    private IGraphReader Graph => _store;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Input);
        _store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_root, "store.db") });
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("Acme Ltd.", "Acme Co.")]
    [InlineData("Nordic Holding AS", "Nordic Holdings ASA")]
    public async Task Ingest_NearDuplicateCompanyNamesInTwoDocuments_StayTwoEntities(string first, string second)
    {
        await IngestAsync(
            ("first.txt", $"Bolt supplier\n\n{first} makes bolts in Leeds. {first} was founded in 1950."),
            ("second.txt", $"Nut supplier\n\n{second} makes nuts in York. {second} was founded in 1962."));

        var one = await EntityAsync(first);
        var two = await EntityAsync(second);
        one.Id.Should().NotBe(two.Id);
        one.DocumentCount.Should().Be(1);
        two.DocumentCount.Should().Be(1);
        (await Graph.GetRelationsAsync(new RelationQuery { EntityIds = [one.Id], LabelledOnly = true }))
            .Should().NotContain(r => r.SourceId == two.Id || r.TargetId == two.Id);
    }

    [Fact]
    public async Task Ingest_ShortFormInOneDocument_JoinsOnlyThatDocumentsCompany()
    {
        await IngestAsync(
            ("holding.txt", "Ferries\n\nNordic Holding AS owns four ferries. In 2020 Nordic sold one of them."),
            ("holdings.txt", "Tankers\n\nNordic Holdings ASA owns two tankers in Bergen."));

        var holding = await EntityAsync("Nordic Holding AS");
        var holdings = await EntityAsync("Nordic Holdings ASA");
        var mentions = await Graph.GetMentionsAsync(new MentionQuery { EntityIds = [holding.Id] });
        mentions.Select(m => (m.Span.DocumentId, m.Text)).Should().Equal(("holding.txt", "Nordic Holding AS"), ("holding.txt", "Nordic"));
        (await Graph.GetMentionsAsync(new MentionQuery { EntityIds = [holdings.Id] })).Should().OnlyContain(m => m.Span.DocumentId == "holdings.txt");
    }

    [Fact]
    public async Task Ingest_FormerNameGivenInOneDocument_LinksTheTwoNamesByAnAlias()
    {
        await IngestAsync(
            ("now.txt", "Bolts\n\nAcme Ltd. (formerly Acme Co.) makes bolts in Leeds."),
            ("then.txt", "History\n\nAcme Co. was founded in Leeds in 1950."));

        var now = await EntityAsync("Acme Ltd.");
        var then = await EntityAsync("Acme Co.");
        now.Id.Should().NotBe(then.Id);
        (await Graph.GetRelationsAsync(new RelationQuery { EntityIds = [now.Id], LabelledOnly = true }))
            .Should().ContainSingle(r => r.Label == RelationLabels.AliasOf && r.SourceId == then.Id && r.TargetId == now.Id);
    }

    private async Task<Entity> EntityAsync(string name)
    {
        var found = await Graph.GetEntitiesAsync([StableId.Create("ent", EntityKey.Normalize(name))]);
        found.Should().ContainSingle("an entity keyed '{0}' is stored", EntityKey.Normalize(name));
        return found[0];
    }

    private async Task IngestAsync(params (string Name, string Text)[] files)
    {
        foreach (var (name, text) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(Input, name), text);
        }

        await SamplesCorpus.IngestAsync(_store, Input);
    }
}
