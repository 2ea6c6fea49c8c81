using GraphRag.Graph;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Tests.Readers;

public sealed class PlainTextReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly PlainTextReader _reader = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ReadAsync_PlainFile_NormalisesTextAndTakesFirstLineAsTitle()
    {
        var file = _folder.Write("notes/meeting.txt", "\uFEFF  Meeting notes  \r\n\r\n\r\n\r\nWe agreed\u00A0on   a plan.\r\nNext step: ship.\t\r\n");

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Id.Should().Be("notes/meeting.txt");
        document.Source.Should().Be("notes/meeting.txt");
        document.MediaType.Should().Be("text/plain");
        document.Title.Should().Be("Meeting notes");
        document.Text.Should().Be("Meeting notes\n\nWe agreed on   a plan.\nNext step: ship.");
        document.Regions.Should().BeEmpty();
        document.ShouldBeWellFormed();
    }

    [Fact]
    public async Task ReadAsync_FirstLineLongerThan120Characters_UsesFileNameAsTitle()
    {
        var file = _folder.Write("long-first-line.txt", new string('x', 121) + "\nsecond line");

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Title.Should().Be("long-first-line");
    }

    /// <summary>Latin-1 / Windows-1252 files (what Western Windows editors save as "ANSI") were refused as invalid UTF-8.</summary>
    [Fact]
    public async Task ReadAsync_Windows1252Text_IsDecodedWithItsAccentsQuotesAndEuroSign()
    {
        // "Café Brennsund\n\nIt costs €5 – “cheap”, said Søren." in Windows-1252.
        byte[] bytes = [.. "Caf"u8, 0xE9, .. " Brennsund\r\n\r\nIt costs "u8, 0x80, .. "5 "u8, 0x96, .. " "u8, 0x93, .. "cheap"u8, 0x94, .. ", said S"u8, 0xF8, .. "ren.\r\n"u8];
        var file = _folder.Write("ansi.txt", bytes);

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Text.Should().Be("Café Brennsund\n\nIt costs €5 – “cheap”, said Søren.");
        document.Title.Should().Be("Café Brennsund");
    }

    [Fact]
    public async Task ReadAsync_NotUtf8WithoutBom_IsReadAsWindows1252()
    {
        var file = _folder.Write("bad.txt", [(byte)'a', (byte)'b', (byte)'c', 0xC3, 0x28, (byte)'d']);

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Text.Should().Be("abcÃ(d");
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32")]
    public async Task ReadAsync_UnicodeWithByteOrderMark_IsDecodedInThatEncoding(string encodingName)
    {
        var encoding = System.Text.Encoding.GetEncoding(encodingName);
        const string Text = "Skorøy harbour\r\n\r\nLucía de la Vega founded Kelpie Autonomy — 東京 office, €18.5 million 👍.";
        var file = _folder.Write("unicode.txt", [.. encoding.GetPreamble(), .. encoding.GetBytes(Text)]);

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Text.Should().Be("Skorøy harbour\n\nLucía de la Vega founded Kelpie Autonomy — 東京 office, €18.5 million 👍.");
        document.Title.Should().Be("Skorøy harbour");
    }

    [Fact]
    public async Task ReadAsync_Utf16WithBomCutInsideACharacter_ThrowsInvalidInput()
    {
        var file = _folder.Write("cut.txt", [.. System.Text.Encoding.Unicode.GetPreamble(), .. System.Text.Encoding.Unicode.GetBytes("abc"), 0x41]);

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("invalid UTF-16 after its byte-order mark*");
    }

    [Fact]
    public async Task ReadAsync_BinaryContent_IsRefusedNotReadAsWindows1252()
    {
        var file = _folder.Write("image.txt", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]);

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("not text*NUL byte (at byte 8)*");
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8AfterBom_CountsTheBomInTheOffset()
    {
        var file = _folder.Write("bad-bom.txt", [0xEF, 0xBB, 0xBF, (byte)'a', 0xFF]);

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("invalid UTF-8 at byte 4");
    }

    [Fact]
    public async Task ReadAsync_FileOverMaxFileBytes_ThrowsBeforeReading()
    {
        var file = _folder.Write("big.txt", new string('a', 2_000));

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file, new ReaderOptions { MaxFileBytes = 1_000 });

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("file is 2000 bytes, over the limit of 1000*");
    }

    [Fact]
    public async Task ReadAsync_OnlyWhiteSpace_ThrowsNoText()
    {
        var file = _folder.Write("blank.txt", " \r\n\t\n\u00A0\n");

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("no text");
    }

    [Fact]
    public async Task ReadAsync_TextOverMaxDocumentCharacters_Throws()
    {
        var file = _folder.Write("long.txt", new string('a', 101));

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file, new ReaderOptions { MaxDocumentCharacters = 100 });

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("*over the limit of 100*");
    }

    [Fact]
    public async Task ReadAsync_MissingFile_ThrowsInvalidInput()
    {
        var file = _folder.Locate("missing.txt");

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("cannot open the file*");
    }

    [Fact]
    public async Task ReadAsync_CancelledToken_Throws()
    {
        var file = _folder.Write("a.txt", "text");
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var read = async () =>
        {
            await foreach (var _ in _reader.ReadAsync(file, new ReaderOptions(), cancellation.Token))
            {
            }
        };

        await read.Should().ThrowAsync<OperationCanceledException>();
    }
}
