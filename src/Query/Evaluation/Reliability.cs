namespace GraphRag.Query.Evaluation;

/// <summary>
/// How far confidence can be trusted: expected calibration error (the gap between stated confidence and observed
/// accuracy, over equal-width bins) and AUROC (how well confidence ranks right answers above wrong ones).
/// </summary>
public static class Reliability
{
    /// <summary>Expected calibration error over <paramref name="bins"/> equal-width bins of confidence; 0 when empty.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<(double Confidence, bool Correct)> outcomes, int bins = 10)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (outcomes.Count == 0)
        {
            return 0;
        }

        var error = 0.0;
        foreach (var bin in outcomes.GroupBy(o => Math.Min(bins - 1, (int)(Math.Clamp(o.Confidence, 0, 1) * bins))))
        {
            var accuracy = bin.Average(o => o.Correct ? 1.0 : 0.0);
            var confidence = bin.Average(o => o.Confidence);
            error += bin.Count() / (double)outcomes.Count * Math.Abs(accuracy - confidence);
        }

        return error;
    }

    /// <summary>
    /// The probability that a right answer has higher confidence than a wrong one (ties count half); 0.5 when only
    /// one kind of outcome is present, where the figure says nothing.
    /// </summary>
    public static double Auroc(IReadOnlyList<(double Confidence, bool Correct)> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var right = outcomes.Where(o => o.Correct).Select(o => o.Confidence).ToList();
        var wrong = outcomes.Where(o => !o.Correct).Select(o => o.Confidence).ToList();
        if (right.Count == 0 || wrong.Count == 0)
        {
            return 0.5;
        }

        var sum = 0.0;
        foreach (var r in right)
        {
            foreach (var w in wrong)
            {
                sum += r > w ? 1 : r == w ? 0.5 : 0;
            }
        }

        return sum / (right.Count * (double)wrong.Count);
    }
}
