using GraphRag.Graph.Model;
using static GraphRag.Ingest.Tests.Extraction.ExtractionFixtures;

namespace GraphRag.Ingest.Tests.Extraction;

/// <summary>What a document's title names: the name before a separator when the rest describes the page, the whole title otherwise.</summary>
public sealed class TitleSubjectTests
{
    [Fact]
    public void Extract_TitleNameThenWhatThePageIs_MakesTheNameTheSubjectOfIt()
    {
        const string Title = "Harbour Institute: Annual Report 2021";
        var graph = Extract(Title + "\n\nThe Harbour Institute studies tides. It was founded in 1950 and is headquartered in Leith.", title: Title);

        var institute = graph.EntityByKey("Harbour Institute");
        graph.Labelled(RelationVocabulary.HeadquarteredIn).Should().ContainSingle(r => r.SourceId == institute.Id && r.TargetId == graph.Entity("Leith").Id);
        graph.Entities.Should().NotContain(e => e.Key.Contains("annual report", StringComparison.Ordinal) && e.Key.Contains("harbour", StringComparison.Ordinal));
    }

    [Fact]
    public void Extract_TitleNotInTheTextWithADescriptiveTail_NamesTheCompanyBeforeTheSeparator()
    {
        const string Title = "Larkspur Foods B.V. \u2013 Company profile";
        var graph = Extract("Larkspur Foods B.V.\n\nLarkspur Foods B.V. makes soup. The company was founded by Anna Berg in 1990.", title: Title);

        graph.Labelled(RelationVocabulary.FoundedBy).Should().ContainSingle(r => r.SourceId == graph.EntityByKey("Larkspur Foods").Id);
    }

    [Fact]
    public void Extract_WorkTitleWithASubtitleUsedInTheText_StaysWhole()
    {
        const string Title = "Atlantis: The Lost Empire";
        var graph = Extract("Atlantis: The Lost Empire is a 2001 animated film. It was directed by Gary Trousdale.", title: Title);

        var film = graph.EntityByKey(Title);
        graph.Labelled(RelationVocabulary.DirectedBy).Should().ContainSingle(r => r.SourceId == film.Id);
    }

    [Fact]
    public void Extract_LongerNameStartingWithTheTitle_IsOneMention()
    {
        var graph = Extract("Keswick is a town in Cumbria. Keswick Technical University (KTU) trains engineers.", title: "Keswick");

        graph.Mentions.Should().Contain(m => m.Text == "Keswick Technical University");
        graph.MentionsOf(graph.EntityByKey("Keswick")).Should().ContainSingle();
    }
}
