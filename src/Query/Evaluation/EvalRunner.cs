using System.Diagnostics;
using GraphRag.Graph.Abstractions;

namespace GraphRag.Query.Evaluation;

/// <summary>The figures of one evaluation run; its properties, camelCased, are the JSON keys of <c>graphrag eval --out</c> and <c>--json</c>.</summary>
public sealed record EvalReport
{
    public required string Dataset { get; init; }

    public required string Mode { get; init; }

    public int Questions { get; init; }

    public double RecallAt2 { get; init; }

    public double RecallAt5 { get; init; }

    public double AllRecallAt5 { get; init; }

    public double AnswerEm { get; init; }

    public double AnswerF1 { get; init; }

    /// <summary>Share of questions where an entity the question names links to an entity its gold passages mention.</summary>
    public double LinkingCoverage { get; init; }

    public double InsufficientEvidence { get; init; }

    public double LatencyMsP50 { get; init; }

    public double LatencyMsP95 { get; init; }

    /// <summary>Answers given that are right (EM, or F1 of at least 0.8).</summary>
    public int AnsweredCorrect { get; init; }

    /// <summary>Answers given that are wrong, unanswerable questions answered included.</summary>
    public int AnsweredWrong { get; init; }

    /// <summary>Answerable questions declined ("insufficient information").</summary>
    public int Declined { get; init; }

    /// <summary>Questions the corpus cannot answer (no gold answer), and how many of them were declined.</summary>
    public int Unanswerable { get; init; }

    public int UnanswerableDeclined { get; init; }

    /// <summary>Expected calibration error of confidence against the best candidate's correctness (10 bins).</summary>
    public double Ece { get; init; }

    /// <summary>AUROC of confidence against the best candidate's correctness.</summary>
    public double Auroc { get; init; }

    /// <summary>Answers given at confidence of at least 0.8, and the share of them that are right.</summary>
    public int ConfidentAnswers { get; init; }

    public double ConfidentPrecision { get; init; }

    public IReadOnlyDictionary<string, EvalReport> ByType { get; init; } = new Dictionary<string, EvalReport>();

    public IReadOnlyList<EvalOutcome>? PerQuestion { get; init; }
}

/// <summary>What happened on one question.</summary>
public sealed record EvalOutcome(
    string Id,
    string Type,
    IReadOnlyList<string> Retrieved,
    IReadOnlyList<string> Gold,
    double RecallAt2,
    double RecallAt5,
    string Answer,
    bool ExactMatch,
    double F1,
    bool Linked,
    bool Insufficient,
    double LatencyMs,
    IReadOnlyDictionary<string, double> Stages)
{
    public double Confidence { get; init; }

    /// <summary>The best answer found, also when declined, and whether it is right.</summary>
    public string Candidate { get; init; } = string.Empty;

    public bool CandidateCorrect { get; init; }

    public bool Answerable { get; init; } = true;

    public string Kind { get; init; } = string.Empty;

    public IReadOnlyDictionary<string, double> Signals { get; init; } = new Dictionary<string, double>();
}

/// <summary>Runs every question of a dataset through the engine and scores retrieval and answers.</summary>
public sealed class EvalRunner(QueryEngine engine, ISnapshotSource graph)
{
    public async Task<EvalReport> RunAsync(
        string dataset,
        IReadOnlyList<EvalQuestion> questions,
        QueryMode mode,
        int maxHops,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(questions);
        var outcomes = new List<EvalOutcome>();
        var snapshot = await graph.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);

        // One untimed warm-up query, so the first timed question does not pay for JIT compilation.
        if (questions.Count > 0)
        {
            await engine.QueryAsync(new QueryRequest { Question = questions[0].Question, Mode = mode, TopK = QueryRequest.DefaultTopK, MaxHops = maxHops }, cancellationToken)
                .ConfigureAwait(false);
        }

