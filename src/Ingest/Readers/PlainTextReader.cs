using System.Runtime.CompilerServices;

namespace GraphRag.Ingest.Readers;

/// <summary>Plain text (<c>.txt</c>) in strict UTF-8; a byte-order mark is tolerated.</summary>
public sealed class PlainTextReader : IFormatReader
{
    public const string MediaType = "text/plain";

    /// <summary>A first line longer than this is a paragraph, not a title.</summary>
    private const int MaxTitleLength = 120;

    public IReadOnlyCollection<string> Extensions { get; } = [".txt"];

    public async IAsyncEnumerable<ReadItem> ReadAsync(
        SourceFile file,
        ReaderOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var bytes = await ReaderSupport.ReadAllBytesAsync(file, options, cancellationToken).ConfigureAwait(false);
        var text = ReaderSupport.NormalizeChecked(ReaderSupport.DecodeUtf8(bytes), options);
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        var firstLine = newline < 0 ? text : text[..newline];
        var title = firstLine.Length <= MaxTitleLength ? firstLine : null;
        yield return ReadItem.Ok(ReaderSupport.SingleDocument(file, MediaType, title, text));
    }
}
