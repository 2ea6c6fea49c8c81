using GraphRag.Graph;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Tests.Readers;

public sealed class HtmlReaderTests : IDisposable
{
    private const string Page = """
        <!DOCTYPE html>
        <html>
        <head>
          <title>  My   Page </title>
          <meta charset="utf-8">
          <meta name="description" content="A test page">
          <meta name="Author" content="Bob">
          <meta name="viewport" content="width=device-width">
          <style>p { color: red; }</style>
          <script>var hidden = "script text";</script>
        </head>
        <body>
          <header>Site header</header>
          <nav><a href="/">Home</a></nav>
          <h1>Main <em>Title</em></h1>
          <p>First   paragraph with <b>bold</b>
             text &amp; an entity.</p>
          <div>Block one</div><div>Block two<br>line two</div>
          <h2>Details</h2>
          <ul><li>Item A</li><li>Item <i>B</i></li></ul>
          <table><tr><th>Name</th><th>Value</th></tr><tr><td>alpha</td><td>1</td></tr></table>
          <h3>Deeper</h3>
          <p>Deep text.</p>
          <h2>More</h2>
          <p>Last <span hidden>secret</span>words.</p>
          <aside>Aside text</aside>
          <form><label>Form text</label><input name="q"></form>
          <noscript>Enable scripts</noscript>
          <template><p>Template text</p></template>
          <svg><text>Svg text</text></svg>
          <iframe src="x.html">Frame text</iframe>
          <footer>Footer text</footer>
        </body>
        </html>
        """;

    private readonly TempFolder _folder = new();
    private readonly HtmlReader _reader = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ReadAsync_Page_KeepsVisibleTextAsLines()
    {
        var file = _folder.Write("site/page.html", Page);

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Text.Should().Be(
            "Main Title\n\nFirst paragraph with bold text & an entity.\n\nBlock one\nBlock two\nline two\n\n"
            + "Details\n\nItem A\nItem B\n\nName\nValue\nalpha\n1\n\nDeeper\n\nDeep text.\n\nMore\n\nLast words.");
        document.Title.Should().Be("My Page");
        document.MediaType.Should().Be("text/html");
        document.ShouldBeWellFormed();
    }

    [Fact]
    public async Task ReadAsync_Page_DropsChromeScriptsAndForms()
    {
        var file = _folder.Write("page.htm", Page);

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        foreach (var dropped in new[] { "Site header", "Home", "script text", "color", "Aside", "Form text", "Enable scripts", "Template", "Svg", "Frame", "Footer", "secret" })
        {
            document.Text.Should().NotContain(dropped);
        }
    }

    [Fact]
    public async Task ReadAsync_Headings_BecomeRegionsWithHeadingPaths()
    {
        var file = _folder.Write("page.html", Page);

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Regions.Select(region => region.Section).Should().Equal(
            "Main Title", "Main Title > Details", "Main Title > Details > Deeper", "Main Title > More");
        document.RegionText(1).Should().Be("Details\n\nItem A\nItem B\n\nName\nValue\nalpha\n1");
        document.RegionText(3).Should().Be("More\n\nLast words.");
        document.ShouldBeWellFormed();
    }

    [Fact]
    public async Task ReadAsync_MetaTags_BecomeMetadata()
    {
        var file = _folder.Write("page.html", Page);

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Metadata.Should().Equal(new Dictionary<string, string> { ["description"] = "A test page", ["author"] = "Bob" });
    }

    [Fact]
    public async Task ReadAsync_NoTitleElement_FallsBackToFirstH1ThenFileName()
    {
        var withH1 = _folder.Write("a.html", "<body><h2>Second</h2><h1>First H1</h1><p>x</p></body>");
        var withoutH1 = _folder.Write("plain-page.html", "<body><p>Just text.</p></body>");

        (await ReaderTestSupport.ReadSingleAsync(_reader, withH1)).Title.Should().Be("First H1");
        (await ReaderTestSupport.ReadSingleAsync(_reader, withoutH1)).Title.Should().Be("plain-page");
    }

    [Fact]
    public async Task ReadAsync_OnlyScripts_ThrowsNoText()
    {
        var file = _folder.Write("empty.html", "<html><head><title>T</title></head><body><script>x()</script><nav>Menu</nav></body></html>");

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("no text");
    }
}
