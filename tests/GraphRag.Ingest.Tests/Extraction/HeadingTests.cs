using static GraphRag.Ingest.Tests.Extraction.ExtractionFixtures;

namespace GraphRag.Ingest.Tests.Extraction;

/// <summary>Section headings are not entities unless the text names them elsewhere.</summary>
public sealed class HeadingTests
{
    [Fact]
    public void Extract_OneWordHeadingLines_AreNotEntities()
    {
        var graph = Extract("Acquisitions\n\nIn 2019 Harlow Dynamics bought Keel Labs.\n\nGovernance\n\nThe board meets twice a year.\n\nPage 2\n\nKeel Labs makes sonar.");

        graph.Names().Should().NotContain(["Acquisitions", "Governance", "Page 2", "Page"]);
        graph.Names().Should().Contain(["Harlow Dynamics", "Keel Labs"]);
    }

    [Fact]
    public void Extract_HeadingThatTheTextNamesElsewhere_StaysAnEntity()
    {
        var graph = Extract("Marea\n\nThe platform Marea cleans ocean data.\n\nSkate 300\n\nThe Skate family has two models.");

        graph.Names().Should().Contain("Marea");
        graph.Mentions.Count(m => m.Text == "Marea").Should().Be(2);
        graph.Mentions.Should().Contain(m => m.Text == "Skate 300");
    }
}
