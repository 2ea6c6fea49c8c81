using GraphRag.Query.Answering;

namespace GraphRag.Query.Evaluation;

/// <summary>One answer with a known outcome: what the engine measured and whether the answer was right.</summary>
public sealed record CalibrationSample(string Dataset, AnswerKind Kind, IReadOnlyDictionary<string, double> Signals, bool Correct);

/// <summary>How a fitted model did on data it was not fitted on (each dataset predicted by a model fitted on the others).</summary>
public sealed record CalibrationCheck(string Dataset, int Answers, int Correct, double Ece, double Auroc);

/// <summary>
/// Fits a <see cref="ConfidenceModel"/>: for each answer kind, an L2-regularised logistic regression of correctness
/// on the signals that kind's generator reports, by Newton's method (deterministic; a handful of features). Every
/// dataset weighs the same in the fit, however many questions it has, so a small set from the domain at hand (the
/// samples) counts as much as a large one from elsewhere. A kind with too few answers, or with only right or only
/// wrong ones, gets its smoothed base rate.
/// </summary>
public static class ConfidenceFit
{
    /// <summary>The signals each kind is modelled on: what its generator measures, plus evidence coverage and linking.</summary>
    public static IReadOnlyDictionary<AnswerKind, IReadOnlyList<string>> Features { get; } = new Dictionary<AnswerKind, IReadOnlyList<string>>
    {
        [AnswerKind.Chain] = ["coverage", "unmatched", "quoted", "margin", "chainSteps", "evidence", "missing", "ambiguousLinks"],
        [AnswerKind.Span] = ["typeFit", "support", "margin", "rank", "answerPassages", "evidence", "missing", "ambiguousLinks"],
        [AnswerKind.YesNo] = ["subjectsFound", "evidence"],
        [AnswerKind.Option] = ["optionsFound", "byYear", "byValue", "margin", "evidence"],
    };

    private const int MinimumAnswers = 8;

    public static ConfidenceModel Fit(IReadOnlyList<CalibrationSample> samples, double l2 = 1.0, double threshold = 0.5, string description = "")
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfNegative(l2);
        var datasets = samples.GroupBy(s => s.Dataset, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var kinds = new Dictionary<AnswerKind, LogisticModel>();
        foreach (var (kind, features) in Features)
        {
            var rows = samples.Where(s => s.Kind == kind).ToList();
            var weights = rows.Select(r => samples.Count / (double)(datasets.Count * datasets[r.Dataset])).ToList();
            kinds[kind] = FitKind(rows, weights, features, l2);
        }

        return new ConfidenceModel { Description = description, Threshold = threshold, Kinds = kinds };
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
            checks.Add(new CalibrationCheck(
                dataset, held.Count, held.Count(h => h.Correct), Reliability.ExpectedCalibrationError(held), Reliability.Auroc(held)));
        }

        return checks;
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
