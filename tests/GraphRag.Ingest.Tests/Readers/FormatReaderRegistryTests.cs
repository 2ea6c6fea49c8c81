using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Tests.Readers;

public sealed class FormatReaderRegistryTests
{
    private readonly FormatReaderRegistry _registry = new();

    [Theory]
    [InlineData("notes.txt", typeof(PlainTextReader))]
    [InlineData("docs/README.MD", typeof(MarkdownReader))]
    [InlineData("a.markdown", typeof(MarkdownReader))]
    [InlineData("site/index.HTM", typeof(HtmlReader))]
    [InlineData("x.html", typeof(HtmlReader))]
    [InlineData("paper.pdf", typeof(PdfReader))]
    [InlineData("memo.docx", typeof(DocxReader))]
    [InlineData("t.csv", typeof(CsvReader))]
    [InlineData("t.tsv", typeof(CsvReader))]
    [InlineData("r.json", typeof(JsonReader))]
    [InlineData("r.jsonl", typeof(JsonReader))]
    [InlineData("r.ndjson", typeof(JsonReader))]
    public void TryGetReader_KnownExtension_ReturnsItsReader(string path, Type readerType)
    {
        _registry.TryGetReader(path, out var reader).Should().BeTrue();

        reader.Should().BeOfType(readerType);
    }

    [Theory]
    [InlineData("image.png")]
    [InlineData("Makefile")]
    [InlineData("archive.docx.bak")]
    public void TryGetReader_UnknownExtension_ReturnsFalse(string path)
    {
        _registry.TryGetReader(path, out var reader).Should().BeFalse();

        reader.Should().BeNull();
    }

    [Fact]
    public void SupportedExtensions_DefaultRegistry_ListsEveryBuiltInFormat()
    {
        _registry.SupportedExtensions.Should().BeEquivalentTo(
            ".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".csv", ".tsv", ".json", ".jsonl", ".ndjson");
    }

    [Fact]
    public void Constructor_TwoReadersForOneExtension_Throws()
    {
        var create = () => new FormatReaderRegistry([new JsonReader(), new JsonReader()]);

        create.Should().Throw<ArgumentException>().WithMessage("*'.json'*");
    }
}
