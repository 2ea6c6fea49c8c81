namespace GraphRag.Graph.Model;

/// <summary>A character span inside one chunk's document: provenance for mentions, relations and citations.</summary>
/// <param name="DocumentId">The document whose normalised text the offsets index.</param>
/// <param name="ChunkId">The chunk the span lies in.</param>
/// <param name="Start">Inclusive offset into the document's normalised text.</param>
/// <param name="End">Exclusive offset into the document's normalised text.</param>
public sealed record TextSpan(string DocumentId, string ChunkId, int Start, int End)
{
    public int Length => End - Start;
}
