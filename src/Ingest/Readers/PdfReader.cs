using System.Globalization;
using System.Runtime.CompilerServices;
using GraphRag.Graph;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Exceptions;

namespace GraphRag.Ingest.Readers;

/// <summary>
/// PDF (<c>.pdf</c>) text in content order, page by page, pages separated by a blank line; one region per page with
/// text. Scanned pages without a text layer contribute nothing (there is no OCR). The title is the document
/// information's, else the first line of text (when short enough to be one), else the file name.
/// </summary>
public sealed class PdfReader : IFormatReader
{
    public const string MediaType = "application/pdf";

    /// <summary>Readers such as Acrobat look for the header this far into the file.</summary>
    private const int HeaderWindow = 1024;

    private static readonly ContentOrderTextExtractor.Options ExtractorOptions = new()
    {
        SeparateParagraphsWithDoubleNewline = true,
        ReplaceWhitespaceWithSpace = true,
    };

    public IReadOnlyCollection<string> Extensions { get; } = [".pdf"];

    public async IAsyncEnumerable<ReadItem> ReadAsync(
        SourceFile file,
        ReaderOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var bytes = await ReaderSupport.ReadAllBytesAsync(file, options, cancellationToken).ConfigureAwait(false);
        yield return ReadItem.Ok(Parse(file, bytes, options, cancellationToken));
    }

    private static ParsedDocument Parse(SourceFile file, byte[] bytes, ReaderOptions options, CancellationToken cancellationToken)
    {
        CheckEnvelope(bytes);
        var (pages, information) = Extract(bytes, cancellationToken);
        var builder = new DocumentTextBuilder(options);
        for (var i = 0; i < pages.Count; i++)
        {
            builder.StartRegion(page: i + 1, section: null);
            builder.AppendParagraph(pages[i]);
        }

        var (text, regions) = builder.Build();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["pages"] = pages.Count.ToString(CultureInfo.InvariantCulture),
        };
        ReaderSupport.AddMetadata(metadata, "author", information.Author);
        ReaderSupport.AddMetadata(metadata, "subject", information.Subject);
        ReaderSupport.AddMetadata(metadata, "keywords", information.Keywords);
        // Many PDFs carry no title, or a placeholder one; the first line of text is then usually the title on the page.
        var title = ReaderSupport.IsPlaceholderTitle(information.Title) ? ReaderSupport.FirstLineTitle(text) : information.Title;
        return ReaderSupport.SingleDocument(file, MediaType, title, text, regions, metadata);
    }

    /// <summary>
    /// A PDF starts with <c>%PDF-</c> and ends its last revision with <c>%%EOF</c>. Lenient parsing can stitch a
    /// truncated file back together from whatever objects survive, so a missing end marker is caught here instead of
    /// ingesting a silently partial document.
    /// </summary>
    private static void CheckEnvelope(ReadOnlySpan<byte> bytes)
    {
        if (bytes[..Math.Min(bytes.Length, HeaderWindow)].IndexOf("%PDF-"u8) < 0)
        {
            throw new InvalidInputException("not a PDF (no %PDF- header)");
        }

        if (bytes.LastIndexOf("%%EOF"u8) < 0)
        {
            throw new InvalidInputException("truncated or corrupt PDF (no %%EOF end marker)");
        }
    }

    private static (List<string> Pages, (string? Title, string? Author, string? Subject, string? Keywords) Information) Extract(
        byte[] bytes,
        CancellationToken cancellationToken)
    {
        try
        {
            using var pdf = PdfDocument.Open(bytes, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
            var info = pdf.Information;
            var pages = new List<string>(pdf.NumberOfPages);
            for (var number = 1; number <= pdf.NumberOfPages; number++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                pages.Add(ContentOrderTextExtractor.GetText(pdf.GetPage(number), ExtractorOptions));
            }

            return (pages, (info.Title, info.Author, info.Subject, info.Keywords));
        }
        catch (PdfDocumentEncryptedException ex)
        {
            throw new InvalidInputException("encrypted PDF: it cannot be read without its password", ex);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
        {
            // PdfPig reports damage with its own exceptions and with plain BCL ones (index, cast, format); all of
            // them mean this one file cannot be read.
            throw new InvalidInputException($"corrupt PDF ({ReaderSupport.OneLine(ex.Message)})", ex);
        }
    }
}
