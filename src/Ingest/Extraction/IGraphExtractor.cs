using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>
/// Extracts entities, mentions and relations from one document. Implementations are pure and deterministic: the
/// same document, chunks and settings always give the same graph, with ids derived from content.
/// </summary>
public interface IGraphExtractor
{
    /// <summary>A fingerprint of the extractor and its settings; a change makes ingestion re-process documents.</summary>
    string Version { get; }

    /// <summary>The relation labels it writes, with the question words that ask along them (queries read the same).</summary>
    RelationVocabulary Vocabulary => RelationVocabulary.BuiltIn;

    DocumentGraph Extract(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same, for extractors that wait on something (a language model): the pipeline calls this one. The default
    /// runs <see cref="Extract"/>.
    /// </summary>
    ValueTask<DocumentGraph> ExtractAsync(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Extract(document, chunks, cancellationToken));
}
