using System.Runtime.CompilerServices;

namespace GraphRag.Ingest.Readers;

/// <summary>Plain text (<c>.txt</c>) in UTF-8, UTF-16 or UTF-32 with a byte-order mark, or Windows-1252 (<see cref="TextDecoding"/>).</summary>
public sealed class PlainTextReader : IFormatReader
{
    public const string MediaType = "text/plain";

    public IReadOnlyCollection<string> Extensions { get; } = [".txt"];

    public async IAsyncEnumerable<ReadItem> ReadAsync(
        SourceFile file,
        ReaderOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var bytes = await ReaderSupport.ReadAllBytesAsync(file, options, cancellationToken).ConfigureAwait(false);
        var text = ReaderSupport.NormalizeChecked(TextDecoding.Decode(bytes), options);
        yield return ReadItem.Ok(ReaderSupport.SingleDocument(file, MediaType, ReaderSupport.FirstLineTitle(text), text));
    }
}
