using System.Diagnostics;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Privacy;
using Microsoft.Extensions.AI;

namespace GraphRag.Ingest.Pipeline;

/// <summary>What embedding one document took.</summary>
/// <param name="Embedded">Chunks the generator embedded.</param>
/// <param name="Reused">Chunks that kept a stored vector (same text hash).</param>
/// <param name="Time">Time spent waiting for the generator.</param>
internal sealed record EmbeddingWork(int Embedded, int Reused, TimeSpan Time)
{
    public static EmbeddingWork None { get; } = new(0, 0, TimeSpan.Zero);
}

/// <summary>
/// Makes the chunks' vectors with any <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>: each chunk is embedded as
/// <see cref="EmbeddedText"/> says (title, newline, chunk text as stored, masked personal data neutralised). A chunk whose text hash matches a stored vector reuses
/// it; the rest go to the generator in batches. Without a generator the draft passes through unchanged.
/// </summary>
internal sealed class EmbedStep(
    IEmbeddingGenerator<string, Embedding<float>>? generator, IChunkVectorStore? stored, VectorModel? model, int batchSize) : IDocumentStep
{
    public async ValueTask<DocumentDraft> RunAsync(DocumentDraft draft, CancellationToken cancellationToken)
    {
        if (generator is null || model is null || draft.Chunks.Count == 0)
        {
            return draft;
        }

        var texts = Texts(draft);
        var hashes = texts.Select(ChunkVector.HashText).ToList();
        var reusable = stored is null
            ? new Dictionary<string, ChunkVector>(StringComparer.Ordinal)
            : await stored.GetVectorsByTextHashAsync(hashes.Distinct(StringComparer.Ordinal).ToList(), cancellationToken).ConfigureAwait(false);
        var vectors = new ChunkVector[draft.Chunks.Count];
        var missing = new List<int>();
        for (var i = 0; i < vectors.Length; i++)
        {
            if (reusable.TryGetValue(hashes[i], out var vector) && vector.Dimensions == model.Dimensions)
            {
                vectors[i] = vector with { ChunkId = draft.Chunks[i].Id };
            }
            else
            {
                missing.Add(i);
            }
        }

        var clock = Stopwatch.StartNew();
        // A text repeated within the document (boilerplate, a table's rows) is embedded once.
        var distinct = missing.DistinctBy(i => hashes[i], StringComparer.Ordinal).ToList();
        foreach (var batch in distinct.Chunk(Math.Max(1, batchSize)))
        {
            var embeddings = await generator.GenerateAsync(batch.Select(i => texts[i]).ToList(), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            if (embeddings.Count != batch.Length)
            {
                throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} vectors for {batch.Length} texts.");
            }

            for (var j = 0; j < batch.Length; j++)
            {
                var values = embeddings[j].Vector;
                if (values.Length != model.Dimensions)
                {
                    throw new InvalidOperationException(
                        $"The embedding generator returned {values.Length} dimensions; the model {model} has {model.Dimensions}.");
                }

                var i = batch[j];
                vectors[i] = ChunkVector.Create(draft.Chunks[i].Id, hashes[i], values.Span);
            }
        }

        var made = distinct.ToDictionary(i => hashes[i], i => vectors[i], StringComparer.Ordinal);
        foreach (var i in missing.Where(i => vectors[i] is null))
        {
            vectors[i] = made[hashes[i]] with { ChunkId = draft.Chunks[i].Id };
        }

        return draft with
        {
            Vectors = vectors,
            // A repeat of a text embedded here counts as reused: Embedded is what the generator was asked for.
            Embedding = new EmbeddingWork(distinct.Count, vectors.Length - distinct.Count, distinct.Count == 0 ? TimeSpan.Zero : clock.Elapsed),
        };
    }

    /// <summary>What each chunk is embedded as (<see cref="EmbeddedText"/>), with the spans the personal-data step found.</summary>
    internal static IReadOnlyList<string> Texts(DocumentDraft draft) =>
        EmbeddedText.For(draft.Stored, draft.Chunks, draft.Run.PiiPolicy, draft.OutOfGraphText, draft.OutOfGraphTitle);
}
