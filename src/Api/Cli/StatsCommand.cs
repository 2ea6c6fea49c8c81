using System.CommandLine;
using GraphRag.Hosting;

namespace GraphRag.Api.Cli;

internal static class StatsCommand
{
    public static Command Create(Func<ConsoleUi> ui)
    {
        var command = new Command("stats", "Count what the store holds.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var settings = CliOptions.LoadSettings(parse, parse.GetValue(CliOptions.Database), StoreUse.Existing);
            await using var engine = await Engine.OpenAsync(settings, cancellationToken);
            var counts = await engine.Statistics.GetCountsAsync(cancellationToken);
            if (parse.GetValue(CliOptions.Json))
            {
                // Exactly the counts: identical contents print identical JSON.
                console.WriteJson(new { counts.Documents, counts.Chunks, counts.Entities, counts.Relations });
            }
            else
            {
                console.Line($"store:     {engine.Location}");
                console.Line($"documents: {counts.Documents}");
                console.Line($"chunks:    {counts.Chunks}");
                console.Line($"entities:  {counts.Entities}");
                console.Line($"relations: {counts.Relations}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
