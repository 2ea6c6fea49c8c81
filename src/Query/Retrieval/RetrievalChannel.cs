using GraphRag.Graph.Abstractions;

namespace GraphRag.Query.Retrieval;

/// <summary>
/// One way of finding chunks for a round of retrieval: lexical (BM25), the graph (personalised PageRank) or dense
/// vectors. Each returns its own scores, normalised to [0, 1] within the round; <see cref="Fusion"/> combines them.
/// Every channel answers only from what the round's caller may read.
/// </summary>
internal interface IRetrievalChannel
{
    /// <summary>The name scores and timings carry: <c>bm25</c>, <c>graph</c>, <c>vector</c>.</summary>
    string Name { get; }

    Task<ChannelResult> SearchAsync(RoundQuery query, CancellationToken cancellationToken);
}

/// <summary>What one round asks of every channel.</summary>
/// <param name="Request">The query request (mode, scope, sizes).</param>
/// <param name="Hop">The round, from 1.</param>
/// <param name="Text">The round's question text (the question, then with the bridges' names).</param>
/// <param name="Terms">Lexical terms.</param>
/// <param name="Phrases">Lexical phrases (names).</param>
/// <param name="Graph">The caller's graph view; null in BM25 mode.</param>
/// <param name="EntitySeeds">PageRank seeds: linked and bridge entities with weights.</param>
/// <param name="Earlier">Channel results already gathered this round (the graph channel seeds from the lexical one).</param>
internal sealed record RoundQuery(
    QueryRequest Request,
    int Hop,
    string Text,
    IReadOnlyList<string> Terms,
    IReadOnlyList<string> Phrases,
    GraphView? Graph,
    IReadOnlyDictionary<string, double> EntitySeeds,
    IReadOnlyDictionary<string, ChannelResult> Earlier)
{
    /// <summary>The dense channel's query vector for the round, when the round has one without embedding <see cref="Text"/>.</summary>
    public DenseProbe? Dense { get; init; }
}

/// <summary>
/// A round's dense query vector built from vectors already at hand: the question's own (embedded once per query) moved
/// toward the stored vectors of <paramref name="Feedback"/>, chunks that mention the round's bridge entities (Rocchio's
/// relevance feedback), by <paramref name="FeedbackWeight"/>. Round 1 has no feedback and searches with the question.
/// </summary>
internal sealed record DenseProbe(Task<ReadOnlyMemory<float>?> Question, IReadOnlyList<StoredChunk> Feedback, double FeedbackWeight);

/// <summary>A chunk a channel found, with its normalised score.</summary>
internal sealed record ChannelHit(string ChunkId, string DocumentId, double Score);

/// <summary>A channel's hits, and (for the graph channel) the scores it gave entities.</summary>
internal sealed record ChannelResult(IReadOnlyList<ChannelHit> Hits, IReadOnlyDictionary<string, double>? EntityScores = null)
{
    public static ChannelResult None { get; } = new([]);
}

/// <summary>BM25 over chunks and titles, restricted to (and scored over) what the caller may read.</summary>
internal sealed class LexicalChannel(ILexicalIndex lexical, int candidates) : IRetrievalChannel
{
    public string Name => HybridRetriever.LexicalChannelName;

    public async Task<ChannelResult> SearchAsync(RoundQuery query, CancellationToken cancellationToken)
    {
        var scope = query.Request.Scope;
        var hits = await lexical.SearchAsync(
            new LexicalQuery(query.Terms.Distinct(StringComparer.Ordinal).ToList(), query.Phrases.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), candidates)
            {
                CanReadAcl = scope?.CanReadAcl,
                DocumentIds = scope?.CanReadAcl is null ? scope?.ReadableDocuments : null,
            },
            cancellationToken).ConfigureAwait(false);
        var max = hits.Count > 0 ? hits.Max(h => h.Score) : 0;
        return new ChannelResult(hits
            .Where(h => scope is null || scope.CanRead(h.DocumentId))
            .Select(h => new ChannelHit(h.ChunkId, h.DocumentId, max > 0 ? h.Score / max : 0))
            .ToList());
    }
}

/// <summary>
/// Personalised PageRank from the round's linked and bridge entities and (in hybrid mode) the best lexical chunks of
/// the round, over the caller's graph view, synonym edges weighted <c>synonymWeight</c> per unit of similarity.
/// </summary>
internal sealed class GraphChannel(double restart, double synonymWeight = 0) : IRetrievalChannel
{
    public string Name => HybridRetriever.GraphChannelName;

