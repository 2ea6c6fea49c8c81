using System.ComponentModel.DataAnnotations;

namespace GraphRag.Query;

/// <summary>Retrieval and answer settings. Defaults were tuned on the shared development datasets.</summary>
public sealed class QueryEngineOptions
{
    /// <summary>Lexical hits fetched per round before fusion.</summary>
    [Range(1, 1000)]
    public int LexicalCandidates { get; set; } = 40;

    /// <summary>Fusion weight of the lexical channel.</summary>
    [Range(0, 10)]
    public double LexicalWeight { get; set; } = 1.0;

    /// <summary>Fusion weight of the graph (PageRank) channel.</summary>
    [Range(0, 10)]
    public double GraphWeight { get; set; } = 1.0;

    /// <summary>Fusion weight of the vector channel, when one is configured.</summary>
    [Range(0, 10)]
    public double VectorWeight { get; set; } = 1.0;

    /// <summary>
    /// What a passage's fused score keeps in a round where only the vector channel found it: association with the
    /// question, without its words or entities. 1 trusts the vector channel alone as much as with other evidence.
    /// On the shared datasets 1, 0.5 and 0 give the same recall (a passage the vector channel finds nearly always has
    /// lexical or graph evidence too), so the default halves association alone, as the king/queen test shows.
    /// </summary>
    [Range(0, 1)]
    public double VectorOnlyFactor { get; set; } = 0.5;

    /// <summary>
    /// How a round after the first gets its dense query vector. False (the default): the question's vector, embedded once
    /// per query, moved toward the stored vectors of the chunks that mention the round's bridge entities — question +
    /// <see cref="VectorFeedbackWeight"/> × their mean, made unit length (Rocchio's relevance feedback) — so a query asks
    /// the embedding model once, not once a round. True: each round's text (the question and its bridges' names) is
    /// embedded, as before. Rounds with a planner's sub-question always embed their text. On the shared datasets
    /// (hybrid, three rounds, top 10) recall@5 was 0.810 / 0.945 (musique-100 / hotpotqa-100) with feedback against
    /// 0.805 / 0.940 embedding every round, and 0.769 / 0.930 with the question's vector alone in every round.
    /// </summary>
    public bool EmbedEveryRound { get; set; }

    /// <summary>
    /// How far a later round's dense query vector moves toward its feedback chunks (see <see cref="EmbedEveryRound"/>).
    /// 0.5 to 1 measured alike on the shared datasets (recall@5 within 0.01 of 0.805 / 0.945); 0 keeps the question's
    /// vector.
    /// </summary>
    [Range(0, 10)]
    public double VectorFeedbackWeight { get; set; } = 0.5;

    /// <summary>Feedback chunks per bridge entity: those that mention it most (then by chunk id).</summary>
    [Range(1, 100)]
    public int VectorFeedbackChunks { get; set; } = 5;

    /// <summary>PageRank restart probability: higher keeps mass near the seeds.</summary>
    [Range(0.05, 0.95)]
    public double Restart { get; set; } = 0.5;

    /// <summary>
    /// PageRank weight of a synonym edge per unit of similarity (a labelled relation of weight 1 walks at log 2 ≈ 0.69);
    /// 0 walks none. Synonym edges exist only with embeddings and <c>GraphRag:Synonyms:Enabled</c> on. Default 0, the
    /// best measured: hybrid recall@5 on musique-100 was 0.741 at 0, 0.739 at 0.3, 0.731 at 1; on hotpotqa-100 0.935 at
    /// 0, 0.930 at 0.3 and 1.
    /// </summary>
    [Range(0, 10)]
    public double SynonymWeight { get; set; }

    /// <summary>Bridge entities carried into each further round.</summary>
    [Range(1, 10)]
    public int BridgeEntities { get; set; } = 3;

    /// <summary>Scores from later rounds are multiplied by this per round, so direct evidence stays on top.</summary>
    [Range(0, 1)]
    public double HopDecay { get; set; } = 0.8;

    /// <summary>
    /// Below this confidence the engine answers "insufficient information". Unset: the confidence model's own threshold,
    /// chosen when it was fitted (the built-in model's is in its JSON), or 0.35 for the evidence-coverage score.
    /// </summary>
    [Range(0, 1)]
    public double? InsufficientEvidenceThreshold { get; set; }

    /// <summary>
    /// How confidence is computed. Unset or <c>builtin</c>: the probability that the answer is right, by the model
    /// fitted on the development sets and samples (<c>graphrag calibrate</c>). A path: a model fitted on a domain's own
    /// questions. <c>coverage</c>: the older evidence-coverage score (the passages' coverage of the question, capped by
    /// the answer's own support), which is not a probability.
    /// </summary>
    public string? ConfidenceModel { get; set; }

    /// <summary>The threshold of the evidence-coverage confidence.</summary>
    public const double CoverageThreshold = 0.35;
}
