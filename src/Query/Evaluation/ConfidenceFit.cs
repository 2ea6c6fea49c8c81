using GraphRag.Query.Answering;

namespace GraphRag.Query.Evaluation;

/// <summary>One answer with a known outcome: what the engine measured and whether the answer was right.</summary>
public sealed record CalibrationSample(string Dataset, AnswerKind Kind, IReadOnlyDictionary<string, double> Signals, bool Correct);

/// <summary>How a fitted model did on data it was not fitted on (each dataset predicted by a model fitted on the others).</summary>
public sealed record CalibrationCheck(string Dataset, int Answers, int Correct, double Ece, double Auroc)
{
    /// <summary>Held-out answers at probability ≥ 0.8, and how many of them were right.</summary>
    public (int Answers, int Correct) Confident { get; init; }
}

/// <summary>
/// Fits a <see cref="ConfidenceModel"/>: for each answer kind, an L2-regularised logistic regression of correctness
/// on the signals that kind's generator reports, by Newton's method (deterministic; a handful of features). Every
/// dataset weighs the same in the fit, however many questions it has, so a small set from the domain at hand (the
/// samples) counts as much as a large one from elsewhere. A kind with too few answers, or with only right or only
/// wrong ones, gets its smoothed base rate.
/// </summary>
public static class ConfidenceFit
{
    /// <summary>
    /// The signals each kind is modelled on. Chains and spans share the signals that mean the same on any corpus (chosen
    /// by how well a fit on two datasets ranks and calibrates the third, see docs/decisions/0007): whether the answer's
    /// own sentence states the question's predicate, whether its type fits the question's wh-form, the margin over the
    /// runner-up, how much of the question the passages cover, a predicate word no passage has, and whether the question
    /// named its entities in full (the exact company, not a look-alike); for chains, whether the chain left a relation
    /// the question names unfollowed (docs/decisions/0008). Signals tied to one corpus's graph (the share of cues
    /// covered, steps, link weights) ranked answers well on the set they were fitted on and badly on the others.
    /// </summary>
    public static IReadOnlyDictionary<AnswerKind, IReadOnlyList<string>> Features { get; } = new Dictionary<AnswerKind, IReadOnlyList<string>>
    {
        [AnswerKind.Chain] = ["sentenceOverlap", "typeMatch", "margin", "evidence", "missing", "nameExact", "partialChain"],
        [AnswerKind.Span] = ["sentenceOverlap", "typeMatch", "margin", "evidence", "missing", "nameExact"],
        [AnswerKind.YesNo] = ["subjectsFound", "evidence"],
        [AnswerKind.Option] = ["optionsFound", "byYear", "byValue", "margin", "evidence"],
    };

    /// <summary>
    /// Yes/no signals whose answers get at most the smoothed rate of right answers among them (<see cref="LogisticModel.Caps"/>):
    /// a chain that left a relation the question names unfollowed (docs/decisions/0008).
    /// </summary>
    public static IReadOnlyDictionary<AnswerKind, IReadOnlyList<string>> Capped { get; } = new Dictionary<AnswerKind, IReadOnlyList<string>>
    {
        [AnswerKind.Chain] = ["partialChain"],
    };

    /// <summary>The refusal thresholds <see cref="ChooseThreshold"/> considers.</summary>
    private static readonly double[] Thresholds = [.. Enumerable.Range(1, 19).Select(i => i / 20.0)];

    private const int MinimumAnswers = 8;

    /// <summary>
    /// Fits every kind's model. Without <paramref name="threshold"/>, the refusal threshold is chosen from the fitted
    /// probabilities (<see cref="ChooseThreshold"/>).
    /// </summary>
    public static ConfidenceModel Fit(IReadOnlyList<CalibrationSample> samples, double l2 = 1.0, double? threshold = null, string description = "")
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegative(l2);
        var datasets = samples.GroupBy(s => s.Dataset, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var kinds = new Dictionary<AnswerKind, LogisticModel>();
        foreach (var (kind, features) in Features)
        {
            var rows = samples.Where(s => s.Kind == kind).ToList();
            var weights = rows.Select(r => samples.Count / (double)(datasets.Count * datasets[r.Dataset])).ToList();
            kinds[kind] = FitKind(rows, weights, features, l2) with { Caps = CapsOf(rows, weights, Capped.GetValueOrDefault(kind) ?? []) };
        }

        var model = new ConfidenceModel { Description = description, Kinds = kinds };
        return model with { Threshold = threshold ?? ChooseThreshold(samples, model) };
    }

    /// <summary>
    /// The threshold at which the model's answers do most good: right answers minus wrong ones, as a share of each
    /// dataset's answers and averaged over datasets so each weighs the same (a wrong answer costs what a right one
    /// gains; a declined one costs nothing). Of equally good thresholds the highest, the more cautious, wins.
    /// </summary>
    public static double ChooseThreshold(IReadOnlyList<CalibrationSample> samples, ConfidenceModel model)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(model);
        var scored = samples.Select(s => (s.Dataset, P: model.Probability(s.Kind, s.Signals), s.Correct)).ToList();
        var best = (Threshold: 0.5, Gain: double.NegativeInfinity);
        foreach (var threshold in Thresholds)
        {
            var gain = scored.GroupBy(s => s.Dataset, StringComparer.Ordinal)
                .Select(g => g.Where(s => s.P >= threshold).Sum(s => s.Correct ? 1.0 : -1.0) / g.Count())
                .DefaultIfEmpty(0)
                .Average();
            if (gain >= best.Gain - 1e-12)
            {
                best = (threshold, gain);
            }
        }

