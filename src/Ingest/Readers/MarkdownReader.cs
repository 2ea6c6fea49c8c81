using System.Runtime.CompilerServices;
using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace GraphRag.Ingest.Readers;

/// <summary>
/// Markdown (<c>.md</c>, <c>.markdown</c>) as plain text: markup dropped, link and image text kept, code kept, table
/// cells one per line, raw HTML blocks dropped. Each heading starts a region whose section is the heading path.
/// YAML front matter becomes metadata.
/// </summary>
public sealed class MarkdownReader : IFormatReader
{
    public const string MediaType = "text/markdown";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UsePipeTables()
        .UseGridTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .Build();

    public IReadOnlyCollection<string> Extensions { get; } = [".md", ".markdown"];

    public async IAsyncEnumerable<ReadItem> ReadAsync(
        SourceFile file,
        ReaderOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var bytes = await ReaderSupport.ReadAllBytesAsync(file, options, cancellationToken).ConfigureAwait(false);
        var markdown = TextDecoding.Decode(bytes);
        yield return ReadItem.Ok(Parse(file, markdown, options, cancellationToken));
    }

    private static ParsedDocument Parse(SourceFile file, string markdown, ReaderOptions options, CancellationToken cancellationToken)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var walker = new Walker(new DocumentTextBuilder(options), cancellationToken);
        foreach (var block in document)
        {
            cancellationToken.ThrowIfCancellationRequested();
            walker.Walk(block);
        }

        var (text, regions) = walker.Text.Build();
        var title = walker.FirstH1 ?? walker.Metadata.GetValueOrDefault("title");
        return ReaderSupport.SingleDocument(file, MediaType, title, text, regions, walker.Metadata);
    }

    /// <summary>Simple <c>key: value</c> lines; nested YAML (indented lines, list items) is skipped.</summary>
    private static void ReadFrontMatter(YamlFrontMatterBlock block, Dictionary<string, string> metadata)
    {
        var lines = block.Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines.Lines[i].Slice.ToString();
            if (line.Length == 0 || char.IsWhiteSpace(line[0]) || line[0] is '-' or '#' or '.')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (value.Length >= 2 && value[0] == value[^1] && value[0] is '"' or '\'')
            {
                value = value[1..^1];
            }

            ReaderSupport.AddMetadata(metadata, key, value);
        }
    }

    private static string InlineText(ContainerInline? container)
    {
        var builder = new StringBuilder();
        AppendInlines(container, builder);
        return builder.ToString();
    }

    private static void AppendInlines(ContainerInline? container, StringBuilder builder)
    {
        if (container is null)
        {
            return;
        }

        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    builder.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    builder.Append(code.Content);
                    break;
                case LineBreakInline lineBreak:
                    builder.Append(lineBreak.IsHard ? '\n' : ' ');
                    break;
                case AutolinkInline autolink:
                    builder.Append(autolink.Url);
                    break;
                case HtmlEntityInline entity:
                    builder.Append(entity.Transcoded.AsSpan());
                    break;
                case ContainerInline children:
                    AppendInlines(children, builder);
                    break;
                default:
                    // Raw HTML tags, task-list boxes: markup, not text.
                    break;
            }
        }
    }

    private sealed class Walker(DocumentTextBuilder text, CancellationToken cancellationToken)
    {
        private readonly HeadingPath _headings = new();
        private int _lineDepth;

        public DocumentTextBuilder Text { get; } = text;

        public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

        public string? FirstH1 { get; private set; }

        public void Walk(Block block)
        {
            switch (block)
            {
                case YamlFrontMatterBlock frontMatter:
                    ReadFrontMatter(frontMatter, Metadata);
                    break;
                case HeadingBlock heading:
                    AddHeading(heading);
                    break;
                case CodeBlock code:
                    Text.AppendParagraph(code.Lines.ToString());
                    break;
                case HtmlBlock or ThematicBreakBlock or LinkReferenceDefinitionGroup:
                    Text.ParagraphBreak();
                    break;
                case Table table:
                    WalkLines(table.Descendants<TableCell>().Select(static cell => (Block)cell));
                    break;
                case ListBlock list:
                    WalkLines(list);
                    break;
                case LeafBlock leaf:
                    var content = InlineText(leaf.Inline);
                    if (_lineDepth > 0)
                    {
                        Text.Append(content);
                    }
                    else
                    {
                        Text.AppendParagraph(content);
                    }

                    break;
                case ContainerBlock container:
                    Text.ParagraphBreak();
                    foreach (var child in container)
                    {
                        Walk(child);
                    }

                    Text.ParagraphBreak();
                    break;
            }
        }

        /// <summary>List items and table cells: one line each, the outermost group set off by blank lines.</summary>
        private void WalkLines(IEnumerable<Block> blocks)
        {
            var outermost = _lineDepth == 0;
            if (outermost)
            {
                Text.ParagraphBreak();
            }

            _lineDepth++;
            foreach (var block in blocks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (block is ContainerBlock container)
                {
                    foreach (var child in container)
                    {
                        Walk(child);
                    }
                }
                else
                {
                    Walk(block);
                }
            }

            _lineDepth--;
            if (outermost)
            {
                Text.ParagraphBreak();
            }
        }

        private void AddHeading(HeadingBlock heading)
        {
            var title = ReaderSupport.CleanTitle(InlineText(heading.Inline));
            if (title is null)
            {
                return;
            }

            if (heading.Level == 1)
            {
                FirstH1 ??= title;
            }

            Text.StartRegion(page: null, section: _headings.Enter(heading.Level, title));
            Text.AppendParagraph(title);
        }
    }
}
