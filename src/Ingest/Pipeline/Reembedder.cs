using System.Diagnostics;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Privacy;
using Microsoft.Extensions.AI;

namespace GraphRag.Ingest.Pipeline;

/// <summary>What <see cref="Reembedder.RunAsync"/> should do.</summary>
/// <param name="BatchSize">Texts per generator call; chunks of several documents share a call.</param>
/// <param name="Force">
/// Re-embed every chunk even when the store's recorded model is already the configured one (a model file changed
/// under the same name). Otherwise a store of the same model only gets the vectors it lacks.
/// </param>
public sealed record ReembedRequest(int BatchSize = 32, bool Force = false);

/// <summary>A running tally, reported after every document written.</summary>
public sealed record ReembedProgress(int DocumentsDone, int DocumentsTotal, int Chunks, int Embedded, int Reused, TimeSpan Elapsed);

/// <summary>What a re-embedding did.</summary>
/// <param name="Model">The model every vector is now of.</param>
/// <param name="PreviousModel">The model the store recorded before (null: none).</param>
/// <param name="Reset">True when every stored vector was deleted first (another model, or <see cref="ReembedRequest.Force"/>).</param>
/// <param name="Documents">Documents whose vectors were written.</param>
/// <param name="Chunks">Their chunks, each of which now has a vector.</param>
/// <param name="Embedded">Chunks the generator embedded.</param>
/// <param name="Reused">Chunks that took a stored vector of the same model and text hash.</param>
/// <param name="EmbeddingTime">Time spent waiting for the generator.</param>
/// <param name="Elapsed">The whole run.</param>
public sealed record ReembedSummary(
    VectorModel Model, VectorModel? PreviousModel, bool Reset, int Documents, int Chunks, int Embedded, int Reused, TimeSpan EmbeddingTime, TimeSpan Elapsed)
{
    /// <summary>Chunks embedded per second of generator time (0 when none were).</summary>
    public double VectorsPerSecond => Embedded == 0 ? 0 : Embedded / Math.Max(EmbeddingTime.TotalSeconds, 1e-6);
}

/// <summary>
/// Re-embeds a store's chunks with the configured model. When the store records another model (or none, or
/// <see cref="ReembedRequest.Force"/>), every stored vector is deleted and the new model recorded first; then each
/// document's chunks are embedded as ingestion would (<see cref="EmbeddedText.ForStored"/>) and its vectors replaced in
/// a transaction of its own. A chunk whose text hash already has a vector of the model reuses it, so a run that was
/// interrupted, or a store whose documents were ingested with embeddings off, is completed by running it again: only
/// what is missing goes to the generator.
/// </summary>
public sealed class Reembedder
{
    private readonly IDocumentReader _documents;
    private readonly IChunkVectorStore _vectors;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly VectorModel _model;
    private readonly PiiDetector _detector;

