using System.Text.Json;
using System.Text.Json.Serialization;

namespace GraphRag.Query.Answering;

/// <summary>
/// Turns what the engine measured about an answer (<see cref="AnswerDraft.Signals"/>, evidence coverage, linking) into
/// the probability that the answer is right: one logistic model per <see cref="AnswerKind"/>, fitted on questions with
/// known answers (<c>graphrag calibrate</c> over <c>graphrag eval --out</c> reports). The engine declines below
/// <see cref="Threshold"/>, which the fit chooses. The built-in model is fitted on the development sets and the samples;
/// <c>GraphRag:Query:ConfidenceModel</c> names a file fitted on a domain's own questions instead.
/// </summary>
public sealed record ConfidenceModel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>What the model was fitted on and how, for the record.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Answers with a lower probability are declined ("insufficient information").</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>The model for each kind of answer; a kind without one is never confident.</summary>
    public IReadOnlyDictionary<AnswerKind, LogisticModel> Kinds { get; init; } = new Dictionary<AnswerKind, LogisticModel>();

    /// <summary>The model fitted on the development sets and samples, shipped with the engine.</summary>
    public static ConfidenceModel BuiltIn { get; } = LoadBuiltIn();

    /// <summary>The probability that an answer of <paramref name="kind"/> with these signals is right.</summary>
    public double Probability(AnswerKind kind, IReadOnlyDictionary<string, double> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        return Kinds.TryGetValue(kind, out var model) ? model.Probability(signals) : 0;
    }

    public static ConfidenceModel Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ConfidenceModel? model;
        try
        {
            model = JsonSerializer.Deserialize<ConfidenceModel>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new Graph.InvalidInputException($"Not a confidence model: {ex.Message}", ex);
        }

        if (model is null || model.Threshold is < 0 or > 1 || double.IsNaN(model.Threshold))
        {
            throw new Graph.InvalidInputException("Not a confidence model: Threshold must be between 0 and 1.");
        }

        foreach (var (kind, logistic) in model.Kinds)
        {
            if (!double.IsFinite(logistic.Bias) || logistic.Weights.Values.Any(w => !double.IsFinite(w)))
            {
                throw new Graph.InvalidInputException($"Not a confidence model: the {kind} model has a weight that is not a finite number.");
            }

            if (logistic.Caps.Values.Any(c => c is < 0 or > 1 || double.IsNaN(c)))
            {
                throw new Graph.InvalidInputException($"Not a confidence model: the {kind} model has a cap outside 0 to 1.");
            }
        }

        return model;
    }

    public static ConfidenceModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new Graph.InvalidInputException($"No confidence model at {path}.");
        }

        return Parse(File.ReadAllText(path));
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    private static ConfidenceModel LoadBuiltIn()
    {
        using var stream = typeof(ConfidenceModel).Assembly.GetManifestResourceStream("GraphRag.Query.Answering.confidence-model.json")
            ?? throw new InvalidOperationException("The built-in confidence model is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}

/// <summary>
/// <c>p = 1 / (1 + e^-(bias + Σ weight·signal))</c>; a signal the answer lacks counts as 0. An answer with a capped
/// signal set (at 1) gets at most that cap.
/// </summary>
public sealed record LogisticModel(double Bias, IReadOnlyDictionary<string, double> Weights)
{
    /// <summary>
    /// For a yes/no signal that marks answers the sum of the others cannot score, the highest probability such an
    /// answer gets: the rate of right answers among the fitted answers that had it (smoothed). A chain that left one of
    /// the question's relations unfollowed ends at a bridge whose own sentence is clean, so its other signals look as
    /// good as a right answer's; only how often such answers were right says how far to trust one.
    /// </summary>
    public IReadOnlyDictionary<string, double> Caps { get; init; } = new Dictionary<string, double>();

    public double Probability(IReadOnlyDictionary<string, double> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var z = Bias;
        foreach (var (name, weight) in Weights)
        {
            z += weight * signals.GetValueOrDefault(name);
        }

        var p = 1 / (1 + Math.Exp(-z));
        foreach (var (name, cap) in Caps)
        {
            if (signals.GetValueOrDefault(name) >= 1)
            {
                p = Math.Min(p, cap);
            }
        }

        return p;
    }
}
