using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using GraphRag.Graph;
using Microsoft.Data.Sqlite;

namespace GraphRag.Api.Cli;

/// <summary>The <c>graphrag</c> command line. The CLI acts as the local administrator of the store it opens.</summary>
public static class GraphRagCli
{
    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        ConsoleUi Ui() => new(output, error);
        var root = new RootCommand("GraphRag: knowledge-graph-augmented retrieval with answers traced to their sources.")
        {
            CliOptions.Database,
            CliOptions.Json,
            CliOptions.NoEmbeddings,
        };
        root.Subcommands.Add(IngestCommand.Create(Ui));
        root.Subcommands.Add(QueryCommand.Create(Ui));
        root.Subcommands.Add(StatsCommand.Create(Ui));
        root.Subcommands.Add(ExportCommand.Create(Ui));
        root.Subcommands.Add(ReembedCommand.Create(Ui));
        root.Subcommands.Add(DemoCommand.Create(Ui));
        root.Subcommands.Add(BenchCommand.Create(Ui));
        root.Subcommands.Add(EvalCommand.Create(Ui));
        root.Subcommands.Add(CalibrateCommand.Create(Ui));
        root.Subcommands.Add(GraphCommands.Entities(Ui));
        root.Subcommands.Add(GraphCommands.Entity(Ui));
        root.Subcommands.Add(GraphCommands.Path(Ui));
        root.Subcommands.Add(GraphCommands.Delete(Ui));
        root.Subcommands.Add(ServeCommand.Create(Ui));
        root.Subcommands.Add(KeysCommand.Create(Ui));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = Build(output, error);
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return await root.Parse(args).InvokeAsync(configuration, cancellationToken);
        }
        catch (Exception ex) when (ex is GraphRagException or ValidationException or SqliteException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return ExitCodes.Error;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled");
            return 130;
        }
    }
}
