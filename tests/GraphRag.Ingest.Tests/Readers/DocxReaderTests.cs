using System.IO.Compression;
using GraphRag.Graph;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Tests.Readers;

public sealed class DocxReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly DocxReader _reader = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ReadAsync_Document_GivesParagraphsHeadingsAndTableCellsAsLines()
    {
        var file = WriteReport("report.docx", coreTitle: "Core Title");

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Text.Should().Be(
            "Annual Report\n\nIntroduction\n\nIntro text.\n\nBackground\n\nSome background.\n\nYear\nRevenue\n2024\n10\n\n"
            + "Conclusion\n\nThe end.");
        document.Id.Should().Be("report.docx");
        document.MediaType.Should().Be("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        document.Metadata.Should().Contain("author", "Ada Lovelace");
        document.ShouldBeWellFormed();
    }

    [Fact]
    public async Task ReadAsync_Headings_BecomeRegionsWithHeadingPaths()
    {
        var file = WriteReport("report.docx", coreTitle: null);

        var document = await ReaderTestSupport.ReadSingleAsync(_reader, file);

        document.Regions.Select(region => region.Section).Should().Equal(
            "Annual Report",
            "Annual Report > Introduction",
            "Annual Report > Introduction > Background",
            "Annual Report > Conclusion");
        document.RegionText(2).Should().Be("Background\n\nSome background.\n\nYear\nRevenue\n2024\n10");
        document.RegionText(3).Should().Be("Conclusion\n\nThe end.");
        document.ShouldBeWellFormed();
    }

    [Fact]
    public async Task ReadAsync_Title_PrefersCorePropertiesThenTitleParagraphThenFileName()
    {
        var withCore = WriteReport("a.docx", coreTitle: "Core Title");
        var withoutCore = WriteReport("b.docx", coreTitle: null);
        var plain = _folder.Locate("plain-memo.docx");
        ReaderTestSupport.CreateDocx(plain.FullPath, null, ReaderTestSupport.WordParagraph("Just a paragraph."));

        (await ReaderTestSupport.ReadSingleAsync(_reader, withCore)).Title.Should().Be("Core Title");
        (await ReaderTestSupport.ReadSingleAsync(_reader, withoutCore)).Title.Should().Be("Annual Report");
        (await ReaderTestSupport.ReadSingleAsync(_reader, plain)).Title.Should().Be("plain-memo");
    }

    [Fact]
    public async Task ReadAsync_RandomBytes_ThrowsNotAValidDocx()
    {
        var bytes = new byte[4096];
        new Random(42).NextBytes(bytes);
        var file = _folder.Write("random.docx", bytes);

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("not a valid .docx (*)");
    }

    [Fact]
    public async Task ReadAsync_ZipThatIsNotAWordDocument_ThrowsNotAValidDocx()
    {
        var file = _folder.Locate("other.docx");
        WriteZip(file.FullPath, ("readme.txt", 100, CompressionLevel.Optimal));

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("not a valid .docx (*)");
    }

    [Fact]
    public async Task ReadAsync_ZipBombOverMaxDecompressedBytes_ThrowsNamingTheLimit()
    {
        // 8 MB of zeros deflates to a few KB; the lowered limit keeps the test small while exercising the same check.
        var file = _folder.Locate("bomb.docx");
        WriteZip(file.FullPath, ("[Content_Types].xml", 200, CompressionLevel.Optimal), ("word/document.xml", 8L << 20, CompressionLevel.Optimal));
        var options = new ReaderOptions { MaxDecompressedBytes = 4L << 20 };

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file, options);

        await read.Should().ThrowAsync<InvalidInputException>()
            .WithMessage("*over the limit of 4194304 (MaxDecompressedBytes)*");
    }

    [Fact]
    public async Task ReadAsync_EntryWithExtremeCompressionRatio_ThrowsNamingTheRatioLimit()
    {
        var file = _folder.Locate("ratio.docx");
        WriteZip(file.FullPath, ("[Content_Types].xml", 200, CompressionLevel.Optimal), ("word/document.xml", 2L << 20, CompressionLevel.Optimal));

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("*over the limit of 200:1*");
    }

    [Fact]
    public async Task ReadAsync_ArchiveWithTooManyEntries_ThrowsNamingTheLimit()
    {
        var file = _folder.Locate("many.docx");
        WriteZip(file.FullPath, Enumerable.Range(0, 10_001).Select(i => ($"part{i}.xml", 0L, CompressionLevel.NoCompression)).ToArray());

        var read = () => ReaderTestSupport.ReadAllAsync(_reader, file);

        await read.Should().ThrowAsync<InvalidInputException>().WithMessage("*10001 archive entries, over the limit of 10000*");
    }

    private SourceFile WriteReport(string name, string? coreTitle)
    {
        var file = _folder.Locate(name);
        ReaderTestSupport.CreateDocx(
            file.FullPath,
            coreTitle,
            ReaderTestSupport.WordParagraph("Annual Report", "Title"),
            ReaderTestSupport.WordParagraph("Introduction", "Heading1"),
            ReaderTestSupport.WordParagraph("Intro text."),
            ReaderTestSupport.WordParagraph("Background", "Heading2"),
            ReaderTestSupport.WordParagraph("Some background."),
            ReaderTestSupport.WordTable(["Year", "Revenue"], ["2024", "10"]),
            ReaderTestSupport.WordParagraph("   "),
            ReaderTestSupport.WordParagraph("Conclusion", "Heading1"),
            ReaderTestSupport.WordParagraph("The end."));
        return file;
    }

    /// <summary>A zip whose entries hold the given number of zero bytes, streamed so nothing large is held in memory.</summary>
    private static void WriteZip(string path, params (string Name, long Zeros, CompressionLevel Level)[] entries)
    {
        using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        var zeros = new byte[64 * 1024];
        foreach (var (name, size, level) in entries)
        {
            using var stream = zip.CreateEntry(name, level).Open();
            for (var written = 0L; written < size; written += zeros.Length)
            {
                stream.Write(zeros, 0, (int)Math.Min(zeros.Length, size - written));
            }
        }
    }
}
