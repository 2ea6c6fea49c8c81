using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GraphRag.Api.Hosting;

namespace GraphRag.Api.Cli;

internal static class BenchCommand
{
    public static Command Create(Func<ConsoleUi> ui)
    {
        var command = new Command("bench", "Measure throughput and latency.");
        command.Subcommands.Add(CreateIngest(ui));
        return command;
    }

    private static Command CreateIngest(Func<ConsoleUi> ui)
    {
        var paths = new Argument<string[]>("paths") { Description = "Files and folders to ingest.", Arity = ArgumentArity.OneOrMore };
        var command = new Command(
            "ingest",
            "Ingest into a fresh temporary store (or --db) and report documents/s, MB/s of text and peak memory.")
        {
            paths,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var requested = parse.GetValue(CliOptions.Database);
            var temporary = requested is null ? Path.Combine(Path.GetTempPath(), $"graphrag-bench-{Environment.ProcessId}.db") : null;
            var settings = GraphRagSettings.Load(requested ?? temporary);
            try
            {
                IngestCommand.IngestRun run;
                await using (var engine = await Engine.OpenAsync(settings, cancellationToken))
                {
                    run = await IngestCommand.RunAsync(engine, parse.GetValue(paths)!, console, cancellationToken);
                }

                using var process = Process.GetCurrentProcess();
                process.Refresh();
                var s = run.Summary;
                var seconds = Math.Max(run.Elapsed.TotalSeconds, 1e-6);
                var report = new
                {
                    s.Documents,
                    s.Failed,
                    s.Chunks,
                    TextMegabytes = Math.Round(s.Characters / 1_000_000.0, 3),
                    Seconds = Math.Round(seconds, 3),
                    DocumentsPerSecond = Math.Round(s.Documents / seconds, 1),
                    MegabytesPerSecond = Math.Round(s.Characters / 1_000_000.0 / seconds, 3),
                    PeakWorkingSetMegabytes = Math.Round(process.PeakWorkingSet64 / 1_048_576.0, 1),
                    Parallelism = settings.Ingest.Parallelism,
                };
                if (parse.GetValue(CliOptions.Json))
                {
                    console.WriteJson(report);
                }
                else
                {
                    console.Line(string.Create(
                        CultureInfo.InvariantCulture,
                        $"ingest: {report.Documents} documents, {report.Chunks} chunks, {report.TextMegabytes} MB of text in {report.Seconds} s"));
                    console.Line(string.Create(
                        CultureInfo.InvariantCulture,
                        $"        {report.DocumentsPerSecond} documents/s, {report.MegabytesPerSecond} MB/s, peak working set {report.PeakWorkingSetMegabytes} MB, {report.Parallelism} workers"));
                }

                return s.Failed > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
            }
            finally
            {
                if (temporary is not null)
                {
                    foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
                    {
                        File.Delete(temporary + suffix);
                    }
                }
            }
        });
        return command;
    }
}
