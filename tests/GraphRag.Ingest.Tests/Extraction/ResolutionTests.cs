using GraphRag.Graph.Model;
using static GraphRag.Ingest.Tests.Extraction.ExtractionFixtures;

namespace GraphRag.Ingest.Tests.Extraction;

public sealed class ResolutionTests
{
    [Fact]
    public void Extract_AcronymDefinitionThenUse_LaterUseIsFullNameEntity()
    {
        var graph = Extract("The Baltic Ocean Research Institute (BORI) was founded in 1990. BORI studies the sea. Today BORI has 40 staff.");

        var institute = graph.Entity("Baltic Ocean Research Institute");
        var uses = graph.Mentions.Where(m => m.Text == "BORI").ToList();
        uses.Should().HaveCount(3);
        uses.Skip(1).Should().OnlyContain(m => m.EntityId == institute.Id && m.Resolution == "alias:acronym");
        var definition = uses[0];
        graph.Labelled(RelationLabels.AliasOf).Should().ContainSingle(r => r.SourceId == definition.EntityId && r.TargetId == institute.Id);
    }

    [Fact]
    public void Extract_AcronymSpelledByNameInDocument_ResolvesWithoutDefinition()
    {
        var graph = Extract("The National Aeronautics and Space Administration launched a probe. NASA said it worked.");

        var agency = graph.Entity("National Aeronautics and Space Administration");
        graph.Mentions.Single(m => m.Text == "NASA").Should().Match<Mention>(m => m.EntityId == agency.Id && m.Resolution == "alias:acronym");
    }

    [Fact]
    public void Extract_SurnameOnly_ResolvesToFullNameInDocument()
    {
        var graph = Extract("Chidi Okafor founded the laboratory in Lagos. Okafor later moved to Accra.");

        var person = graph.Entity("Chidi Okafor");
        var surname = graph.Mentions.Single(m => m.Text == "Okafor");
        surname.EntityId.Should().Be(person.Id);
        surname.Resolution.Should().Be("alias:surname");
        graph.Names().Should().NotContain("Okafor");
    }

    [Fact]
    public void Extract_SurnameSharedByTwoPeople_StaysUnresolved()
    {
        var graph = Extract("Christopher Nolan directed it with Jonathan Nolan. Nolan said it was hard.");

        var nolan = graph.Mentions.Single(m => m.Text == "Nolan");
        nolan.Resolution.Should().Be("exact");
        nolan.EntityId.Should().NotBe(graph.Entity("Christopher Nolan").Id).And.NotBe(graph.Entity("Jonathan Nolan").Id);
    }

    [Fact]
    public void Extract_SameSurnameInTwoDocuments_DifferentPeopleKeepDifferentIds()
    {
        var first = Extract("Chidi Okafor founded a laboratory in Lagos. Okafor later moved to Accra.", id: "doc-a");
        var second = Extract("Ngozi Okafor won the Nobel Prize in 2020. Okafor thanked her students.", id: "doc-b");

        var a = first.Mentions.Single(m => m.Text == "Okafor").EntityId;
        var b = second.Mentions.Single(m => m.Text == "Okafor").EntityId;
        a.Should().NotBe(b);
        a.Should().Be(first.Entity("Chidi Okafor").Id);
        b.Should().Be(second.Entity("Ngozi Okafor").Id);
    }

    [Fact]
    public void Extract_SameNameInTwoDocuments_SameId()
    {
        var first = Extract("Ada Lovelace wrote notes.", id: "doc-a");
        var second = Extract("Notes by Ada Lovelace survive.", id: "doc-b");

        first.Entity("Ada Lovelace").Id.Should().Be(second.Entity("Ada Lovelace").Id);
    }

    [Fact]
    public void Extract_TitleHeadInText_ResolvesToTitleEntity()
    {
        var graph = Extract(
            "Johnnycake is an unincorporated community in Barbour County, West Virginia. Johnnycake has a post office.",
            title: "Johnnycake, West Virginia");

        var place = graph.Entity("Johnnycake");
        place.Type.Should().Be(EntityTypes.Location);
        graph.MentionsOf(place).Should().HaveCount(2).And.OnlyContain(m => m.Resolution == "title");
    }

    [Fact]
    public void Extract_Twice_GivesIdenticalGraph()
    {
        const string text = "The Prestige is a 2006 British-American mystery thriller film directed by Christopher Nolan, from a screenplay "
            + "adapted by Nolan and his brother Jonathan from Christopher Priest's 1995 novel. Hugh Jackman starred. "
            + "The World Health Organization (WHO) praised it; WHO said €5 million was raised in 12 cities.";

        var first = Extract(text, title: "The Prestige (film)");
        var second = Extract(text, title: "The Prestige (film)");

        System.Text.Json.JsonSerializer.Serialize(second).Should().Be(System.Text.Json.JsonSerializer.Serialize(first));
        first.Entities.Should().NotBeEmpty();
        first.Relations.Should().NotBeEmpty();
    }

    [Fact]
    public void Extract_OverlappingChunks_MentionPointsAtLowestOrdinalContainingChunk()
    {
        var document = Document("Ada Lovelace met Charles Babbage in London. Babbage built engines.");
        var middle = document.Text.IndexOf("Charles", StringComparison.Ordinal);
        Chunk[] chunks =
        [
            new() { Id = "c1", DocumentId = document.Id, Ordinal = 1, Text = document.Text[(middle - 4)..], Start = middle - 4, End = document.Text.Length, TokenCount = 0 },
            new() { Id = "c0", DocumentId = document.Id, Ordinal = 0, Text = document.Text[..(middle + 10)], Start = 0, End = middle + 10, TokenCount = 0 },
        ];

        var graph = Default.Extract(document, chunks);

        graph.Mentions.Single(m => m.Text == "Charles Babbage").Span.ChunkId.Should().Be("c0");
        graph.Mentions.Single(m => m.Text == "London").Span.ChunkId.Should().Be("c1");
        graph.Mentions.Single(m => m.Text == "Ada Lovelace").Span.ChunkId.Should().Be("c0");
    }
}
