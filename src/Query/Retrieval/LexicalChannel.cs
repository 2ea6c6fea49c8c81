using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Query.Analysis;

namespace GraphRag.Query.Retrieval;

/// <summary>A chunk with the document it belongs to and the score a channel gave it.</summary>
public sealed record ScoredChunk(Chunk Chunk, string DocumentTitle, double Score);

/// <summary>BM25 over chunk text and document titles, with stop words removed and name phrases added.</summary>
public sealed class LexicalChannel
{
    private readonly ILexicalIndex _index;
    private readonly IDocumentReader _documents;

    public LexicalChannel(ILexicalIndex index, IDocumentReader documents)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(documents);
        _index = index;
        _documents = documents;
    }

    public async Task<IReadOnlyList<ScoredChunk>> SearchAsync(
        AnalyzedQuery query, int limit, IReadOnlyCollection<string>? documentIds = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var hits = await _index.SearchAsync(
            new LexicalQuery(query.Terms, query.Phrases, limit) { DocumentIds = documentIds }, cancellationToken).ConfigureAwait(false);
        if (hits.Count == 0)
        {
            return [];
        }

        var chunks = (await _documents.GetChunksAsync(hits.Select(h => h.ChunkId).ToList(), cancellationToken).ConfigureAwait(false))
            .ToDictionary(c => c.Id, StringComparer.Ordinal);
        return hits.Where(h => chunks.ContainsKey(h.ChunkId))
            .Select(h => new ScoredChunk(chunks[h.ChunkId], h.Title, h.Score))
            .ToList();
    }
}
