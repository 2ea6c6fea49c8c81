using System.Text;

namespace GraphRag.Query.Evaluation;

/// <summary>How one answer fared against the gold answers.</summary>
public enum AnswerOutcome
{
    /// <summary>Answered, and the answer matches a gold answer (exact match, or token F1 of at least 0.8).</summary>
    Correct,

    /// <summary>Answered, but not with a gold answer — or a question the corpus cannot answer was answered at all.</summary>
    Wrong,

    /// <summary>Declined with "insufficient information" (right for an unanswerable question, a miss otherwise).</summary>
    Declined,
}

/// <summary>SQuAD answer metrics: normalise (lower case, no punctuation, no articles, single spaces), then exact match and token F1.</summary>
public static class AnswerMetrics
{
    /// <summary>The token F1 from which an answer counts as correct, as the evaluation's acceptance criteria count it.</summary>
    public const double CorrectF1 = 0.8;

    /// <summary>
    /// Correct, wrong or declined: the one rule the demo and reports count answers by. A question without gold answers
    /// is unanswerable, so any answer to it is wrong.
    /// </summary>
    public static AnswerOutcome Judge(string answer, bool declined, IReadOnlyCollection<string> golds)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(golds);
        if (declined)
        {
            return AnswerOutcome.Declined;
        }

        return golds.Count > 0 && (ExactMatch(answer, golds) || F1(answer, golds) >= CorrectF1) ? AnswerOutcome.Correct : AnswerOutcome.Wrong;
    }

    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (!char.IsPunctuation(c) && !char.IsSymbol(c))
            {
                builder.Append(c);
            }
        }

        var words = builder.ToString()
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w is not ("a" or "an" or "the"));
        return string.Join(' ', words);
    }

    /// <summary>Right by exact match or by token F1 of at least 0.8: the correctness confidence is calibrated against.</summary>
    public static bool IsCorrect(string prediction, IEnumerable<string> golds) =>
        !string.IsNullOrWhiteSpace(prediction) && Judge(prediction, declined: false, [.. golds]) == AnswerOutcome.Correct;

    public static bool ExactMatch(string prediction, IEnumerable<string> golds) =>
        golds.Any(g => Normalize(prediction) == Normalize(g));

    public static double F1(string prediction, IEnumerable<string> golds) => golds.Select(g => F1(prediction, g)).DefaultIfEmpty(0).Max();

    public static double F1(string prediction, string gold)
    {
        var predicted = Normalize(prediction).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var expected = Normalize(gold).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (predicted.Length == 0 || expected.Length == 0)
        {
            return predicted.Length == expected.Length ? 1 : 0;
        }

        var counts = expected.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var common = 0;
        foreach (var token in predicted)
        {
            if (counts.TryGetValue(token, out var n) && n > 0)
            {
                counts[token] = n - 1;
                common++;
            }
        }

        if (common == 0)
        {
            return 0;
        }

        var precision = (double)common / predicted.Length;
        var recall = (double)common / expected.Length;
        return 2 * precision * recall / (precision + recall);
    }
}

/// <summary>Retrieval metrics over document ids (a retrieved passage counts for the document it came from).</summary>
public static class RetrievalMetrics
{
    /// <summary>The share of gold documents among the first <paramref name="k"/> distinct retrieved documents.</summary>
    public static double RecallAt(IReadOnlyList<string> rankedDocuments, IReadOnlyCollection<string> gold, int k)
    {
        if (gold.Count == 0)
        {
            return 0;
        }

        var top = rankedDocuments.Distinct(StringComparer.Ordinal).Take(k).ToHashSet(StringComparer.Ordinal);
        return (double)gold.Count(top.Contains) / gold.Count;
    }

    public static bool AllAt(IReadOnlyList<string> rankedDocuments, IReadOnlyCollection<string> gold, int k) =>
        gold.Count > 0 && RecallAt(rankedDocuments, gold, k) >= 1.0;

    /// <summary>The value at quantile <paramref name="q"/> (0–1) by nearest rank.</summary>
    public static double Percentile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(q * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
