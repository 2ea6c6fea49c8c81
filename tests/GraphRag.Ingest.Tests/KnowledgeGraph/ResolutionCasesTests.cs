using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Tests.Golden;

namespace GraphRag.Ingest.Tests.KnowledgeGraph;

/// <summary>
/// Entity resolution end to end: small hand-written documents go through the real pipeline into a store, and what
/// must merge (or must not) is checked through <see cref="IGraphReader"/>.
/// </summary>
public sealed class ResolutionCasesTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-resolution-").FullName;
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

    [Fact]
    public async Task Ingest_AcronymAfterFullNameInOneDocument_MergesWithTheFullName()
    {
        await IngestAsync(("survey.txt", "Fjord survey\n\nThe Halden Fjord Survey Institute (HFSI) maps the seabed of western Norway. HFSI opened a second laboratory in 2021, and HFSI now employs forty people."));
        var institute = StableId.Create("ent", "halden fjord survey institute");

        (await Graph.FindEntitiesAsync(new EntitySearch("HFSI"))).Select(e => e.Id).Should().Contain(institute);
        var mentions = await MentionsVerbatimAsync(institute);
        mentions.Select(m => (m.Text, m.Resolution)).Should().Equal(
            ("Halden Fjord Survey Institute", "exact"), ("HFSI", "alias:acronym"), ("HFSI", "alias:acronym"));
        var acronym = StableId.Create("ent", "hfsi");
        (await Graph.GetRelationsAsync(new RelationQuery { EntityIds = [institute], LabelledOnly = true }))
            .Should().ContainSingle(r => r.Label == RelationLabels.AliasOf && r.SourceId == acronym && r.TargetId == institute);
    }

    [Fact]
    public async Task Ingest_SurnameAfterFullNameInOneDocument_MergesWithThePerson()
    {
        await IngestAsync(("nordhav.txt", "Nordhav\n\nMagnus Eide founded Nordhav Ventures in Brennsund in 2016. Eide still chairs its investment committee."));
        var eide = StableId.Create("ent", "magnus eide");

        (await Graph.FindEntitiesAsync(new EntitySearch("Eide"))).Select(e => e.Id).Should().Equal(eide);
        (await MentionsVerbatimAsync(eide)).Select(m => (m.Text, m.Resolution)).Should().Equal(("Magnus Eide", "exact"), ("Eide", "alias:surname"));
    }

    [Fact]
    public async Task Ingest_SurnameAfterFullNameWithUnlistedGivenName_MergesWithThePerson()
    {
        await IngestAsync(("lab.txt", "Harbour laboratory\n\nSigrun Vatne founded the laboratory in Bergen in 2004. Vatne later moved to Tromsø."));
        var vatne = StableId.Create("ent", "sigrun vatne");

        (await Graph.FindEntitiesAsync(new EntitySearch("Vatne"))).Select(e => e.Id).Should().Equal(vatne);
        (await MentionsVerbatimAsync(vatne)).Select(m => m.Text).Should().Equal("Sigrun Vatne", "Vatne");
    }

    [Fact]
    public async Task Ingest_CompanyWithAndWithoutLegalFormInTwoDocuments_MergesIntoOneEntity()
    {
        await IngestAsync(
            ("supplier.txt", "Sensor supplier\n\nNautilux Sensing B.V. makes hydrophones in Marrenhaven. The first hydrophone was sold in 2014."),
            ("trials.txt", "Vehicle trials\n\nThe trial vehicle carried a hydrophone from Nautilux Sensing and a camera from Oslo."));
        var company = StableId.Create("ent", "nautilux sensing");

        (await Graph.FindEntitiesAsync(new EntitySearch("Nautilux Sensing B.V."))).Should().ContainSingle()
            .Which.Should().Match<Entity>(e => e.Id == company && e.DocumentCount == 2 && e.MentionCount == 2);
        (await Graph.FindEntitiesAsync(new EntitySearch("Nautilux Sensing"))).Should().ContainSingle().Which.Id.Should().Be(company);
        (await MentionsVerbatimAsync(company)).Select(m => (m.Span.DocumentId, m.Text)).Should().Equal(
            ("supplier.txt", "Nautilux Sensing B.V."), ("trials.txt", "Nautilux Sensing"));
    }

    [Fact]
    public async Task Ingest_NameWithAndWithoutAccentInTwoDocuments_MergesIntoOnePerson()
    {
        await IngestAsync(
            ("award.txt", "Data award\n\nLucía de la Vega received the award in Brennsund in 2023."),
            ("report.txt", "Data report\n\nThe report was written by Lucia de la Vega in Puerto Almira in 2019."));
        var person = StableId.Create("ent", "lucia de la vega");

        (await Graph.FindEntitiesAsync(new EntitySearch("Lucía de la Vega"))).Should().ContainSingle()
            .Which.Should().Match<Entity>(e => e.Id == person && e.Type == EntityTypes.Person && e.DocumentCount == 2);
        (await Graph.FindEntitiesAsync(new EntitySearch("Lucia de la Vega"))).Should().ContainSingle().Which.Id.Should().Be(person);
        (await MentionsVerbatimAsync(person)).Select(m => (m.Span.DocumentId, m.Text)).Should().Equal(
            ("award.txt", "Lucía de la Vega"), ("report.txt", "Lucia de la Vega"));
    }

    [Fact]
    public async Task Ingest_TwoPeopleSharingASurnameInDifferentDocuments_StayTwoEntities()
    {
        await IngestOkaforDocumentsAsync();
        var engineer = StableId.Create("ent", "j r okafor");
        var lawyer = StableId.Create("ent", "adaeze okafor");

        (await Graph.FindEntitiesAsync(new EntitySearch("J. R. Okafor"))).Should().ContainSingle()
            .Which.Should().Match<Entity>(e => e.Id == engineer && e.Type == EntityTypes.Person && e.DocumentCount == 1);
        (await Graph.FindEntitiesAsync(new EntitySearch("Adaeze Okafor"))).Should().ContainSingle()
            .Which.Should().Match<Entity>(e => e.Id == lawyer && e.Type == EntityTypes.Person && e.DocumentCount == 1);
        (await MentionsVerbatimAsync(engineer)).Select(m => (m.Span.DocumentId, m.Text)).Should().Equal(
            ("engineer.txt", "J. R. Okafor"), ("engineer.txt", "Okafor"));
        (await MentionsVerbatimAsync(lawyer)).Select(m => (m.Span.DocumentId, m.Text)).Should().Equal(
            ("lawyer.txt", "Adaeze Okafor"), ("lawyer.txt", "Okafor"));
    }

    [Fact]
    public async Task Ingest_BareSurnameInAThirdDocument_AttachesToNeitherPerson()
    {
        await IngestOkaforDocumentsAsync();
        var people = new[] { StableId.Create("ent", "j r okafor"), StableId.Create("ent", "adaeze okafor") };

        var chunks = (await _store.GetDocumentChunksAsync("fair.txt")).Select(c => c.Id).ToList();
        var bare = (await Graph.GetMentionsAsync(new MentionQuery { ChunkIds = chunks })).Should().ContainSingle(m => m.Text == "Okafor").Subject;
        people.Should().NotContain(bare.EntityId);
        (await Graph.GetMentionsAsync(new MentionQuery { EntityIds = people })).Should().NotContain(m => m.Span.DocumentId == "fair.txt");
        var named = await Graph.FindEntitiesAsync(new EntitySearch("Okafor"));
        named.Select(e => e.Id).Should().BeEquivalentTo([.. people, bare.EntityId]);
        named.Should().OnlyContain(e => e.DocumentCount == 1);
    }

    private Task IngestOkaforDocumentsAsync() => IngestAsync(
        ("engineer.txt", "Vehicle design\n\nJ. R. Okafor designed the Skate 300 in Brennsund. Okafor later led the design of the Skate 500."),
        ("lawyer.txt", "Vessel rules\n\nAdaeze Okafor chaired the working group in Marrenhaven. Okafor said every rule must name a responsible person."),
        ("fair.txt", "Fair notes\n\nAt the fair in Brennsund, Okafor spoke about safety for an hour."));

    private async Task IngestAsync(params (string Name, string Text)[] files)
    {
        foreach (var (name, text) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(Input, name), text);
        }

        await SamplesCorpus.IngestAsync(_store, Input);
    }

    /// <summary>The entity's mentions in document order, each checked to quote the stored text at its span.</summary>
    private async Task<IReadOnlyList<Mention>> MentionsVerbatimAsync(string entityId)
    {
        var mentions = await Graph.GetMentionsAsync(new MentionQuery { EntityIds = [entityId] });
        foreach (var mention in mentions)
        {
            var document = await _store.GetDocumentAsync(mention.Span.DocumentId);
            document!.Text[mention.Span.Start..mention.Span.End].Should().Be(mention.Text);
        }

        return mentions;
    }
}
