using System.CommandLine;
using System.Globalization;
using GraphRag.Bench;

namespace GraphRag.Api.Cli;

/// <summary><c>bench load</c>: the command around <see cref="LoadTest"/>.</summary>
internal static class LoadCommand
{
    public static Command Create(Func<ConsoleUi> ui)
    {
        var url = new Option<string>("--url") { Description = "Base URL of a running graphrag serve on this machine (http(s)://localhost, 127.0.0.0/8 or [::1]).", Required = true };
        var key = new Option<string?>("--key") { Description = "API key sent as 'Authorization: Bearer KEY'." };
        var clients = new Option<int>("--clients") { Description = $"Concurrent clients (1-{LoadTest.MaxClients}).", Required = true };
        var seconds = new Option<int>("--seconds") { Description = $"How long to send requests (1-{LoadTest.MaxSeconds}).", Required = true };
        var questions = new Option<string?>("--questions") { Description = "JSONL file whose lines have a \"question\" field, used in turn (default: a small built-in list)." };
        var mode = new Option<string>("--mode") { Description = "Retrieval mode sent with each question: hybrid, bm25, graph or vector (the server needs embeddings for vector).", DefaultValueFactory = _ => "hybrid" };
        var k = new Option<int>("--k") { Description = $"Passages asked for (1-{LoadTest.MaxK}).", DefaultValueFactory = _ => 5 };
        var command = new Command(
            "load",
            "Load-test a graphrag serve on this machine: N clients post to /v1/query for S seconds; requests/s, errors by kind, latency p50/p95/p99/max.")
        {
            url, key, clients, seconds, questions, mode, k,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var endpoint = LoadTest.ParseTarget(parse.GetValue(url)!);
            LoadTest.CheckBounds(parse.GetValue(clients), parse.GetValue(seconds), parse.GetValue(mode)!, parse.GetValue(k));
            var file = parse.GetValue(questions);
            var list = file is null ? LoadTest.BuiltInQuestions : await LoadTest.ReadQuestionsAsync(file, cancellationToken);
            var options = new LoadOptions(
                endpoint, parse.GetValue(key), parse.GetValue(clients), TimeSpan.FromSeconds(parse.GetValue(seconds)), list, parse.GetValue(mode)!, parse.GetValue(k));
            var report = await LoadTest.RunAsync(options, cancellationToken);
            if (parse.GetValue(CliOptions.Json))
            {
                console.WriteJson(report);
            }
            else
            {
                Print(console, report);
            }

            return report.Errors > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
        });
        return command;
    }

    private static void Print(ConsoleUi console, LoadReport report)
    {
        string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        console.Line(F($"target      {report.Url}"));
        console.Line(F($"clients     {report.Clients}"));
        console.Line(F($"seconds     {report.Seconds:F2}"));
        console.Line(F($"requests    {report.Requests}"));
        console.Line(F($"requests/s  {report.RequestsPerSecond:F1}"));
        console.Line(F($"errors      {report.Errors}"));
        foreach (var (kind, count) in report.ErrorsByKind)
        {
            console.Line(F($"  {kind,-40} {count}"));
        }

        var l = report.LatencyMs;
        console.Line(F($"latency ms  p50 {l.P50:F2}   p95 {l.P95:F2}   p99 {l.P99:F2}   max {l.Max:F2}   ({l.Count} responses)"));
    }

}
