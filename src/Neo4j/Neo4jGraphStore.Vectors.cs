using System.Text.Json;
using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;

namespace GraphRag.Neo4j;

/// <summary>
/// Chunk vectors as chunk properties (<c>embedding</c>, a float array; <c>embeddingTextHash</c>; <c>embeddingScale</c>, the
/// int8 step, so the stored quantised vector is recovered exactly), written and removed with their document, and the
/// store's one model on its meta node.
/// </summary>
public sealed partial class Neo4jGraphStore : IChunkVectorStore
{
    public async Task<VectorModel?> GetVectorModelAsync(CancellationToken cancellationToken = default)
    {
        var r = (await RunAsync(cancellationToken, Q("meta-read")).ConfigureAwait(false))[0].Rows[0];
        return ReadModel(r[3], r[4]);
    }

    public async Task<IReadOnlyDictionary<string, ChunkVector>> GetVectorsByTextHashAsync(
        IReadOnlyCollection<string> textHashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(textHashes);
        var found = new Dictionary<string, ChunkVector>(StringComparer.Ordinal);
        if (_options.VectorModel is not { } model || textHashes.Count == 0)
        {
            return found;
        }

        var rows = (await RunAsync(cancellationToken, Q("vectors-by-hash", ("hashes", textHashes.Distinct(StringComparer.Ordinal).ToList()), ("dimensions", model.Dimensions)))
            .ConfigureAwait(false))[0].Rows;
        foreach (var r in rows)
        {
            var vector = ReadVector(r, 0);
            found.TryAdd(vector.TextHash, vector);
        }

        return found;
    }

    public async Task ResetVectorModelAsync(VectorModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(model.Id);
        ArgumentOutOfRangeException.ThrowIfLessThan(model.Dimensions, 1);
        await WriteAsync(
            async tx =>
            {
                var read = await tx.RunAsync([Q("meta-lock", ("token", Token())), Q("vectors-documents")], cancellationToken).ConfigureAwait(false);
                var changed = read[1].Rows.Select(r => r[0].GetString()!).ToList();
                tx.Defer(Q("vectors-clear"));
                tx.Defer(Q("meta-set-vector-model", ("modelId", model.Id), ("dimensions", model.Dimensions)));
                await BumpAsync(tx, changed, cancellationToken).ConfigureAwait(false);
                return 0;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> ReplaceVectorsAsync(string documentId, IReadOnlyList<ChunkVector> vectors, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        ArgumentNullException.ThrowIfNull(vectors);
        var model = _options.VectorModel ?? throw new InvalidOperationException("The store was opened without an embedding model.");
        BundleRules.ValidateDimensions(vectors, model);
        return await WriteAsync(
            async tx =>
            {
                var read = await tx.RunAsync([Q("meta-lock", ("token", Token())), Q("chunk-of-document", ("id", documentId))], cancellationToken).ConfigureAwait(false);
                var chunks = read[1].Rows.Select(r => r[0].GetString()!).ToHashSet(StringComparer.Ordinal);
                var exists = (await tx.RunAsync([Q("document-states", ("ids", new[] { documentId }))], cancellationToken).ConfigureAwait(false))[0].Rows.Count > 0;
                if (!exists)
                {
                    return false;
                }

                if (vectors.FirstOrDefault(v => !chunks.Contains(v.ChunkId)) is { } stray)
                {
                    throw new ArgumentException($"Chunk {stray.ChunkId} is not a chunk of document {documentId}.", nameof(vectors));
                }

                RecordVectorModel(tx, read[0].Rows[0], model);
                tx.Defer(Q("vectors-clear-document", ("id", documentId)));
                tx.Defer(Q("vectors-set", ("rows", vectors.Select(v => new Dictionary<string, object?>
                {
                    ["chunkId"] = v.ChunkId, ["embedding"] = v.ToFloats(), ["textHash"] = v.TextHash, ["scale"] = v.Scale,
                }).ToList())));
                await BumpAsync(tx, [documentId], cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the store's model with its first vectors; later writes must be of the same model (another process may
    /// have recorded one since this store was opened). <paramref name="meta"/> is the locked meta row.
    /// </summary>
    private void RecordVectorModel(Neo4jTransaction tx, JsonElement[] meta, VectorModel model)
    {
        if (ReadModel(meta[1], meta[2]) is { } stored)
        {
            if (stored != model)
            {
                throw new VectorModelMismatchException(Location, stored, model);
            }

            return;
        }

        tx.Defer(Q("meta-set-vector-model", ("modelId", model.Id), ("dimensions", model.Dimensions)));
    }

    /// <summary>A vector from the columns chunk id, text hash, scale, embedding starting at <paramref name="first"/>.</summary>
    internal static ChunkVector ReadVector(JsonElement[] r, int first)
    {
        var scale = (float)r[first + 2].GetDouble();
        var floats = r[first + 3].EnumerateArray().Select(v => v.GetDouble()).ToList();
        var values = new sbyte[floats.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = scale == 0 ? (sbyte)0 : (sbyte)Math.Clamp(Math.Round(floats[i] / scale), -127, 127);
        }

        return new ChunkVector(r[first].GetString()!, r[first + 1].GetString()!, values, scale);
    }
}
