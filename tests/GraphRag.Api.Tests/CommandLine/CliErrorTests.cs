using System.CommandLine;
using GraphRag.Api.Cli;

namespace GraphRag.Api.Tests.CommandLine;

/// <summary>How the command line fails: always a documented exit code and a one-line message, never a crash.</summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-cli-errors-").FullName;

    private string Db => Path.Combine(_root, "store.db");

    /// <summary>
    /// The smallest valid invocation of every command (the test below checks none is missing), each naming only files
    /// under the test's folder.
    /// </summary>
    private static readonly string[][] Invocations =
    [
        ["ingest", "{root}/in"],
        ["query", "Who?"],
        ["stats"],
        ["export", "neo4j", "--out", "{root}/out"],
        ["reembed"],
        ["demo", "--samples", "{root}/samples"],
        ["bench", "ingest", "{root}/in"],
        ["bench", "extract", "{root}/corpus.jsonl"],
        ["bench", "query", "--chunks", "10", "--corpus", "{root}/corpus.jsonl"],
        ["bench", "load", "--url", "http://127.0.0.1:1", "--clients", "1", "--seconds", "1"],
        ["eval", "{root}/dataset"],
        ["calibrate", "{root}/report.json"],
        ["entities"],
        ["entity", "Ada"],
        ["path", "Ada", "Charles"],
        ["delete", "a.txt"],
        ["serve"],
        ["keys", "add", "--principal", "alice"],
        ["keys", "list"],
        ["keys", "revoke", "0123456789ab"],
    ];

    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        foreach (var invocation in Invocations)
        {
            data.Add(string.Join(' ', invocation));
        }

        return data;
    }

    private string[] Arguments(string invocation, params string[] extra) =>
        [.. invocation.Split(' ').Select(a => a.Replace("{root}", _root, StringComparison.Ordinal)), .. extra, "--db", Db];

    [Fact]
    public void Invocations_CoverEveryCommand()
    {
        static IEnumerable<Command> Leaves(Command command) =>
            command.Subcommands.Count == 0 ? [command] : command.Subcommands.SelectMany(Leaves);

        var root = GraphRagCli.Build(TextWriter.Null, TextWriter.Null);

        var invoked = Invocations.Select(i => root.Parse(i).CommandResult.Command);
        Leaves(root).Should().BeSubsetOf(invoked);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task AnyCommand_UnknownOption_ExitsTwoNamingItAndTouchesNoStore(string invocation)
    {
        var (exit, output, error) = await CliTests.RunAsync(Arguments(invocation, "--bogus"));

        exit.Should().Be(2, error);
        error.Should().Contain("'--bogus'").And.Contain("--help");
        output.Should().BeEmpty();
        File.Exists(Db).Should().BeFalse("a command line with an unknown option runs nothing");
    }

    [Fact]
    public async Task Ingest_UnknownFlagBeforePath_IsNotTakenAsAPathAndIngestsNothing()
    {
        var input = Directory.CreateDirectory(Path.Combine(_root, "in")).FullName;
        await File.WriteAllTextAsync(Path.Combine(input, "a.txt"), "Ada Lovelace met Charles Babbage in London.");

        var (exit, _, error) = await CliTests.RunAsync("ingest", "--recursive", input, "--db", Db);

        exit.Should().Be(2);
        error.Should().Contain("unknown option '--recursive'");
        error.Should().NotContain("failed:", "the flag is not read as a path");
        File.Exists(Db).Should().BeFalse();
    }

    [Fact]
    public async Task Query_OptionValueOfWrongType_ExitsTwoInOneLine()
    {
        var (exit, _, error) = await CliTests.RunAsync("query", "Who?", "--top", "many", "--db", Db);

        exit.Should().Be(2);
        error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2).And.Contain(l => l.Contains("'many'"));
    }

    /// <summary>The entity linker threw ArgumentOutOfRangeException on "11-1" and the process died with exit 134.</summary>
    [Fact]
    public async Task Query_QuestionWithRepeatedHyphenPart_AnswersOrDeclinesWithExitZero()
    {
        (await CliTests.RunAsync("ingest", Path.Combine(CliTests.RepositoryRoot(), "samples", "corpus"), "--no-embeddings", "--db", Db)).Exit.Should().Be(0);

        var (exit, output, error) = await CliTests.RunAsync("query", "What game did the team with an 11-1 record play?", "--no-embeddings", "--db", Db);

        exit.Should().Be(0, error);
        output.Should().StartWith("Answer:");
        error.Should().BeEmpty();
    }

    [Fact]
    public async Task Query_Text_PrintsEachAnswerPathOnce()
    {
        (await CliTests.RunAsync("ingest", Path.Combine(CliTests.RepositoryRoot(), "samples", "corpus"), "--no-embeddings", "--db", Db)).Exit.Should().Be(0);

        var (exit, output, error) = await CliTests.RunAsync("query", "Who is married to the director of the documentary 'The Quiet Fleet'?", "--no-embeddings", "--db", Db);

        exit.Should().Be(0, error);
        var paths = output.Split('\n').Where(l => l.StartsWith("Path: ", StringComparison.Ordinal)).ToList();
        paths.Should().NotBeEmpty().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Query_ValueStartingWithDashAfterDoubleDash_IsTheQuestion()
    {
        (await CliTests.RunAsync("ingest", Path.Combine(CliTests.RepositoryRoot(), "samples", "corpus", "people"), "--no-embeddings", "--db", Db)).Exit.Should().Be(0);

        var (exit, output, error) = await CliTests.RunAsync("query", "--no-embeddings", "--db", Db, "--", "-where was Ingrid Halvorsen born?");

        exit.Should().Be(0, error);
        output.Should().StartWith("Answer:");
    }

    [Fact]
    public async Task Run_CommandThrowsUnexpectedException_ExitsThreeWithOneLineAndNoStackTrace()
    {
        var (exit, error) = await RunThrowingAsync();

        exit.Should().Be(3);
        error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle()
            .Which.Should().Be("error: unexpected InvalidOperationException: broken on purpose (this is a bug; run again with --verbose for the stack trace)");
    }

    [Fact]
    public async Task Run_UnexpectedExceptionWithVerbose_PrintsTheStackTraceAfterTheLine()
    {
        var (exit, error) = await RunThrowingAsync("--verbose");

        exit.Should().Be(3);
        error.Should().StartWith("error: unexpected InvalidOperationException").And.Contain("   at ");
    }

    [Fact]
    public async Task Run_NoArguments_PrintsHelpAndExitsTwo()
    {
        var (exit, output, _) = await CliTests.RunAsync();

        exit.Should().Be(2);
        output.Should().Contain("Usage:");
    }

    private static async Task<(int Exit, string Error)> RunThrowingAsync(params string[] extra)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = GraphRagCli.Build(output, error);
        var broken = new Command("broken");
        broken.SetAction((_, _) => Task.FromException<int>(new InvalidOperationException("broken\non purpose")));
        root.Subcommands.Add(broken);

        var exit = await GraphRagCli.RunAsync(root, ["broken", .. extra], output, error);

        return (exit, error.ToString());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
