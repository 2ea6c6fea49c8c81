using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using GraphRag.Ingest.Readers;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace GraphRag.Ingest.Tests.Readers;

/// <summary>A folder under the system temp directory, deleted with the test.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "graphrag-readers-" + System.IO.Path.GetRandomFileName());
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public SourceFile Write(string relativePath, string content) =>
        Write(relativePath, System.Text.Encoding.UTF8.GetBytes(content));

    public SourceFile Write(string relativePath, byte[] content)
    {
        var file = Locate(relativePath);
        File.WriteAllBytes(file.FullPath, content);
        return file;
    }

    /// <summary>The source file for <paramref name="relativePath"/>, with its folder created; nothing is written.</summary>
    public SourceFile Locate(string relativePath)
    {
        var fullPath = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        return new SourceFile(fullPath, relativePath);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }
}

internal static class ReaderTestSupport
{
    public static async Task<List<ReadItem>> ReadAllAsync(IFormatReader reader, SourceFile file, ReaderOptions? options = null)
    {
        var items = new List<ReadItem>();
        await foreach (var item in reader.ReadAsync(file, options ?? new ReaderOptions()))
        {
            items.Add(item);
        }

        return items;
    }

    public static async Task<ParsedDocument> ReadSingleAsync(IFormatReader reader, SourceFile file, ReaderOptions? options = null)
    {
        var items = await ReadAllAsync(reader, file, options);
        items.Should().ContainSingle();
        items[0].Error.Should().BeNull();
        return items[0].Document!;
    }

    /// <summary>The invariants every reader promises: normalised text, regions inside it, in order and not overlapping.</summary>
    public static void ShouldBeWellFormed(this ParsedDocument document)
    {
        document.Text.Should().NotBeEmpty();
        TextNormalizer.Normalize(document.Text).Should().Be(document.Text, "readers store normalised text");
        var previousEnd = 0;
        foreach (var region in document.Regions)
        {
            region.Start.Should().BeGreaterThanOrEqualTo(previousEnd);
            region.End.Should().BeGreaterThan(region.Start);
            region.End.Should().BeLessThanOrEqualTo(document.Text.Length);
            previousEnd = region.End;
        }
    }

    public static string RegionText(this ParsedDocument document, int index)
    {
        var region = document.Regions[index];
        return document.Text[region.Start..region.End];
    }

    /// <summary>A PDF with one line of text on each of <paramref name="pages"/>.</summary>
    public static byte[] CreatePdf(string? title, params string[] pages)
    {
        using var builder = new PdfDocumentBuilder();
        if (title is not null)
        {
            builder.DocumentInformation.Title = title;
        }

        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var text in pages)
        {
            var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
            page.AddText(text, 12, new PdfPoint(50, 700), font);
        }

        return builder.Build();
    }

    /// <summary>A Word document with the given body blocks and, optionally, a core-properties Title.</summary>
    public static void CreateDocx(string path, string? coreTitle, params OpenXmlElement[] blocks)
    {
        using var word = WordprocessingDocument.Create(path, WordprocessingDocumentType.Document);
        if (coreTitle is not null)
        {
            word.PackageProperties.Title = coreTitle;
        }

        word.PackageProperties.Creator = "Ada Lovelace";
        var main = word.AddMainDocumentPart();
        main.Document = new Document(new Body(blocks));
        main.Document.Save();
    }

    public static Paragraph WordParagraph(string text, string? style = null)
    {
        var paragraph = new Paragraph(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
        if (style is not null)
        {
            paragraph.PrependChild(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        }

        return paragraph;
    }

    public static Table WordTable(params string[][] rows) =>
        new(rows.Select(row => new TableRow(row.Select(cell => new TableCell(WordParagraph(cell))))));
}
