using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
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
            CliOptions.Verbose,
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

    /// <summary>
    /// Runs one command line and returns its exit code, always one of <see cref="ExitCodes"/>: whatever a command
    /// throws ends in one line on <paramref name="error"/> (the stack trace too with <c>--verbose</c>), never in an
    /// unhandled exception.
    /// </summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(Build(output, error), args, output, error, cancellationToken);

    /// <summary>Runs <paramref name="args"/> against <paramref name="root"/> (the commands of <see cref="Build"/>, or a test's).</summary>
    internal static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var verbose = args.Contains(CliOptions.Verbose.Name, StringComparer.Ordinal);
        try
        {
            var parse = root.Parse(args);
            if (args.Length == 0)
            {
                // A bare `graphrag` is someone finding their way: the overview, but not a success.
                await root.Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
                return ExitCodes.Error;
            }

            if (UsageErrors(parse) is { Count: > 0 } usage)
            {
                foreach (var line in usage)
                {
                    await error.WriteLineAsync("error: " + line);
                }

                await error.WriteLineAsync($"Run '{CommandPath(parse.CommandResult)} --help' for usage.");
                return ExitCodes.Error;
            }

            var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
            return await parse.InvokeAsync(configuration, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C (the parser cancels the command's token) or the caller's token.
            await error.WriteLineAsync("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (StoreNotFoundException ex)
        {
            await error.WriteLineAsync($"error: no store at '{ex.Location}'; run 'graphrag ingest <path>' first (with the same --db), or check the path");
            return ExitCodes.Error;
        }
        catch (Exception ex) when (ex is GraphRagException or ValidationException or SqliteException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync("error: " + OneLine(ex.Message));
            await WriteDetailsAsync(error, ex, verbose);
            return ExitCodes.Error;
        }
        catch (Exception ex)
        {
            // A bug: say so in one line; the stack trace is for --verbose (and for the report).
            await error.WriteLineAsync(
                $"error: unexpected {ex.GetType().Name}: {OneLine(ex.Message)} (this is a bug; run again with --verbose for the stack trace)");
            await WriteDetailsAsync(error, ex, verbose);
            return ExitCodes.InternalError;
        }
    }

    /// <summary>
    /// What is wrong with the command line (empty when nothing): the parser's errors, or an argument that looks like an option
    /// (<c>--bogus</c> given where a path or question is expected) — an unknown option is never taken as a value. A value
    /// that really starts with '-' goes after <c>--</c>.
    /// </summary>
    internal static IReadOnlyList<string> UsageErrors(ParseResult parse)
    {
        if (parse.Action is HelpAction)
        {
            return [];
        }

        if (parse.Errors.Count > 0)
        {
            return [.. parse.Errors.Select(e => OneLine(e.Message)).Distinct(StringComparer.Ordinal)];
        }

        var optionValues = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        var argumentValues = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        for (SymbolResult? result = parse.CommandResult; result is not null; result = result.Parent)
        {
            if (result is not CommandResult command)
            {
                continue;
            }

            foreach (var child in command.Children)
            {
                var set = child is OptionResult ? optionValues : argumentValues;
                foreach (var token in child.Tokens)
                {
                    set.Add(token);
                }
            }
        }

        foreach (var token in parse.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                break;
            }

            if (token.Type == TokenType.Argument && token.Value.Length > 1 && token.Value[0] == '-'
                && argumentValues.Contains(token) && !optionValues.Contains(token))
            {
                return [$"unknown option '{token.Value}' (a value that starts with '-' goes after '--')"];
            }
        }

        return [];
    }

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is not null; result = result.Parent)
        {
            if (result is CommandResult c)
            {
                names.Add(c.Parent is null ? "graphrag" : c.Command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    private static async Task WriteDetailsAsync(TextWriter error, Exception ex, bool verbose)
    {
        if (verbose)
        {
            await error.WriteLineAsync(ex.ToString());
        }
    }

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
