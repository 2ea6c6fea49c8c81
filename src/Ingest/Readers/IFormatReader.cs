using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Readers;

/// <summary>
/// Turns one input file into documents. Single-document formats yield one item; record formats (CSV, JSON, JSONL)
/// yield one per record. A problem with the whole file throws <see cref="Graph.InvalidInputException"/>; a problem
/// with one record yields a <see cref="ReadItem"/> with <see cref="ReadItem.Error"/> set and the file goes on.
/// </summary>
public interface IFormatReader
{
    /// <summary>Lower-case file extensions with the dot, e.g. <c>.md</c>.</summary>
    IReadOnlyCollection<string> Extensions { get; }

    IAsyncEnumerable<ReadItem> ReadAsync(SourceFile file, ReaderOptions options, CancellationToken cancellationToken = default);
}

/// <summary>An input file.</summary>
/// <param name="FullPath">Absolute path on disk.</param>
/// <param name="RelativePath">Path relative to the store's corpus root, with '/' separators; the default document id.</param>
public sealed record SourceFile(string FullPath, string RelativePath)
{
    /// <summary>
    /// The folder argument the file was found through (a file argument's own folder). Null for a file the caller named
    /// with its id (an upload): only files with a folder are named by the corpus root (<see cref="Pipeline.CorpusRoot"/>).
    /// </summary>
    public string? Folder { get; init; }
}

/// <summary>One document read from a file, or the reason one record of it could not be read.</summary>
/// <param name="Locator">Where it came from: the relative path, plus <c>#id</c> or <c>:line</c> for records.</param>
public sealed record ReadItem(string Locator, ParsedDocument? Document, string? Error)
{
    public static ReadItem Ok(ParsedDocument document) => new(document.Source, document, null);

    public static ReadItem Failed(string locator, string error) => new(locator, null, error);
}

/// <summary>
/// A document as read: <see cref="Text"/> is already normalised by <see cref="TextNormalizer"/>, and every region
/// offset points into it.
/// </summary>
public sealed record ParsedDocument
{
    public required string Id { get; init; }

    public required string Source { get; init; }

    public required string Title { get; init; }

    public required string MediaType { get; init; }

    public required string Text { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyList<DocumentRegion> Regions { get; init; } = [];
}
