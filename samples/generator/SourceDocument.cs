namespace GraphRag.Samples.Generator;

internal enum BlockKind
{
    Heading1,
    Heading2,
    Paragraph,
    PageBreak,
}

internal sealed record Block(BlockKind Kind, string Text);

/// <summary>
/// A plain source text: the first line is the title, <c># </c> and <c>## </c> lines are headings, a line
/// <c>---page---</c> is a page break, and consecutive other lines form one paragraph until a blank line.
/// </summary>
internal sealed record SourceDocument(string Title, IReadOnlyList<Block> Blocks)
{
    public const string PageBreakMarker = "---page---";

    public static SourceDocument Parse(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var title = lines[0].Trim();
        if (title.Length == 0)
        {
            throw new FormatException("The first line of a source text must be its title.");
        }

        var blocks = new List<Block>();
        var paragraph = new List<string>();

        void Flush()
        {
            if (paragraph.Count > 0)
            {
                blocks.Add(new Block(BlockKind.Paragraph, string.Join(' ', paragraph)));
                paragraph.Clear();
            }
        }

        foreach (var raw in lines.Skip(1))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                Flush();
            }
            else if (line == PageBreakMarker)
            {
                Flush();
                blocks.Add(new Block(BlockKind.PageBreak, string.Empty));
            }
            else if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                Flush();
                blocks.Add(new Block(BlockKind.Heading2, line[3..].Trim()));
            }
            else if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                Flush();
                blocks.Add(new Block(BlockKind.Heading1, line[2..].Trim()));
            }
            else
            {
                paragraph.Add(line);
            }
        }

        Flush();
        return new SourceDocument(title, blocks);
    }
}
