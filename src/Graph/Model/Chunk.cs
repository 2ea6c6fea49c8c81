namespace GraphRag.Graph.Model;

/// <summary>
/// A contiguous piece of a document's normalised text. <c>document.Text[Start..End] == Text</c> always holds.
/// </summary>
public sealed record Chunk
{
    public required string Id { get; init; }

    public required string DocumentId { get; init; }

    public required int Ordinal { get; init; }

    public required string Text { get; init; }

    /// <summary>Inclusive character offset into the document's normalised text.</summary>
    public required int Start { get; init; }

    /// <summary>Exclusive character offset into the document's normalised text.</summary>
    public required int End { get; init; }

    public required int TokenCount { get; init; }

    public int? Page { get; init; }

    public string? Section { get; init; }
}
