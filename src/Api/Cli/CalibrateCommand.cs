using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GraphRag.Query.Answering;
using GraphRag.Query.Evaluation;

namespace GraphRag.Api.Cli;

/// <summary>
/// Fits the confidence model from evaluation reports: every question's best candidate answer, its signals and whether
/// it was right. Prints how the fit does on each dataset when fitted on the others, and writes the model.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create(Func<ConsoleUi> ui)
    {
        var reports = new Argument<string[]>("reports")
        {
            Description = "Reports written by `graphrag eval --out` (hybrid mode), one per dataset.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string?>("--out") { Description = "Write the fitted model (JSON) here; GraphRag:Query:ConfidenceModel reads it." };
        var l2 = new Option<double>("--l2") { Description = "L2 penalty on the weights (larger is smoother).", DefaultValueFactory = _ => 1.0 };
        var threshold = new Option<double?>("--threshold")
        {
            Description = "Decline answers whose probability of being right is below this (0-1). Default: chosen from the fit, "
                + "where right minus wrong answers (each dataset weighed the same) is highest.",
        };
        var command = new Command("calibrate", "Fit the answer-confidence model from `graphrag eval --out` reports and check it across datasets.")
        {
            reports, output, l2, threshold,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var penalty = parse.GetValue(l2);
            var cut = parse.GetValue(threshold);
            if (penalty < 0 || cut is < 0 or > 1 || (cut is { } c && double.IsNaN(c)))
            {
                console.Fail("--l2 must be at least 0 and --threshold between 0 and 1");
                return ExitCodes.Error;
            }

            var samples = new List<CalibrationSample>();
            foreach (var file in parse.GetValue(reports)!)
            {
                if (!File.Exists(file))
                {
                    console.Fail($"no report at {file}");
                    return ExitCodes.Error;
                }

                var report = ReadReport(await File.ReadAllTextAsync(file, cancellationToken));
                if (report?.PerQuestion is not { } outcomes)
                {
                    console.Fail($"{file} is not a single-mode report with per-question outcomes (write it with `graphrag eval --out`)");
                    return ExitCodes.Error;
                }

                samples.AddRange(outcomes
                    .Where(o => o.Candidate.Length > 0 && Enum.TryParse<AnswerKind>(o.Kind, out _))
                    .Select(o => new CalibrationSample(report.Dataset, Enum.Parse<AnswerKind>(o.Kind), o.Signals, o.Answerable && o.CandidateCorrect)));
            }

            var names = samples.Select(s => s.Dataset).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var model = ConfidenceFit.Fit(
                samples, penalty, cut,
                $"Fitted by `graphrag calibrate` on {string.Join(", ", names)} ({samples.Count} answers, l2 {penalty.ToString(CultureInfo.InvariantCulture)}).");
            foreach (var (kind, logistic) in model.Kinds)
            {
                var rows = samples.Where(s => s.Kind == kind).ToList();
                var weights = string.Join(", ", logistic.Weights.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Key} {w.Value:F2}"))
                    .Concat(logistic.Caps.Select(c => string.Create(CultureInfo.InvariantCulture, $"at most {c.Value:F2} with {c.Key}"))));
                console.Line(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{kind,-7} {rows.Count,4} answers, {rows.Count(r => r.Correct),3} right; bias {logistic.Bias:F2}{(weights.Length > 0 ? "; " + weights : string.Empty)}"));
            }

            console.Line(string.Create(
                CultureInfo.InvariantCulture,
                $"threshold {model.Threshold:F2} ({(cut is null ? "chosen from the fit: most right minus wrong answers, each dataset weighed the same" : "--threshold")})"));
            foreach (var dataset in names)
            {
                var scored = samples.Where(s => s.Dataset == dataset).Select(s => (P: model.Probability(s.Kind, s.Signals), s.Correct)).ToList();
                var answered = scored.Where(s => s.P >= model.Threshold).ToList();
                var confident = scored.Where(s => s.P >= 0.8).ToList();
                console.Line(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {dataset,-14} in sample: ECE {Reliability.ExpectedCalibrationError(scored):F3}, AUROC {Reliability.Auroc(scored):F3}; "
                    + $"answered {answered.Count(a => a.Correct)} right, {answered.Count(a => !a.Correct)} wrong; {confident.Count} at >= 0.8, {confident.Count(a => a.Correct)} right"));
            }

            console.Line("held out (each dataset scored by a model fitted on the others):");
            foreach (var check in ConfidenceFit.CrossCheck(samples, penalty))
            {
                console.Line(string.Create(
                    CultureInfo.InvariantCulture, $"  {check.Dataset,-14} {check.Answers,4} answers, {check.Correct,3} right: ECE {check.Ece:F3}, AUROC {check.Auroc:F3}; {check.Confident.Answers} at >= 0.8, {check.Confident.Correct} right"));
            }

            if (parse.GetValue(output) is { } modelFile)
            {
                await File.WriteAllTextAsync(modelFile, model.ToJson() + Environment.NewLine, cancellationToken);
                console.Line($"model written to {modelFile}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Reports written before every JSON output took camelCase names used snake_case; both are read.</summary>
    private static readonly JsonSerializerOptions SnakeCaseReports = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static EvalReport? ReadReport(string json)
    {
        var report = JsonSerializer.Deserialize<EvalReport>(json, ApiJson.Cli);
        return report?.PerQuestion is null ? JsonSerializer.Deserialize<EvalReport>(json, SnakeCaseReports) : report;
    }
}
