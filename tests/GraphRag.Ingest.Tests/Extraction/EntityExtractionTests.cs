using GraphRag.Graph;
using GraphRag.Graph.Model;
using static GraphRag.Ingest.Tests.Extraction.ExtractionFixtures;

namespace GraphRag.Ingest.Tests.Extraction;

public sealed class EntityExtractionTests
{
    [Fact]
    public void Extract_SentenceInitialFunctionWords_AreNotEntities()
    {
        var graph = Extract("The museum opened in Paris. However, it closed in 1990. He moved to Lyon. In the end Marie Curie stayed. Which city is larger?");

        graph.Entities.Select(e => e.Key).Should().NotContain(["the", "however", "he", "in", "which", "in the end"]);
        graph.Names().Should().Contain(["Paris", "Lyon", "Marie Curie"]);
    }

    [Fact]
    public void Extract_SentenceInitialCommonWordWrittenLowerCaseElsewhere_IsNotEntity()
    {
        var graph = Extract("Notable speakers came from Oslo. Several notable speakers stayed.");

        graph.Names().Should().NotContain(n => n.StartsWith("Notable", StringComparison.Ordinal));
        graph.Entity("Oslo").Type.Should().Be(EntityTypes.Location);
    }

    [Fact]
    public void Extract_MultiWordNamesWithOf_AreOneEntity()
    {
        var graph = Extract("She studied at the University of California, Berkeley and wrote for the Journal of Psychotherapy Integration.");

        graph.Entity("University of California, Berkeley").Type.Should().Be(EntityTypes.Organization);
        graph.Entity("Journal of Psychotherapy Integration").Type.Should().Be(EntityTypes.Work);
    }

    [Fact]
    public void Extract_AndBetweenTwoPeople_GivesTwoEntities()
    {
        var graph = Extract("Are Christopher Nolan and Sathish Kalathil both film directors?");

        graph.Names().Should().Contain(["Christopher Nolan", "Sathish Kalathil"]);
    }

    [Fact]
    public void Extract_NameParticles_StayInsideName()
    {
        var graph = Extract("The prize went to Pieter van der Berg and to Lucía de la Vega.");

        graph.Entity("Pieter van der Berg").Type.Should().Be(EntityTypes.Person);
        graph.Entity("Lucía de la Vega").Type.Should().Be(EntityTypes.Person);
    }

    [Fact]
    public void Extract_Initials_StayInsideName()
    {
        var graph = Extract("The first president was G. Stanley Hall. Later J. R. R. Tolkien wrote a novel.");

        graph.Entity("G. Stanley Hall").Type.Should().Be(EntityTypes.Person);
        graph.Entity("J. R. R. Tolkien").Type.Should().Be(EntityTypes.Person);
    }

    [Fact]
    public void Extract_Possessive_MentionExcludesApostropheS()
    {
        var graph = Extract("The book was G. Stanley Hall's first success.");

        var mention = graph.MentionsOf(graph.Entity("G. Stanley Hall")).Single();
        mention.Text.Should().Be("G. Stanley Hall");
    }

    [Fact]
    public void Extract_HyphenatedName_IsOneEntity()
    {
        var graph = Extract("The record was set by Kerry Saxby-Junna in Canberra.");

        graph.Entity("Kerry Saxby-Junna").Type.Should().Be(EntityTypes.Person);
    }

    [Fact]
    public void Extract_QuotedTitles_AreWorks()
    {
        var graph = Extract("Ed Sheeran wrote the song \"Thinking Out Loud\" and later “Perfect Storm” for the album.");

        graph.Entity("Thinking Out Loud").Type.Should().Be(EntityTypes.Work);
        graph.Entity("Perfect Storm").Type.Should().Be(EntityTypes.Work);
    }

    [Fact]
    public void Extract_WorkInApposition_IsWork()
    {
        var graph = Extract("Brand is a play by Henrik Ibsen. It premiered in the 1994 film Tempest Rising.");

        graph.Entity("Henrik Ibsen").Type.Should().Be(EntityTypes.Person);
        graph.Entity("Tempest Rising").Type.Should().Be(EntityTypes.Work);
    }

    [Fact]
    public void Extract_DatesYearsAndDecades_AreCanonicalDates()
    {
        var graph = Extract("She was born on 12 March 1998 and married on March 12, 1999. The 1980s were calm. In 2004 she moved.");

        var dates = graph.Entities.Where(e => e.Type == EntityTypes.Date).Select(e => e.Name).ToList();
        dates.Should().Contain(["1998-03-12", "1999-03-12", "1980s", "2004", "1998"]);
        graph.Mentions.Select(m => m.Text).Should().Contain(["12 March 1998", "March 12, 1999"]);
    }