    public Reembedder(
        IDocumentReader documents, IChunkVectorStore vectors, IEmbeddingGenerator<string, Embedding<float>> generator, VectorModel model, PiiDetector detector)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(detector);
        _documents = documents;
        _vectors = vectors;
        _generator = generator;
        _model = model;
        _detector = detector;
    }

    public async Task<ReembedSummary> RunAsync(ReembedRequest request, IProgress<ReembedProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.BatchSize, 1);
        var clock = Stopwatch.StartNew();
        var previous = await _vectors.GetVectorModelAsync(cancellationToken).ConfigureAwait(false);
        var reset = request.Force || previous != _model;
        if (reset)
        {
            await _vectors.ResetVectorModelAsync(_model, cancellationToken).ConfigureAwait(false);
        }

        var ids = await ListDocumentIdsAsync(cancellationToken).ConfigureAwait(false);
        var tally = new Tally(ids.Count, clock);
        var pending = new List<Pending>();
        foreach (var id in ids)
        {
            if (await _documents.GetDocumentAsync(id, cancellationToken).ConfigureAwait(false) is not { } document)
            {
                continue; // deleted since it was listed
            }

            var chunks = await _documents.GetDocumentChunksAsync(id, cancellationToken).ConfigureAwait(false);
            var texts = EmbeddedText.ForStored(document, chunks, _detector);
            pending.Add(new Pending(id, chunks, texts, texts.Select(ChunkVector.HashText).ToList()));
            if (pending.Sum(p => p.Texts.Count) >= request.BatchSize * 4)
            {
                await FlushAsync(pending, request.BatchSize, tally, progress, cancellationToken).ConfigureAwait(false);
            }
        }

        await FlushAsync(pending, request.BatchSize, tally, progress, cancellationToken).ConfigureAwait(false);
        return new ReembedSummary(_model, previous, reset, tally.Documents, tally.Chunks, tally.Embedded, tally.Reused, tally.EmbeddingTime, clock.Elapsed);
    }

    /// <summary>Embeds what the pending documents lack, in batches across them, then writes each document alone.</summary>
    private async Task FlushAsync(List<Pending> pending, int batchSize, Tally tally, IProgress<ReembedProgress>? progress, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var hashes = pending.SelectMany(p => p.Hashes).Distinct(StringComparer.Ordinal).ToList();
        var known = new Dictionary<string, ChunkVector>(
            await _vectors.GetVectorsByTextHashAsync(hashes, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
        var missing = pending.SelectMany(p => p.Texts.Zip(p.Hashes, (Text, Hash) => (Text, Hash)))
            .DistinctBy(t => t.Hash, StringComparer.Ordinal)
            .Where(t => !known.TryGetValue(t.Hash, out var v) || v.Dimensions != _model.Dimensions)
            .ToList();
        var clock = Stopwatch.StartNew();
        foreach (var batch in missing.Chunk(batchSize))
        {
            var embeddings = await _generator.GenerateAsync(batch.Select(t => t.Text), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != batch.Length)
            {
                throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} vectors for {batch.Length} texts.");
            }

            for (var i = 0; i < batch.Length; i++)
            {
                if (embeddings[i].Vector.Length != _model.Dimensions)
                {
                    throw new InvalidOperationException(
                        $"The embedding generator returned {embeddings[i].Vector.Length} dimensions; the model {_model} has {_model.Dimensions}.");
                }

                known[batch[i].Hash] = ChunkVector.Create(batch[i].Hash, batch[i].Hash, embeddings[i].Vector.Span);
            }
        }

        tally.EmbeddingTime += missing.Count == 0 ? TimeSpan.Zero : clock.Elapsed;
        var fresh = missing.Select(t => t.Hash).ToHashSet(StringComparer.Ordinal);
        foreach (var document in pending)
        {
            var vectors = new List<ChunkVector>(document.Chunks.Count);
            for (var i = 0; i < document.Chunks.Count; i++)
            {
                var hash = document.Hashes[i];
                vectors.Add(known[hash] with { ChunkId = document.Chunks[i].Id });

                // A text embedded in this flush counts once as embedded; its repeats count as reused.
                if (fresh.Remove(hash))
                {
                    tally.Embedded++;
                }
                else
                {
                    tally.Reused++;
                }
            }

            if (await _vectors.ReplaceVectorsAsync(document.Id, vectors, cancellationToken).ConfigureAwait(false))
            {
                tally.Documents++;
                tally.Chunks += vectors.Count;
            }

            tally.Done++;
            progress?.Report(tally.Snapshot());
        }

        pending.Clear();
    }

    private async Task<List<string>> ListDocumentIdsAsync(CancellationToken cancellationToken)
    {
        const int Page = 500;
        var ids = new List<string>();
        while (true)
        {
            var page = await _documents.ListDocumentsAsync(new DocumentListRequest(ids.Count, Page), cancellationToken).ConfigureAwait(false);
            ids.AddRange(page.Select(d => d.Id));
            if (page.Count < Page)
            {
                return ids;
            }
        }
    }

    private sealed record Pending(string Id, IReadOnlyList<Chunk> Chunks, IReadOnlyList<string> Texts, IReadOnlyList<string> Hashes);

    private sealed class Tally(int total, Stopwatch clock)
    {
        public int Done { get; set; }

        public int Documents { get; set; }

        public int Chunks { get; set; }

        public int Embedded { get; set; }

        public int Reused { get; set; }

        public TimeSpan EmbeddingTime { get; set; }

        public ReembedProgress Snapshot() => new(Done, total, Chunks, Embedded, Reused, clock.Elapsed);
    }
}
