using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>Extracts nothing: for lexical-only stores (<c>graphrag ingest --no-graph</c>).</summary>
public sealed class NoGraphExtractor : IGraphExtractor
{
    public string Version => "none";

    public DocumentGraph Extract(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default) =>
        DocumentGraph.Empty;
}
