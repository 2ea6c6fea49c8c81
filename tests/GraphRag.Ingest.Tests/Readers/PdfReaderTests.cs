using System.Text;
using GraphRag.Graph;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Tests.Readers;

public sealed class PdfReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly PdfReader _reader = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ReadAsync_TwoPages_GivesTextWithOneRegionPerPage()
    {
        var file = _folder.Write("reports/q1.pdf", ReaderTestSupport.CreatePdf("Quarterly Report", "Hello from page one.", "Second page here."));

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Text.Should().Be("Hello from page one.\n\nSecond page here.");
        document.Regions.Select(region => region.Page).Should().Equal(1, 2);
        document.Regions.Should().OnlyContain(region => region.Section == null);
        document.RegionText(0).Should().Be("Hello from page one.");
        document.RegionText(1).Should().Be("Second page here.");
        document.ShouldBeWellFormed();
    }

    [Fact]
    public async Task ReadAsync_DocumentInformation_GivesTitleAndMetadata()
    {
        var file = _folder.Write("reports/q1.pdf", ReaderTestSupport.CreatePdf("Quarterly Report", "Page one.", "Page two."));

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Id.Should().Be("reports/q1.pdf");
        document.Title.Should().Be("Quarterly Report");
        document.MediaType.Should().Be("application/pdf");
        document.Metadata.Should().Contain("pages", "2");
    }

    /// <summary>A PDF without a title in its document information was titled by its file name ("untitled", "scan-0001").</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Untitled")]
    [InlineData("untitled document")]
    [InlineData("Document1")]
    public async Task ReadAsync_NoTitleInDocumentInformation_UsesTheFirstLineOfText(string? title)
    {
        var file = _folder.Write("untitled.pdf", ReaderTestSupport.CreatePdf(title, "Harbour Survey 2021", "Second page."));

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Title.Should().Be("Harbour Survey 2021");
    }

    [Fact]
    public async Task ReadAsync_NoTitleAndFirstLineTooLongForATitle_UsesFileName()
    {
        var file = _folder.Write("scan-0001.pdf", ReaderTestSupport.CreatePdf(null, new string('x', 60) + " " + new string('y', 70)));

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Title.Should().Be("scan-0001");
    }

    [Theory]
    [InlineData("Documentary Review")]
    [InlineData("Document Control Procedure")]
    [InlineData("The Untitled Project")]
    public async Task ReadAsync_RealTitleResemblingAPlaceholder_KeepsIt(string title)
    {
        var file = _folder.Write("a.pdf", ReaderTestSupport.CreatePdf(title, "Body text."));

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Title.Should().Be(title);
    }

    [Fact]
    public async Task ReadAsync_TruncatedPdf_ThrowsInvalidInput()
    {
        var bytes = ReaderTestSupport.CreatePdf("Quarterly Report", "Hello from page one.", "Second page here.");
        var file = _folder.Write("truncated.pdf", bytes[..(bytes.Length / 2)]);

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        var error = await read.Should().ThrowAsync<InvalidInputException>();
        error.Which.Message.Should().NotContain("\n");
    }

    [Fact]
    public async Task ReadAsync_NotAPdf_ThrowsInvalidInput()
    {
        var file = _folder.Write("fake.pdf", "just some text, not a PDF");

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("not a PDF*");
    }

    [Fact]
    public async Task ReadAsync_CorruptBodyWithEnvelope_WrapsParserErrorKeepingInnerException()
    {
        var file = _folder.Write("corrupt.pdf", "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> garbage garbage\n%%EOF\n");

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        var error = await read.Should().ThrowAsync<InvalidInputException>().WithMessage("corrupt PDF (*)");
        error.Which.InnerException.Should().NotBeNull();
    }

    [Fact]
    public async Task ReadAsync_EncryptedWithUnknownPassword_ThrowsSayingItIsEncrypted()
    {
        // A standard-security dictionary whose O and U entries match no password, the empty one included.
        var pdf = Encoding.Latin1.GetString(ReaderTestSupport.CreatePdf("Secret", "Hidden text."));
        var encrypt = $"/Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /O <{new string('A', 64)}> /U <{new string('B', 64)}> /P -4 >>";
        pdf = pdf.Replace("trailer\n<<", "trailer\n<<" + encrypt + " ", StringComparison.Ordinal);
        var file = _folder.Write("secret.pdf", Encoding.Latin1.GetBytes(pdf));

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        var error = await read.Should().ThrowAsync<InvalidInputException>().WithMessage("encrypted PDF*password*");
        error.Which.InnerException.Should().NotBeNull();
    }
}
