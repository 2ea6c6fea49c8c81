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
        var command = new Command("demo", "Ingest the bundled samples, answer a sample question and print the cited spans.") { samples };
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

            // Every sample question, summarised; then one answered multi-hop question and one the corpus cannot answer, in full.
            var results = new List<(EvalQuestion Question, QueryResult Result)>();
            foreach (var question in questions)
            {
                results.Add((question, await engine.Query.QueryAsync(new QueryRequest { Question = question.Question }, cancellationToken)));
            }

            var correct = results.Count(r => !r.Result.InsufficientEvidence && AnswerMetrics.ExactMatch(r.Result.Answer, r.Question.Answers));
            var declined = results.Where(r => r.Result.InsufficientEvidence).ToList();
            console.Line();
            console.Line($"{results.Count} sample questions: {correct} answered correctly, {declined.Count} declined with \"insufficient information\" "
                + $"({declined.Count(r => r.Question.Type == "unanswerable")} of {results.Count(r => r.Question.Type == "unanswerable")} unanswerable ones among them).");
            var shown = results.FirstOrDefault(r => r.Result.Paths.Count > 0 && AnswerMetrics.ExactMatch(r.Result.Answer, r.Question.Answers))
                is { Question: not null } answered ? answered : results[0];
            foreach (var (question, result) in new[] { shown }.Concat(declined.Where(r => r.Question.Type == "unanswerable").Take(1)))
            {
                console.Line();
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
