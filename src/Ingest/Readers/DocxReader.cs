using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using GraphRag.Graph;

namespace GraphRag.Ingest.Readers;

/// <summary>
/// Word documents (<c>.docx</c>): body paragraphs, headings (styles Title and Heading 1–9, or an outline level) as
/// their own lines and as regions whose section is the heading path, table cells one per line. Headers, footers,
/// footnotes, comments and text boxes are not read. The archive is checked for zip bombs before it is opened.
/// </summary>
public sealed class DocxReader : IFormatReader
{
    public const string MediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    /// <summary>A real document has a few dozen parts; thousands mean a crafted archive.</summary>
    internal const int MaxEntries = 10_000;

    /// <summary>XML compresses about 10:1; text of a single repeated byte reaches 1000:1.</summary>
    internal const long MaxCompressionRatio = 200;

    /// <summary>Small parts may compress well without being a threat.</summary>
    internal const long RatioCheckMinimumBytes = 1024 * 1024;

    /// <summary>Heading depth for paragraphs in the Title style, above Heading 1.</summary>
    private const int TitleLevel = 0;

    private const int MaxStyleDepth = 16;

    public IReadOnlyCollection<string> Extensions { get; } = [".docx"];

    public async IAsyncEnumerable<ReadItem> ReadAsync(
        SourceFile file,
        ReaderOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var bytes = await ReaderSupport.ReadAllBytesAsync(file, options, cancellationToken).ConfigureAwait(false);
        CheckArchive(bytes, options);
        yield return ReadItem.Ok(Parse(file, bytes, options, cancellationToken));
    }

    /// <summary>Rejects archives that are not a Word package or would expand beyond the limits, before any part is inflated.</summary>
    internal static void CheckArchive(byte[] bytes, ReaderOptions options)
    {
        ZipArchive archive;
        IReadOnlyCollection<ZipArchiveEntry> entries;
        try
        {
            archive = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            entries = archive.Entries;
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidInputException($"not a valid .docx (not a zip archive: {ReaderSupport.OneLine(ex.Message)})", ex);
        }

        using (archive)
        {
            if (entries.Count > MaxEntries)
            {
                throw new InvalidInputException(Invariant(
                    $"not a valid .docx ({entries.Count} archive entries, over the limit of {MaxEntries})"));
            }

            long total = 0;
            var hasContentTypes = false;
            ZipArchiveEntry? inflated = null;
            foreach (var entry in entries)
            {
                hasContentTypes |= entry.FullName == "[Content_Types].xml";
                // Saturating: a crafted ZIP64 length must not wrap the sum round to a small number.
                total = entry.Length > long.MaxValue - total ? long.MaxValue : total + entry.Length;
                if (inflated is null && entry.Length > RatioCheckMinimumBytes && entry.Length > entry.CompressedLength * MaxCompressionRatio)
                {
                    inflated = entry;
                }
            }

            if (total > options.MaxDecompressedBytes)
            {
                throw new InvalidInputException(Invariant(
                    $"archive declares {total} bytes uncompressed, over the limit of {options.MaxDecompressedBytes} (MaxDecompressedBytes)"));
            }

            if (inflated is not null)
            {
                throw new InvalidInputException(Invariant(
                    $"archive entry '{inflated.FullName}' expands {inflated.Length / Math.Max(inflated.CompressedLength, 1)}:1, over the limit of {MaxCompressionRatio}:1"));
            }

            if (!hasContentTypes)
            {
                throw new InvalidInputException("not a valid .docx (a zip archive without [Content_Types].xml)");
            }
        }
    }

    private static ParsedDocument Parse(SourceFile file, byte[] bytes, ReaderOptions options, CancellationToken cancellationToken)
    {
        var builder = new DocumentTextBuilder(options);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        string? title;
        try
        {
            // ZipArchive stops inflating an entry at its declared length, so the declared-size checks above bound the
            // bytes OpenXml can pull out of the archive; this bounds what the XML parser will hold per part.
            var settings = new OpenSettings { MaxCharactersInPart = options.MaxDecompressedBytes };
            using var word = WordprocessingDocument.Open(new MemoryStream(bytes, writable: false), isEditable: false, settings);
            var main = word.MainDocumentPart ?? throw new InvalidInputException("not a valid .docx (no main document part)");
            var body = main.Document?.Body ?? throw new InvalidInputException("not a valid .docx (no document body)");
            var walker = new Walker(builder, new StyleIndex(main.StyleDefinitionsPart?.Styles), cancellationToken);
            walker.WalkBlocks(body);
            var properties = word.PackageProperties;
            title = ReaderSupport.CleanTitle(properties.Title) ?? walker.FirstTitle;
            ReaderSupport.AddMetadata(metadata, "author", properties.Creator);
            ReaderSupport.AddMetadata(metadata, "subject", properties.Subject);
            ReaderSupport.AddMetadata(metadata, "keywords", properties.Keywords);
            ReaderSupport.AddMetadata(metadata, "description", properties.Description);
        }
        catch (Exception ex) when (ex is not (InvalidInputException or OperationCanceledException or OutOfMemoryException))
        {
            throw new InvalidInputException($"not a valid .docx ({ReaderSupport.OneLine(ex.Message)})", ex);
        }

        var (text, regions) = builder.Build();
        return ReaderSupport.SingleDocument(file, MediaType, title, text, regions, metadata);
    }

