using System.Runtime.CompilerServices;

namespace GraphRag.Ingest.Readers;

/// <summary>Plain text (<c>.txt</c>) in strict UTF-8; a byte-order mark is tolerated.</summary>
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
        var text = ReaderSupport.NormalizeChecked(ReaderSupport.DecodeUtf8(bytes), options);
        yield return ReadItem.Ok(ReaderSupport.SingleDocument(file, MediaType, ReaderSupport.FirstLineTitle(text), text));
    }
}
