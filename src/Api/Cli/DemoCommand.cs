using System.CommandLine;
using GraphRag.Hosting;
using GraphRag.Query;
using GraphRag.Query.Evaluation;

namespace GraphRag.Api.Cli;

internal static class DemoCommand
{
    public static Command Create(Func<ConsoleUi> ui)
    {
        var samples = new Option<string?>("--samples") { Description = "The samples folder (default: samples/ found from the working folder upwards)." };
        var command = new Command("demo", "Ingest the bundled samples, ask every sample question and count correct, wrong and declined answers; show one answered question and one the corpus cannot answer, with their cited spans.") { samples };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var folder = parse.GetValue(samples) ?? FindSamples();
            if (folder is null || !Directory.Exists(Path.Combine(folder, "corpus")))
            {
                console.Fail("cannot find the samples folder (samples/corpus); pass --samples <folder>");
                return ExitCodes.Error;
            }

            var settings = CliOptions.LoadSettings(parse, parse.GetValue(CliOptions.Database), StoreUse.Create);
            await using var engine = await Engine.OpenAsync(settings, cancellationToken);
            console.Line($"Ingesting {Path.Combine(folder, "corpus")} into {engine.Location} …");
            var run = await IngestCommand.RunAsync(engine, [Path.Combine(folder, "corpus")], console, cancellationToken);
            console.Line(IngestCommand.Describe(run));

            var questionsFile = Path.Combine(folder, "questions.jsonl");
            var questions = File.Exists(questionsFile) ? await EvalQuestion.LoadAsync(questionsFile, cancellationToken) : [];
            if (questions.Count == 0)
            {
                console.Fail($"no questions in {questionsFile}");
                return ExitCodes.Error;
            }

            // Every sample question, counted as the evaluation counts it; then one question answered correctly along a
            // relation path and one the corpus cannot answer, in full.
            var results = new List<(EvalQuestion Question, QueryResult Result, AnswerOutcome Outcome)>();
            foreach (var question in questions)
            {
                var result = await engine.Query.QueryAsync(new QueryRequest { Question = question.Question }, cancellationToken);
                results.Add((question, result, AnswerMetrics.Judge(result.Answer, result.InsufficientEvidence, [.. question.Answers])));
            }

            int Count(AnswerOutcome outcome) => results.Count(r => r.Outcome == outcome);
            var unanswerable = results.Where(r => r.Question.Type == "unanswerable").ToList();
            console.Line();
            console.Line($"{results.Count} sample questions: {Count(AnswerOutcome.Correct)} correct, {Count(AnswerOutcome.Wrong)} wrong, "
                + $"{Count(AnswerOutcome.Declined)} declined (\"insufficient information\"); "
                + $"{unanswerable.Count(r => r.Outcome == AnswerOutcome.Declined)} of the {unanswerable.Count} the corpus cannot answer were declined.");
            var shown = new List<(string Heading, EvalQuestion Question, QueryResult Result)>();
            if (results.FirstOrDefault(r => r.Outcome == AnswerOutcome.Correct && r.Result.Paths.Count > 0) is { Question: not null } answered)
            {
                shown.Add(("The first sample question answered correctly along a relation path", answered.Question, answered.Result));
            }
            else
            {
                shown.Add(("No sample question was answered correctly along a relation path; the first one", results[0].Question, results[0].Result));
            }

            if (unanswerable.FirstOrDefault() is { Question: not null } cannot)
            {
                shown.Add(($"A question the corpus cannot answer ({(cannot.Outcome == AnswerOutcome.Declined ? "declined" : "answered, wrongly")})", cannot.Question, cannot.Result));
            }

            foreach (var (heading, question, result) in shown)
            {
                console.Line();
                console.Line(heading + ":");
                console.Line($"Question: {question.Question}");
                QueryCommand.Print(console, result);
            }

            console.Line();
            console.Line("Try: graphrag query \"<your question>\"   (add --json for everything)");
            return run.Summary.Failed > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
        });
        return command;
    }

    internal static string? FindSamples()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "samples");
                if (Directory.Exists(Path.Combine(candidate, "corpus")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
