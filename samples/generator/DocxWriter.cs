using System.Globalization;
using System.Text;
using System.Xml.Linq;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace GraphRag.Samples.Generator;

/// <summary>
/// Writes a source text as a .docx with real Title, Heading1 and Heading2 paragraph styles, so that readers can
/// recover the heading structure from style ids rather than from font sizes.
/// </summary>
internal static class DocxWriter
{
    private const string MainContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
    private const string Author = "GraphRag sample generator";
    private static readonly XNamespace CoreNs = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
    private static readonly XNamespace DcNs = "http://purl.org/dc/elements/1.1/";
    private static readonly XNamespace DcTermsNs = "http://purl.org/dc/terms/";
    private static readonly XNamespace XsiNs = "http://www.w3.org/2001/XMLSchema-instance";

    public static byte[] Write(SourceDocument source)
    {
        using var buffer = new MemoryStream();
        using (var package = WordprocessingDocument.Create(buffer, WordprocessingDocumentType.Document))
        {
            // Explicit relationship ids: the generated ones are random and would change the file on every run.
            var main = package.AddNewPart<MainDocumentPart>(MainContentType, "rIdMain");
            var stylesPart = main.AddNewPart<StyleDefinitionsPart>("rIdStyles");
            stylesPart.Styles = BuildStyles();

            var body = new Body();
            body.Append(StyledParagraph("Title", source.Title));
            foreach (var block in source.Blocks)
            {
                body.Append(block.Kind switch
                {
                    BlockKind.Heading1 => StyledParagraph("Heading1", block.Text),
                    BlockKind.Heading2 => StyledParagraph("Heading2", block.Text),
                    BlockKind.PageBreak => new Paragraph(new Run(new Break { Type = BreakValues.Page })),
                    _ => new Paragraph(TextRun(block.Text)),
                });
            }

            // A4 with 2.5 cm margins, in twentieths of a point.
            body.Append(new SectionProperties(
                new PageSize { Width = 11906U, Height = 16838U },
                new PageMargin { Top = 1418, Right = 1418U, Bottom = 1418, Left = 1418U, Header = 709U, Footer = 709U, Gutter = 0U }));
            main.Document = new Document(body);

            // Written by hand: PackageProperties would store them in a randomly named part.
            var core = package.AddNewPart<CoreFilePropertiesPart>("rIdCore");
            using var coreStream = new MemoryStream(Encoding.UTF8.GetBytes(CoreProperties(source.Title)));
            core.FeedData(coreStream);
        }

        return DeterministicZip.Normalize(buffer.ToArray());
    }

    private static string CoreProperties(string title)
    {
        var stamp = SampleClock.Fixed.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var core = new XElement(
            CoreNs + "coreProperties",
            new XAttribute(XNamespace.Xmlns + "cp", CoreNs),
            new XAttribute(XNamespace.Xmlns + "dc", DcNs),
            new XAttribute(XNamespace.Xmlns + "dcterms", DcTermsNs),
            new XAttribute(XNamespace.Xmlns + "xsi", XsiNs),
            new XElement(DcNs + "title", title),
            new XElement(DcNs + "creator", Author),
            new XElement(CoreNs + "lastModifiedBy", Author),
            new XElement(DcNs + "language", "en-GB"),
            new XElement(DcTermsNs + "created", new XAttribute(XsiNs + "type", "dcterms:W3CDTF"), stamp),
            new XElement(DcTermsNs + "modified", new XAttribute(XsiNs + "type", "dcterms:W3CDTF"), stamp));
        return new XDocument(new XDeclaration("1.0", "UTF-8", "yes"), core).Declaration + core.ToString(SaveOptions.DisableFormatting);
    }

    private static Paragraph StyledParagraph(string styleId, string text) =>
        new(new ParagraphProperties(new ParagraphStyleId { Val = styleId }), TextRun(text));

    private static Run TextRun(string text) => new(new Text(text) { Space = SpaceProcessingModeValues.Preserve });

    private static Styles BuildStyles()
    {
        var defaults = new DocDefaults(
            new RunPropertiesDefault(new RunPropertiesBaseStyle(
                new RunFonts { Ascii = "Calibri", HighAnsi = "Calibri", ComplexScript = "Calibri" },
                new FontSize { Val = "22" },
                new Languages { Val = "en-GB" })),
            new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                new SpacingBetweenLines { After = "160", Line = "259", LineRule = LineSpacingRuleValues.Auto })));

        var normal = new Style(
            new StyleName { Val = "Normal" },
            new PrimaryStyle())
        {
            Type = StyleValues.Paragraph,
            StyleId = "Normal",
            Default = true,
        };

        return new Styles(
            defaults,
            normal,
            HeadingStyle("Title", "Title", outlineLevel: null, halfPoints: 56, uiPriority: 10),
            HeadingStyle("Heading1", "heading 1", outlineLevel: 0, halfPoints: 32, uiPriority: 9),
            HeadingStyle("Heading2", "heading 2", outlineLevel: 1, halfPoints: 26, uiPriority: 9));
    }

    private static Style HeadingStyle(string styleId, string name, int? outlineLevel, int halfPoints, int uiPriority)
    {
        var paragraphProperties = new StyleParagraphProperties(
            new KeepNext(),
            new KeepLines(),
            new SpacingBetweenLines { Before = outlineLevel is null ? "0" : "240", After = "120" });
        if (outlineLevel is { } level)
        {
            paragraphProperties.Append(new OutlineLevel { Val = level });
        }

        return new Style(
            new StyleName { Val = name },
            new BasedOn { Val = "Normal" },
            new NextParagraphStyle { Val = "Normal" },
            new UIPriority { Val = uiPriority },
            new PrimaryStyle(),
            paragraphProperties,
            new StyleRunProperties(
                new RunFonts { Ascii = "Calibri Light", HighAnsi = "Calibri Light", ComplexScript = "Calibri Light" },
                new Bold(),
                new Color { Val = "1F3864" },
                new FontSize { Val = halfPoints.ToString(CultureInfo.InvariantCulture) }))
        {
            Type = StyleValues.Paragraph,
            StyleId = styleId,
        };
    }
}
