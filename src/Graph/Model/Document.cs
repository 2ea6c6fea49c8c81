namespace GraphRag.Graph.Model;

/// <summary>
/// One ingested source document. <see cref="Text"/> is the normalised text that every chunk, mention and
/// citation offset points into, so a span can always be checked against what was stored.
/// </summary>
public sealed record Document
{
    public required string Id { get; init; }

    /// <summary>Where the document came from: a file path, a URI, or a path plus a record locator (<c>file.jsonl#id</c>).</summary>
    public required string Source { get; init; }

    public required string Title { get; init; }

    /// <summary>IANA media type of the original input, e.g. <c>application/pdf</c>.</summary>
    public required string MediaType { get; init; }

    public required string Text { get; init; }

    /// <summary>Hash of <see cref="Text"/>, title and metadata: a change in any of them replaces the stored version.</summary>
    public required string ContentHash { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = EmptyMetadata;

    /// <summary>Structural regions of <see cref="Text"/> (pages, headings) where the format has them.</summary>
    public IReadOnlyList<DocumentRegion> Regions { get; init; } = [];

    /// <summary>Principals and groups that may read this document; empty means unrestricted (local use).</summary>
    public IReadOnlyList<string> Acl { get; init; } = [];

    /// <summary>
    /// Spans of <see cref="Text"/> that hold personal data stored as read (the <c>mask</c> policy), found over the
    /// whole text at ingest: any returned text that overlaps one is masked there, wherever a chunk or quote cuts it.
    /// Null when the document was stored before spans were recorded.
    /// </summary>
    public IReadOnlyList<SensitiveSpan>? Sensitive { get; init; }

    internal static readonly IReadOnlyDictionary<string, string> EmptyMetadata =
        new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>A structural region of a document's normalised text: a page, or the part under a heading.</summary>
/// <param name="Start">Inclusive character offset into <see cref="Document.Text"/>.</param>
/// <param name="End">Exclusive character offset.</param>
/// <param name="Page">1-based page number for paged formats.</param>
/// <param name="Section">The heading path, e.g. <c>Overview &gt; History</c>.</param>
public sealed record DocumentRegion(int Start, int End, int? Page, string? Section);

/// <summary>A span of a document's text that holds personal data.</summary>
/// <param name="Start">Inclusive character offset into <see cref="Document.Text"/>.</param>
/// <param name="End">Exclusive character offset.</param>
/// <param name="Label">What it is, as its placeholder names it: <c>EMAIL</c>, <c>CARD</c>, …</param>
public sealed record SensitiveSpan(int Start, int End, string Label);