    [Fact]
    public void Extract_MoneyAndUnits_AreQuantities()
    {
        var graph = Extract("The deal was worth €40 million and later $1.2 billion. It has 35 stores and a 12 km track.");

        var quantities = graph.Mentions.Where(m => m.Type == EntityTypes.Quantity).Select(m => m.Text).ToList();
        quantities.Should().BeEquivalentTo(["€40 million", "$1.2 billion", "35 stores", "12 km"]);
        graph.Entity("EUR 40 million").Key.Should().NotBe(graph.Entity("USD 1.2 billion").Key);
    }

    [Fact]
    public void Extract_DocumentTitleWithSpacedHyphens_IsAnchoredByKey()
    {
        var graph = Extract(
            "Person - centered therapy is a form of psychotherapy developed by psychologist Carl Rogers. Person - centered therapy seeks growth.",
            title: "Person-centered therapy");

        var title = graph.Entity("Person-centered therapy");
        title.Key.Should().Be(EntityKey.Normalize("Person-centered therapy"));
        graph.MentionsOf(title).Should().HaveCount(2).And.OnlyContain(m => m.Resolution == "title" && m.Text == "Person - centered therapy");
        graph.Entity("Carl Rogers").Type.Should().Be(EntityTypes.Person);
    }

    [Fact]
    public void Extract_TitleWithDisambiguator_UsesHeadAndTypeHint()
    {
        var graph = Extract("Brand is a verse tragedy in five acts. Brand was staged in 1885.", title: "Brand (play)");

        var brand = graph.Entity("Brand");
        brand.Type.Should().Be(EntityTypes.Work);
        graph.MentionsOf(brand).Should().HaveCount(2).And.OnlyContain(m => m.Resolution == "title");
    }

    [Fact]
    public void Extract_TitleNotInText_IsSkipped()
    {
        var graph = Extract("Terravex Oil starts drilling near a lake in North Dakota.", title: "Monster Trucks (film)");

        graph.Names().Should().NotContain("Monster Trucks");
        graph.Entities.Should().OnlyContain(e => graph.Mentions.Any(m => m.EntityId == e.Id));
    }

    [Fact]
    public void Extract_TitlePersonWithMiddleName_IsAnchored()
    {
        var graph = Extract("Christopher Edward Nolan (born 30 July 1970) is an English film director.", title: "Christopher Nolan");

        var nolan = graph.Entity("Christopher Nolan");
        nolan.Type.Should().Be(EntityTypes.Person);
        graph.MentionsOf(nolan).Single().Text.Should().Be("Christopher Edward Nolan");
    }

    [Fact]
    public void Extract_Acronyms_AreEntities()
    {
        var graph = Extract("Funding came from NASA and the ESA in 2001.");

        graph.Names().Should().Contain(["NASA", "ESA"]);
    }

    [Fact]
    public void Extract_TypesFromCues_AreCoarseTypes()
    {
        var graph = Extract(
            "Acme Corporation opened an office on the Mississippi River in Ohio. Dr. Ngozi Okafor joined the Royal Society of Chemistry.");

        graph.Entity("Acme Corporation").Type.Should().Be(EntityTypes.Organization);
        graph.Entity("Mississippi River").Type.Should().Be(EntityTypes.Location);
        graph.Entity("Ohio").Type.Should().Be(EntityTypes.Location);
        graph.Entity("Ngozi Okafor").Type.Should().Be(EntityTypes.Person);
        graph.Entity("Royal Society of Chemistry").Type.Should().Be(EntityTypes.Organization);
    }

    [Fact]
    public void Extract_HostileNames_AreKeptVerbatim()
    {
        const string title = "'}) DETACH DELETE n //";
        const string text = "'}) DETACH DELETE n // is a 2019 album by Bobby Tables. "
            + "Critics called '; DROP TABLE entities; -- \"Robert Tables\" a hit [sic] {really}.";

        var document = Document(text, title);
        var graph = Default.Extract(document, WholeChunk(document));

        graph.Entity(title).Should().NotBeNull();
        graph.Names().Should().Contain("Bobby Tables");
        graph.Names().Should().Contain(n => n.Contains("DROP TABLE", StringComparison.Ordinal));
        graph.Mentions.Should().OnlyContain(m => m.Text == document.Text.Substring(m.Span.Start, m.Span.End - m.Span.Start));
    }

    [Fact]
    public void Extract_EveryEntity_HasAMentionAndStableId()
    {
        var graph = Extract("Jane Smith founded Acme Corporation in Boston in 1999. Smith later sold Acme Corporation.");

        foreach (var entity in graph.Entities)
        {
            graph.MentionsOf(entity).Should().NotBeEmpty();
            entity.Id.Should().Be(StableId.Create("ent", entity.Key));
        }
    }
}