    private static string Invariant(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);

    /// <summary>Heading levels of paragraph styles, following <c>basedOn</c> so custom heading styles count too.</summary>
    private sealed class StyleIndex
    {
        private readonly Dictionary<string, Style> _styles = new(StringComparer.Ordinal);

        public StyleIndex(Styles? styles)
        {
            foreach (var style in styles?.Elements<Style>() ?? [])
            {
                if (style.StyleId?.Value is { } id)
                {
                    _styles.TryAdd(id, style);
                }
            }
        }

        /// <summary>0 for Title, 1–9 for headings, null for body text.</summary>
        public int? HeadingLevel(Paragraph paragraph)
        {
            var properties = paragraph.ParagraphProperties;
            if (properties?.OutlineLevel?.Val?.Value is { } outline)
            {
                return outline < 9 ? outline + 1 : null;
            }

            var styleId = properties?.ParagraphStyleId?.Val?.Value;
            for (var depth = 0; styleId is not null && depth < MaxStyleDepth; depth++)
            {
                _styles.TryGetValue(styleId, out var style);
                if (LevelFromName(styleId) is { } byId)
                {
                    return byId;
                }

                if (LevelFromName(style?.StyleName?.Val?.Value) is { } byName)
                {
                    return byName;
                }

                if (style?.StyleParagraphProperties?.OutlineLevel?.Val?.Value is { } level)
                {
                    return level < 9 ? level + 1 : null;
                }

                styleId = style?.BasedOn?.Val?.Value;
            }

            return null;
        }

        /// <summary>Built-in names: ids <c>Title</c>, <c>Heading1</c>; names <c>Title</c>, <c>heading 1</c>.</summary>
        private static int? LevelFromName(string? name)
        {
            if (name is null)
            {
                return null;
            }

            if (name.Equals("Title", StringComparison.OrdinalIgnoreCase))
            {
                return TitleLevel;
            }

            var compact = name.Replace(" ", string.Empty, StringComparison.Ordinal);
            return compact.Length == 8
                && compact.StartsWith("Heading", StringComparison.OrdinalIgnoreCase)
                && compact[7] is >= '1' and <= '9'
                    ? compact[7] - '0'
                    : null;
        }
    }

    private sealed class Walker(DocumentTextBuilder text, StyleIndex styles, CancellationToken cancellationToken)
    {
        private readonly HeadingPath _headings = new();
        private int _cellDepth;

        /// <summary>The first paragraph in the Title or Heading 1 style.</summary>
        public string? FirstTitle { get; private set; }

        public void WalkBlocks(OpenXmlElement container)
        {
            foreach (var element in container.ChildElements)
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (element)
                {
                    case Paragraph paragraph:
                        AddParagraph(paragraph);
                        break;
                    case Table table:
                        AddTable(table);
                        break;
                    case SdtBlock or SdtContentBlock or CustomXmlBlock:
                        WalkBlocks(element);
                        break;
                    default:
                        break;
                }
            }
        }

        private void AddParagraph(Paragraph paragraph)
        {
            var content = ParagraphText(paragraph);
            var level = _cellDepth == 0 ? styles.HeadingLevel(paragraph) : null;
            if (level is { } headingLevel && ReaderSupport.CleanTitle(content) is { } heading)
            {
                if (headingLevel <= 1)
                {
                    FirstTitle ??= heading;
                }

                text.StartRegion(page: null, section: _headings.Enter(headingLevel, heading));
                text.AppendParagraph(heading);
            }
            else if (_cellDepth > 0)
            {
                text.Append(content);
            }
            else
            {
                text.AppendParagraph(content);
            }
        }

        private void AddTable(Table table)
        {
            text.ParagraphBreak();
            _cellDepth++;
            foreach (var row in table.Elements<TableRow>())
            {
                foreach (var cell in row.Elements<TableCell>())
                {
                    WalkBlocks(cell);
                }
            }

            _cellDepth--;
            text.ParagraphBreak();
        }

        private static string ParagraphText(Paragraph paragraph)
        {
            var builder = new StringBuilder();
            AppendRunText(paragraph, builder);
            return builder.ToString();
        }

        /// <summary>Run text, tabs and breaks; deleted text, field codes and drawings are skipped.</summary>
        private static void AppendRunText(OpenXmlElement element, StringBuilder builder)
        {
            foreach (var child in element.ChildElements)
            {
                switch (child)
                {
                    case Text run:
                        builder.Append(run.Text);
                        break;
                    case TabChar or PositionalTab:
                        builder.Append('\t');
                        break;
                    case Break or CarriageReturn:
                        builder.Append('\n');
                        break;
                    case NoBreakHyphen:
                        builder.Append('-');
                        break;
                    case Drawing or Picture or EmbeddedObject or AlternateContent or DeletedRun or FieldCode:
                        break;
                    default:
                        AppendRunText(child, builder);
                        break;
                }
            }
        }
    }
}
