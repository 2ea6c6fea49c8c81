using GraphRag.Graph;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Tests.Readers;

public sealed class MarkdownReaderTests : IDisposable
{
    private const string Guide = """
        ---
        title: "Front Title"
        author: Ada
        tags:
          - nested
        ---
        Preamble line.

        # Guide

        Intro *emphasis* and a [link](http://example.com) with `code`.

        ## History

        Old **times**
        continued.

        | Year | Event |
        |------|-------|
        | 1843 | Notes |

        ### Early days

        > Quoted text.

        ## Usage

        - one
        - two
          - nested item

        ```csharp
        var x = 1;
        ```

        <div>raw html</div>
        """;

    private readonly TempFolder _folder = new();
    private readonly MarkdownReader _reader = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ReadAsync_Document_DropsMarkupAndKeepsText()
    {
        var file = _folder.Write("docs/guide.md", Guide);

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Text.Should().Be(
            "Preamble line.\n\nGuide\n\nIntro emphasis and a link with code.\n\nHistory\n\nOld times continued.\n\n"
            + "Year\nEvent\n1843\nNotes\n\nEarly days\n\nQuoted text.\n\nUsage\n\none\ntwo\nnested item\n\nvar x = 1;");
        document.Id.Should().Be("docs/guide.md");
        document.MediaType.Should().Be("text/markdown");
        document.ShouldBeWellFormed();
    }

    [Fact]
    public async Task ReadAsync_Headings_BecomeRegionsWithHeadingPaths()
    {
        var file = _folder.Write("guide.md", Guide);

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Regions.Select(region => region.Section).Should().Equal(
            "Guide", "Guide > History", "Guide > History > Early days", "Guide > Usage");
        document.Regions.Should().OnlyContain(region => region.Page == null);
        document.RegionText(0).Should().Be("Guide\n\nIntro emphasis and a link with code.");
        document.RegionText(1).Should().Be("History\n\nOld times continued.\n\nYear\nEvent\n1843\nNotes");
        document.RegionText(2).Should().Be("Early days\n\nQuoted text.");
        document.RegionText(3).Should().Be("Usage\n\none\ntwo\nnested item\n\nvar x = 1;");
        document.ShouldBeWellFormed();
    }

    [Fact]
    public async Task ReadAsync_FrontMatter_BecomesMetadataNotText()
    {
        var file = _folder.Write("guide.md", Guide);

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Metadata.Should().Equal(new Dictionary<string, string> { ["title"] = "Front Title", ["author"] = "Ada" });
        document.Text.Should().NotContain("author").And.NotContain("---");
        document.Title.Should().Be("Guide", "the first H1 wins over the front-matter title");
    }

    [Fact]
    public async Task ReadAsync_NoH1_FallsBackToFrontMatterTitleThenFileName()
    {
        var withFrontMatter = _folder.Write("a.md", "---\ntitle: From Front Matter\n---\n## Only H2\n\nBody.");
        var plain = _folder.Write("release-notes.markdown", "## Only H2\n\nBody.");

        (await ReaderTestSupport.ReadSingleAsync(_reader, withFrontMatter)).Title.Should().Be("From Front Matter");
        (await ReaderTestSupport.ReadSingleAsync(_reader, plain)).Title.Should().Be("release-notes");
    }

    [Fact]
    public async Task ReadAsync_OnlyFrontMatter_ThrowsNoText()
    {
        var file = _folder.Write("empty.md", "---\ntitle: Nothing\n---\n");

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("no text");
    }
}
