using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace GraphRag.Samples.Generator;

/// <summary>
/// Writes a source text as an A4 PDF in Helvetica: the title and headings in bold, body text wrapped to the page
/// width, a new page when the current one is full or at <c>---page---</c>.
/// </summary>
internal sealed partial class PdfWriter
{
    private const double Margin = 64;
    private const double BodySize = 11;
    private const double Heading1Size = 14;
    private const double Heading2Size = 12;
    private const double TitleSize = 18;
    private const double LineFactor = 1.4;

    // PdfPig 0.1.16 writes Standard-14 text in StandardEncoding, which has no accented vowels and no euro sign:
    // 'é' comes back as 'Ø' and 'í' or '€' throw. These characters were checked to read back unchanged.
    private const string EncodableExtras = "–—‘’“”•…£§·«»øØæÆß";

    private readonly PdfDocumentBuilder _builder;
    private readonly PdfDocumentBuilder.AddedFont _regular;
    private readonly PdfDocumentBuilder.AddedFont _bold;
    private PdfPageBuilder _page;
    private double _y;

    private PdfWriter(PdfDocumentBuilder builder)
    {
        _builder = builder;
        _regular = builder.AddStandard14Font(Standard14Font.Helvetica);
        _bold = builder.AddStandard14Font(Standard14Font.HelveticaBold);
        _page = NewPage();
    }

    private double Top => _page.PageSize.Top - Margin;

    private double Width => _page.PageSize.Width - (2 * Margin);

    public static byte[] Write(SourceDocument source)
    {
        EnsureEncodable(source.Title);
        foreach (var block in source.Blocks)
        {
            EnsureEncodable(block.Text);
        }

        var builder = new PdfDocumentBuilder();
        builder.DocumentInformation.Title = source.Title;
        builder.DocumentInformation.Author = "GraphRag sample generator";
        builder.DocumentInformation.Creator = "GraphRag sample generator";
        builder.DocumentInformation.CreationDate = FormatPdfDate(SampleClock.Fixed);
        builder.DocumentInformation.ModifiedDate = FormatPdfDate(SampleClock.Fixed);

        var writer = new PdfWriter(builder);
        writer.WriteBlock(source.Title, writer._bold, TitleSize, spaceBefore: 0, spaceAfter: 12);
        foreach (var block in source.Blocks)
        {
            switch (block.Kind)
            {
                case BlockKind.Heading1:
                    writer.WriteBlock(block.Text, writer._bold, Heading1Size, spaceBefore: 10, spaceAfter: 4);
                    break;
                case BlockKind.Heading2:
                    writer.WriteBlock(block.Text, writer._bold, Heading2Size, spaceBefore: 6, spaceAfter: 3);
                    break;
                case BlockKind.PageBreak:
                    writer._page = writer.NewPage();
                    break;
                default:
                    writer.WriteBlock(block.Text, writer._regular, BodySize, spaceBefore: 0, spaceAfter: 7);
                    break;
            }
        }

        return WithStableId(builder.Build());
    }

    private static void EnsureEncodable(string text)
    {
        foreach (var c in text)
        {
            if (c is < ' ' or > '~' && !EncodableExtras.Contains(c, StringComparison.Ordinal))
            {
                throw new FormatException(
                    $"'{c}' (U+{(int)c:X4}) cannot be written in a Standard-14 font and would not read back; " +
                    $"use plain letters or 'EUR' in PDF sources. In: \"{text}\"");
            }
        }
    }

    /// <summary>
    /// PdfPig puts two fresh GUIDs in the trailer's <c>/ID</c>; replace them, in place and at the same length, with a
    /// hash of the rest of the file so that unchanged sources give byte-identical PDFs.
    /// </summary>
    private static byte[] WithStableId(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var match = TrailerId().Match(text);
        if (!match.Success)
        {
            return pdf;
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.Latin1.GetBytes(text.Remove(match.Index, match.Length))));
        var stable = new StringBuilder(text);
        stable.Remove(match.Groups[1].Index, 32).Insert(match.Groups[1].Index, hash[..32]);
        stable.Remove(match.Groups[2].Index, 32).Insert(match.Groups[2].Index, hash[32..64]);
        return Encoding.Latin1.GetBytes(stable.ToString());
    }

    [GeneratedRegex(@"/ID \[ ?<([0-9A-Fa-f]{32})> ?<([0-9A-Fa-f]{32})> ?\]")]
    private static partial Regex TrailerId();

    private PdfPageBuilder NewPage()
    {
        _page = _builder.AddPage(PageSize.A4);
        _y = Top;
        return _page;
    }

    private void WriteBlock(string text, PdfDocumentBuilder.AddedFont font, double size, double spaceBefore, double spaceAfter)
    {
        var lineHeight = size * LineFactor;
        var lines = Wrap(text, font, size);

        // A heading stays with the first two lines after it; a paragraph may run on to the next page but starts
        // with at least two lines on this one.
        var isHeading = font == _bold;
        var needed = isHeading
            ? (lines.Count * lineHeight) + (2 * BodySize * LineFactor)
            : Math.Min(lines.Count, 2) * lineHeight;
        if (_y < Top && _y - spaceBefore - needed < Margin)
        {
            NewPage();
        }

        // No space before a block at the top of a page.
        if (_y < Top)
        {
            _y -= spaceBefore;
        }

        foreach (var line in lines)
        {
            if (_y - lineHeight < Margin)
            {
                NewPage();
            }

            _y -= lineHeight;
            _page.AddText(line, size, new PdfPoint(Margin, _y), font);
        }

        _y -= spaceAfter;
    }

    private List<string> Wrap(string text, PdfDocumentBuilder.AddedFont font, double size)
    {
        var lines = new List<string>();
        var spaceWidth = Measure(" ", font, size);
        var current = new List<string>();
        var currentWidth = 0.0;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var wordWidth = Measure(word, font, size);
            var widthWithWord = current.Count == 0 ? wordWidth : currentWidth + spaceWidth + wordWidth;
            if (current.Count > 0 && widthWithWord > Width)
            {
                // Keep the space the line broke at, as word processors do, so that text read back line by line
                // does not glue the last word of one line to the first of the next.
                lines.Add(string.Join(' ', current) + " ");
                current.Clear();
                widthWithWord = wordWidth;
            }

            current.Add(word);
            currentWidth = widthWithWord;
        }

        if (current.Count > 0)
        {
            lines.Add(string.Join(' ', current));
        }

        return lines;
    }

    private double Measure(string text, PdfDocumentBuilder.AddedFont font, double size)
    {
        IReadOnlyList<Letter> letters = _page.MeasureText(text, size, new PdfPoint(0, 0), font);
        return letters.Count == 0 ? 0 : letters[^1].EndBaseLine.X - letters[0].StartBaseLine.X;
    }

    private static string FormatPdfDate(DateTimeOffset value) =>
        "D:" + value.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "Z";
}