        return best.Threshold;
    }

    /// <summary>Each dataset predicted by a model fitted on all the others: calibration on data the fit never saw.</summary>
    public static IReadOnlyList<CalibrationCheck> CrossCheck(IReadOnlyList<CalibrationSample> samples, double l2 = 1.0)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var checks = new List<CalibrationCheck>();
        foreach (var dataset in samples.Select(s => s.Dataset).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var model = Fit(samples.Where(s => s.Dataset != dataset).ToList(), l2);
            var held = samples.Where(s => s.Dataset == dataset).Select(s => (model.Probability(s.Kind, s.Signals), s.Correct)).ToList();
            var confident = held.Where(h => h.Item1 >= 0.8).ToList();
            checks.Add(new CalibrationCheck(
                dataset, held.Count, held.Count(h => h.Correct), Reliability.ExpectedCalibrationError(held), Reliability.Auroc(held))
            {
                Confident = (confident.Count, confident.Count(h => h.Correct)),
            });
        }

        return checks;
    }

    /// <summary>
    /// Each capped signal's cap: among the answers with it, right ones over all, every dataset weighed the same and
    /// Laplace-smoothed as the base rate is. No cap for a signal no answer had.
    /// </summary>
    private static Dictionary<string, double> CapsOf(List<CalibrationSample> rows, List<double> weights, IReadOnlyList<string> capped)
    {
        var caps = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var signal in capped)
        {
            var marked = rows.Select((r, i) => (r.Correct, Weight: weights[i], Marked: r.Signals.GetValueOrDefault(signal) >= 1)).Where(r => r.Marked).ToList();
            if (marked.Count > 0)
            {
                caps[signal] = Math.Round((marked.Where(r => r.Correct).Sum(r => r.Weight) + 1) / (marked.Sum(r => r.Weight) + 2), 4);
            }
        }

        return caps;
    }

    private static LogisticModel FitKind(List<CalibrationSample> rows, List<double> weights, IReadOnlyList<string> features, double l2)
    {
        var positives = rows.Count(r => r.Correct);
        var weighted = rows.Select((r, i) => r.Correct ? weights[i] : 0).Sum();
        // Laplace-smoothed base rate: what is known about a kind too rare or too one-sided to fit.
        var prior = Math.Log((weighted + 1.0) / (weights.Sum() - weighted + 1.0));
        if (rows.Count < MinimumAnswers || positives == 0 || positives == rows.Count)
        {
            return new LogisticModel(Math.Round(prior, 4), new Dictionary<string, double>(StringComparer.Ordinal));
        }

        var x = rows.Select(r => features.Select(f => r.Signals.GetValueOrDefault(f)).ToArray()).ToList();
        var y = rows.Select(r => r.Correct ? 1.0 : 0.0).ToList();
        var w = Newton(x, y, weights, l2, prior);
        return new LogisticModel(
            Math.Round(w[0], 4),
            features.Select((f, i) => (f, Math.Round(w[i + 1], 4))).Where(p => p.Item2 != 0).ToDictionary(p => p.f, p => p.Item2, StringComparer.Ordinal));
    }

    /// <summary>Newton-Raphson on the penalised log-likelihood (the bias is not penalised).</summary>
    private static double[] Newton(List<double[]> x, List<double> y, List<double> weights, double l2, double prior)
    {
        var n = x[0].Length + 1;
        var w = new double[n];
        w[0] = prior;
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var gradient = new double[n];
            var hessian = new double[n, n];
            for (var i = 0; i < x.Count; i++)
            {
                var row = Row(x[i]);
                var z = 0.0;
                for (var j = 0; j < n; j++)
                {
                    z += w[j] * row[j];
                }

                var p = 1 / (1 + Math.Exp(-z));
                for (var j = 0; j < n; j++)
                {
                    gradient[j] += weights[i] * (p - y[i]) * row[j];
                    for (var k = 0; k < n; k++)
                    {
                        hessian[j, k] += weights[i] * p * (1 - p) * row[j] * row[k];
                    }
                }
            }

            for (var j = 1; j < n; j++)
            {
                gradient[j] += l2 * w[j];
                hessian[j, j] += l2;
            }

            hessian[0, 0] += 1e-6;
            var step = Solve(hessian, gradient);
            var size = 0.0;
            for (var j = 0; j < n; j++)
            {
                w[j] -= step[j];
                size = Math.Max(size, Math.Abs(step[j]));
            }

            if (size < 1e-8)
            {
                break;
            }
        }

        return w;
    }

    private static double[] Row(double[] features)
    {
        var row = new double[features.Length + 1];
        row[0] = 1;
        features.CopyTo(row, 1);
        return row;
    }

    /// <summary>Gaussian elimination with partial pivoting; the matrix is small and positive definite.</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var v = (double[])b.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < n; row++)
            {
                if (Math.Abs(m[row, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = row;
                }
            }

            if (pivot != col)
            {
                for (var k = 0; k < n; k++)
                {
                    (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
                }

                (v[col], v[pivot]) = (v[pivot], v[col]);
            }

            for (var row = col + 1; row < n; row++)
            {
                var factor = m[row, col] / m[col, col];
                for (var k = col; k < n; k++)
                {
                    m[row, k] -= factor * m[col, k];
                }

                v[row] -= factor * v[col];
            }
        }

        var result = new double[n];
        for (var row = n - 1; row >= 0; row--)
        {
            var sum = v[row];
            for (var k = row + 1; k < n; k++)
            {
                sum -= m[row, k] * result[k];
            }

            result[row] = sum / m[row, row];
        }

        return result;
    }
}
