using System.Text;
using GraphRag.Graph;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Readers;

/// <summary>
/// Assembles a structured document's text block by block and records regions as it goes. Each block is normalised
/// on its own and blocks are joined by one newline or one blank line, so the joined text is already normalised:
/// running it through <see cref="TextNormalizer"/> again changes nothing and region offsets stay exact.
/// </summary>
internal sealed class DocumentTextBuilder
{
    private readonly StringBuilder _text = new();
    private readonly List<DocumentRegion> _regions = [];
    private readonly ReaderOptions _options;
    private bool _paragraphPending;
    private bool _regionOpen;
    private int? _regionStart;
    private int? _regionPage;
    private string? _regionSection;

    public DocumentTextBuilder(ReaderOptions options)
    {
        _options = options;
    }

    public int Length => _text.Length;

    /// <summary>The next block starts after a blank line rather than a newline.</summary>
    public void ParagraphBreak() => _paragraphPending = true;

    /// <summary>Ends the open region and opens one for what follows; a region with no text is dropped.</summary>
    public void StartRegion(int? page, string? section)
    {
        CloseRegion();
        _regionOpen = true;
        _regionPage = page;
        _regionSection = section;
    }

    /// <summary>Appends a block on its own line(s); blank or space-only blocks are skipped.</summary>
    public void Append(string rawBlock)
    {
        var block = TextNormalizer.Normalize(rawBlock);
        if (block.Length == 0)
        {
            return;
        }

        if (_text.Length > 0)
        {
            _text.Append(_paragraphPending ? "\n\n" : "\n");
        }

        _paragraphPending = false;
        if (_regionOpen && _regionStart is null)
        {
            _regionStart = _text.Length;
        }

        _text.Append(block);
        if (_text.Length > _options.MaxDocumentCharacters)
        {
            throw new InvalidInputException(ReaderSupport.TooLongMessage(_text.Length, _options));
        }
    }

    /// <summary>Appends a block set off by blank lines before and after.</summary>
    public void AppendParagraph(string rawBlock)
    {
        ParagraphBreak();
        Append(rawBlock);
        ParagraphBreak();
    }

    /// <summary>The normalised text and its regions.</summary>
    /// <exception cref="InvalidInputException">No text, or too much.</exception>
    public (string Text, IReadOnlyList<DocumentRegion> Regions) Build()
    {
        CloseRegion();
        var assembled = _text.ToString();
        var text = TextNormalizer.Normalize(assembled);
        if (!string.Equals(text, assembled, StringComparison.Ordinal))
        {
            // Cannot happen while every block is normalised before it is joined; offsets would be wrong if it did.
            throw new InvalidOperationException("Assembled text changed under normalisation; region offsets would be wrong.");
        }

        ReaderSupport.EnsureText(text, _options);
        return (text, _regions.ToArray());
    }

    private void CloseRegion()
    {
        if (_regionOpen && _regionStart is { } start)
        {
            _regions.Add(new DocumentRegion(start, _text.Length, _regionPage, _regionSection));
        }

        _regionOpen = false;
        _regionStart = null;
        _regionPage = null;
        _regionSection = null;
    }
}

/// <summary>The heading path for sections: a stack of titles by level, joined as <c>Intro &gt; History</c>.</summary>
internal sealed class HeadingPath
{
    private readonly List<(int Level, string Title)> _stack = [];

    /// <summary>Enters a heading at <paramref name="level"/> and returns the path down to it.</summary>
    public string Enter(int level, string title)
    {
        while (_stack.Count > 0 && _stack[^1].Level >= level)
        {
            _stack.RemoveAt(_stack.Count - 1);
        }

        _stack.Add((level, title));
        return string.Join(" > ", _stack.Select(static entry => entry.Title));
    }
}
