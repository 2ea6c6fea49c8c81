using GraphRag.Graph.Abstractions;

namespace GraphRag.Neo4j;

/// <summary>
/// Cached language-model extraction replies as <c>GraphRagExtraction</c> bookkeeping nodes (one per document and key),
/// written, kept and deleted with their document by the write path, and found again by key from any document.
/// </summary>
public sealed partial class Neo4jGraphStore : IExtractionCache
{
    IExtractionCache? IGraphBackend.ExtractionCache => this;

    public async Task<IReadOnlyDictionary<string, string>> GetExtractionRepliesAsync(
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return found;
        }

        var rows = (await RunAsync(cancellationToken, Q("extraction-cache-get", ("keys", keys.Distinct(StringComparer.Ordinal).ToList())))
            .ConfigureAwait(false))[0].Rows;
        foreach (var r in rows)
        {
            found.TryAdd(r[0].GetString()!, r[1].GetString()!);
        }

        return found;
    }
}