    public Task<ChannelResult> SearchAsync(RoundQuery query, CancellationToken cancellationToken)
    {
        if (query.Graph is not { } graph)
        {
            return Task.FromResult(ChannelResult.None);
        }

        var chunkSeeds = query.Request.Mode == QueryMode.Hybrid && query.Earlier.TryGetValue(HybridRetriever.LexicalChannelName, out var lexical)
            ? lexical.Hits.OrderByDescending(h => h.Score).Take(5).ToDictionary(h => h.ChunkId, h => h.Score * 0.5, StringComparer.Ordinal)
            : null;
        var rank = graph.PersonalizedPageRank(query.EntitySeeds, chunkSeeds, restart, synonymWeight);
        var max = rank.Chunks.Count > 0 ? rank.Chunks.Values.Max() : 0;
        var hits = new List<ChannelHit>(rank.Chunks.Count);
        foreach (var (chunkId, score) in rank.Chunks)
        {
            var documentId = graph.DocumentOf(chunkId);
            if (documentId is not null && (query.Request.Scope is null || query.Request.Scope.CanRead(documentId)))
            {
                hits.Add(new ChannelHit(chunkId, documentId, max > 0 ? score / max : 0));
            }
        }

        return Task.FromResult(new ChannelResult(hits, rank.Entities));
    }
}

/// <summary>
/// Dense retrieval over chunk embeddings. Cosine similarities of one model sit in a narrow band (arctic-xs: most
/// passages 0.2-0.5 to any question), so the round's candidates are rescaled min-max to [0, 1] like the other channels'
/// scores: the best is 1 and the last candidate 0. Raw similarity (musique-100 hybrid R@5 0.741) or similarity over the
/// best (0.758) let the band's floor add to every passage alike; min-max gives 0.800.
/// </summary>
internal sealed class DenseChannel(VectorChannel vectors, int candidates) : IRetrievalChannel
{
    public string Name => HybridRetriever.VectorChannelName;

    public async Task<ChannelResult> SearchAsync(RoundQuery query, CancellationToken cancellationToken)
    {
        var probe = await ProbeAsync(query, cancellationToken).ConfigureAwait(false);
        if (probe is null)
        {
            return ChannelResult.None;
        }

        var scope = query.Request.Scope;
        // As the lexical channel: by ACL partition when the scope can say, so unreadable vectors are never scored.
        var hits = await vectors.SearchAsync(
            probe.Value, candidates, scope?.CanReadAcl is null ? scope?.ReadableDocuments : null, scope?.CanReadAcl, work: null, cancellationToken).ConfigureAwait(false);
        var readable = hits.Where(h => scope is null || scope.CanRead(h.DocumentId)).ToList();
        var max = readable.Count > 0 ? readable.Max(h => h.Similarity) : 0;
        var min = readable.Count > 0 ? readable.Min(h => h.Similarity) : 0;
        return new ChannelResult(readable
            .Select(h => new ChannelHit(h.ChunkId, h.DocumentId, max > min ? (h.Similarity - min) / (max - min) : h.Similarity > 0 ? 1 : 0))
            .ToList());
    }

    /// <summary>
    /// The round's query vector: the question's, moved toward the stored vectors of the round's feedback chunks when it
    /// has some; the round's text embedded when the round has no probe, or none of its feedback chunks has a stored vector.
    /// </summary>
    private async Task<ReadOnlyMemory<float>?> ProbeAsync(RoundQuery query, CancellationToken cancellationToken)
    {
        if (query.Dense is not { } dense)
        {
            return await vectors.EmbedAsync(query.Text, cancellationToken).ConfigureAwait(false);
        }

        var question = await dense.Question.ConfigureAwait(false);
        if (dense.Feedback.Count == 0 || question is not { } start)
        {
            return question;
        }

        var stored = await vectors.StoredVectorsAsync(dense.Feedback, cancellationToken).ConfigureAwait(false);
        return stored.Count == 0
            ? await vectors.EmbedAsync(query.Text, cancellationToken).ConfigureAwait(false)
            : Move(start.Span, stored, dense.FeedbackWeight);
    }

    /// <summary>The unit vector of <c>question + weight · mean(feedback)</c>, each input first made unit length.</summary>
    internal static float[] Move(ReadOnlySpan<float> question, IReadOnlyList<ReadOnlyMemory<float>> feedback, double weight)
    {
        var sum = new double[question.Length];
        AddUnit(sum, question, 1);
        foreach (var vector in feedback)
        {
            AddUnit(sum, vector.Span, weight / feedback.Count);
        }

        var length = Math.Sqrt(sum.Sum(x => x * x));
        var moved = new float[sum.Length];
        for (var i = 0; i < moved.Length; i++)
        {
            moved[i] = length > 0 ? (float)(sum[i] / length) : 0;
        }

        return moved;
    }

    private static void AddUnit(double[] sum, ReadOnlySpan<float> vector, double weight)
    {
        var squares = 0.0;
        foreach (var x in vector)
        {
            squares += (double)x * x;
        }

        if (squares > 0 && vector.Length == sum.Length)
        {
            var factor = weight / Math.Sqrt(squares);
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += vector[i] * factor;
            }
        }
    }
}
