using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace GraphRag.Ingest.Readers;

/// <summary>
/// HTML (<c>.html</c>, <c>.htm</c>) as the text a reader sees: scripts, styles, navigation, headers, footers, asides,
/// forms and hidden elements are dropped, block elements and table cells start new lines, and each heading starts a
/// region whose section is the heading path. Title from <c>&lt;title&gt;</c>, else the first <c>&lt;h1&gt;</c>.
/// </summary>
public sealed class HtmlReader : IFormatReader
{
    public const string MediaType = "text/html";

    private static readonly FrozenSet<string> Dropped = FrozenSet.ToFrozenSet(
        ["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "svg", "iframe", "form", "head"],
        StringComparer.Ordinal);

    /// <summary>Blocks set off by a blank line.</summary>
    private static readonly FrozenSet<string> ParagraphBlocks = FrozenSet.ToFrozenSet(
        ["p", "section", "article", "main", "blockquote", "table", "ul", "ol", "dl", "figure", "details", "hr", "address"],
        StringComparer.Ordinal);

    /// <summary>Blocks that start and end a line.</summary>
    private static readonly FrozenSet<string> LineBlocks = FrozenSet.ToFrozenSet(
        ["div", "li", "dt", "dd", "tr", "td", "th", "caption", "thead", "tbody", "tfoot", "figcaption", "summary",
         "fieldset", "legend", "center", "body", "option", "dialog"],
        StringComparer.Ordinal);

    private static readonly FrozenSet<string> MetadataNames = FrozenSet.ToFrozenSet(
        ["description", "author", "keywords"], StringComparer.Ordinal);

    public IReadOnlyCollection<string> Extensions { get; } = [".html", ".htm"];

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
        // The parser works out the encoding from a byte-order mark or <meta charset>, as a browser would.
        using var html = new HtmlParser().ParseDocument(new MemoryStream(bytes, writable: false));
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var meta in html.QuerySelectorAll("meta[name][content]"))
        {
            var name = meta.GetAttribute("name")?.Trim().ToLowerInvariant();
            if (name is not null && MetadataNames.Contains(name))
            {
                ReaderSupport.AddMetadata(metadata, name, meta.GetAttribute("content"));
            }
        }

        var walker = new Walker(new DocumentTextBuilder(options), cancellationToken);
        walker.Walk(html.Body ?? html.DocumentElement);
        var (text, regions) = walker.Text.Build();
        var title = ReaderSupport.CleanTitle(html.Title) ?? walker.FirstH1;
        return ReaderSupport.SingleDocument(file, MediaType, title, text, regions, metadata);
    }

    private static int HeadingLevel(string name) =>
        name.Length == 2 && name[0] == 'h' && name[1] is >= '1' and <= '6' ? name[1] - '0' : 0;

    private sealed class Walker(DocumentTextBuilder text, CancellationToken cancellationToken)
    {
        private readonly HeadingPath _headings = new();
        private readonly StringBuilder _line = new();

        public DocumentTextBuilder Text { get; } = text;

        public string? FirstH1 { get; private set; }

        public void Walk(INode root)
        {
            VisitChildren(root);
            FlushLine();
        }

        private void Visit(INode node)
        {
            switch (node)
            {
                case IText textNode:
                    AppendCollapsed(textNode.Data);
                    break;
                case IElement element:
                    VisitElement(element);
                    break;
            }
        }

        private void VisitChildren(INode node)
        {
            foreach (var child in node.ChildNodes)
            {
                Visit(child);
            }
        }

        private void VisitElement(IElement element)
        {
            var name = element.LocalName;
            if (Dropped.Contains(name) || element.HasAttribute("hidden"))
            {
                return;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var level = HeadingLevel(name);
            if (level > 0)
            {
                AddHeading(element, level);
            }
            else if (name == "br")
            {
                FlushLine();
            }
            else if (name == "pre")
            {
                FlushLine();
                Text.AppendParagraph(element.TextContent);
            }
            else if (ParagraphBlocks.Contains(name))
            {
                FlushLine();
                Text.ParagraphBreak();
                VisitChildren(element);
                FlushLine();
                Text.ParagraphBreak();
            }
            else if (LineBlocks.Contains(name))
            {
                FlushLine();
                VisitChildren(element);
                FlushLine();
            }
            else
            {
                VisitChildren(element);
            }
        }

        private void AddHeading(IElement heading, int level)
        {
            FlushLine();
            VisitChildren(heading);
            var title = ReaderSupport.CleanTitle(_line.ToString());
            _line.Clear();
            if (title is null)
            {
                return;
            }

            if (level == 1)
            {
                FirstH1 ??= title;
            }

            Text.StartRegion(page: null, section: _headings.Enter(level, title));
            Text.AppendParagraph(title);
        }

        /// <summary>HTML white space collapses to one space, as rendered.</summary>
        private void AppendCollapsed(string data)
        {
            foreach (var c in data)
            {
                if (c is ' ' or '\t' or '\n' or '\r' or '\f')
                {
                    if (_line.Length > 0 && _line[^1] != ' ')
                    {
                        _line.Append(' ');
                    }
                }
                else
                {
                    _line.Append(c);
                }
            }
        }

        private void FlushLine()
        {
            if (_line.Length > 0)
            {
                Text.Append(_line.ToString());
                _line.Clear();
            }
        }
    }
}