        foreach (var question in questions)
        {
            var clock = Stopwatch.StartNew();
            var result = await engine.QueryAsync(
                new QueryRequest { Question = question.Question, Mode = mode, TopK = QueryRequest.DefaultTopK, MaxHops = maxHops }, cancellationToken).ConfigureAwait(false);
            var latency = clock.Elapsed.TotalMilliseconds;

            // A retrieved passage counts for the dataset passage (document) it came from.
            var ranked = result.Passages.Select(p => p.Chunk.DocumentId).Distinct(StringComparer.Ordinal).ToList();
            var gold = question.SupportingIds;
            var goldEntities = gold.SelectMany(documentId => snapshot.EntitiesInDocument(documentId)).ToHashSet(StringComparer.Ordinal);
            var linked = result.LinkedEntities.Any(l => goldEntities.Contains(l.EntityId));
            var answer = result.InsufficientEvidence ? string.Empty : result.Answer;
            outcomes.Add(new EvalOutcome(
                question.Id,
                question.Type,
                ranked.Take(5).ToList(),
                gold,
                RetrievalMetrics.RecallAt(ranked, [.. gold], 2),
                RetrievalMetrics.RecallAt(ranked, [.. gold], 5),
                answer,
                AnswerMetrics.ExactMatch(answer, question.Answers),
                AnswerMetrics.F1(answer, question.Answers),
                linked,
                result.InsufficientEvidence,
                latency,
                result.Timings.GroupBy(t => t.Stage, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(t => t.Milliseconds), StringComparer.Ordinal))
            {
                Confidence = result.Confidence,
                Candidate = result.Candidate,
                CandidateCorrect = question.Answers.Any() && AnswerMetrics.IsCorrect(result.Candidate, question.Answers),
                Answerable = question.Answers.Any(),
                Kind = result.Kind.ToString(),
                Signals = result.ConfidenceSignals,
            });
            progress?.Report(outcomes.Count);
        }

        return Summarise(dataset, mode.ToString().ToLowerInvariant(), questions, outcomes, includeTypes: true);
    }

    /// <summary>The confidence from which an answer counts as confident in the report.</summary>
    public const double ConfidentAt = 0.8;

    private static EvalReport Summarise(
        string dataset, string mode, IReadOnlyList<EvalQuestion> questions, IReadOnlyList<EvalOutcome> outcomes, bool includeTypes)
    {
        var withGold = outcomes.Where(o => o.Gold.Count > 0).ToList();
        var latencies = outcomes.Select(o => o.LatencyMs).ToList();
        var answered = outcomes.Where(o => !o.Insufficient).ToList();
        var correct = answered.Count(o => o.Answerable && o.CandidateCorrect);
        var confident = answered.Where(o => o.Confidence >= ConfidentAt).ToList();
        var reliability = outcomes.Where(o => o.Candidate.Length > 0).Select(o => (o.Confidence, o.Answerable && o.CandidateCorrect)).ToList();
        double Mean(IEnumerable<double> values) => values.DefaultIfEmpty(0).Average();
        return new EvalReport
        {
            Dataset = dataset,
            Mode = mode,
            Questions = outcomes.Count,
            RecallAt2 = Math.Round(Mean(withGold.Select(o => o.RecallAt2)), 4),
            RecallAt5 = Math.Round(Mean(withGold.Select(o => o.RecallAt5)), 4),
            AllRecallAt5 = Math.Round(Mean(withGold.Select(o => o.RecallAt5 >= 1 ? 1.0 : 0.0)), 4),
            AnswerEm = Math.Round(Mean(outcomes.Select(o => o.ExactMatch ? 1.0 : 0.0)), 4),
            AnswerF1 = Math.Round(Mean(outcomes.Select(o => o.F1)), 4),
            LinkingCoverage = Math.Round(Mean(withGold.Select(o => o.Linked ? 1.0 : 0.0)), 4),
            InsufficientEvidence = Math.Round(Mean(outcomes.Select(o => o.Insufficient ? 1.0 : 0.0)), 4),
            AnsweredCorrect = correct,
            AnsweredWrong = answered.Count - correct,
            Declined = outcomes.Count(o => o.Insufficient && o.Answerable),
            Unanswerable = outcomes.Count(o => !o.Answerable),
            UnanswerableDeclined = outcomes.Count(o => !o.Answerable && o.Insufficient),
            Ece = Math.Round(Reliability.ExpectedCalibrationError(reliability), 4),
            Auroc = Math.Round(Reliability.Auroc(reliability), 4),
            ConfidentAnswers = confident.Count,
            ConfidentPrecision = Math.Round(confident.Count == 0 ? 0 : confident.Count(o => o.Answerable && o.CandidateCorrect) / (double)confident.Count, 4),
            LatencyMsP50 = Math.Round(RetrievalMetrics.Percentile(latencies, 0.50), 2),
            LatencyMsP95 = Math.Round(RetrievalMetrics.Percentile(latencies, 0.95), 2),
            ByType = includeTypes
                ? outcomes.GroupBy(o => o.Type, StringComparer.Ordinal)
                    .OrderBy(g => g.Key, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => Summarise(dataset, mode, questions, [.. g], includeTypes: false), StringComparer.Ordinal)
                : new Dictionary<string, EvalReport>(),
            PerQuestion = includeTypes ? outcomes : null,
        };
    }
}
