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

    [Fact]
    public async Task ReadAsync_InvalidUtf8_ThrowsNamingTheByteOffset()
    {
        var file = _folder.Write("bad.txt", [(byte)'a', (byte)'b', (byte)'c', 0xC3, 0x28, (byte)'d']);

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("invalid UTF-8 at byte 3");
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
