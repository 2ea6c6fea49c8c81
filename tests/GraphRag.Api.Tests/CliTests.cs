using System.Text.Json;
using GraphRag.Api.Cli;

namespace GraphRag.Api.Tests;

/// <summary>The <c>graphrag</c> command line, end to end on the bundled samples.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-cli-").FullName;

    private string Db => Path.Combine(_root, "cli.db");

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GraphRag.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (GraphRag.sln) above the test binaries.");
    }

    private static string Samples => Path.Combine(RepositoryRoot(), "samples");

    internal static async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GraphRagCli.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Ingest_Samples_StoresEveryDocumentAndReingestLeavesStatsByteIdentical()
    {
        var (exit, _, error) = await RunAsync("ingest", Path.Combine(Samples, "corpus"), "--db", Db);
        exit.Should().Be(0, error);
        var first = (await RunAsync("stats", "--json", "--db", Db)).Out;

        (await RunAsync("ingest", Path.Combine(Samples, "corpus"), "--db", Db)).Exit.Should().Be(0);
        var second = (await RunAsync("stats", "--json", "--db", Db)).Out;

        second.Should().Be(first);
        using var json = JsonDocument.Parse(first);
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("documents", "chunks", "entities", "relations");
        json.RootElement.GetProperty("documents").GetInt32().Should().Be(36);
    }

    [Fact]
    public async Task Delete_SharedDocumentThenIngestAgain_StatsAreByteIdentical()
    {
        var corpus = Path.Combine(Samples, "corpus");
        (await RunAsync("ingest", corpus, "--db", Db)).Exit.Should().Be(0);
        var before = await RunAsync("stats", "--json", "--db", Db);

        var deleted = await RunAsync("delete", "companies/tidewater-robotics.md", "--db", Db);
        var afterDelete = (await RunAsync("stats", "--json", "--db", Db)).Out;
        var reingest = await RunAsync("ingest", corpus, "--db", Db);
        var after = await RunAsync("stats", "--json", "--db", Db);

        deleted.Exit.Should().Be(0, deleted.Error);
        deleted.Out.Should().Contain("deleted companies/tidewater-robotics.md");
        using (var json = JsonDocument.Parse(afterDelete))
        {
            json.RootElement.GetProperty("documents").GetInt32().Should().Be(35);
        }

        reingest.Exit.Should().Be(0, reingest.Error);
        reingest.Out.Should().Contain("36 documents (1 added, 0 replaced, 35 unchanged)");
        after.Exit.Should().Be(0, after.Error);
        after.Out.Should().Be(before.Out);
    }

    [Fact]
    public async Task Delete_UnknownDocument_ExitsOneAndChangesNothing()
    {
        (await RunAsync("ingest", Path.Combine(Samples, "corpus"), "--db", Db)).Exit.Should().Be(0);
        var before = (await RunAsync("stats", "--json", "--db", Db)).Out;

        var (exit, _, error) = await RunAsync("delete", "companies/no-such-company.md", "--db", Db);

        exit.Should().Be(1);
        error.Should().Contain("no document with id 'companies/no-such-company.md'");
        (await RunAsync("stats", "--json", "--db", Db)).Out.Should().Be(before);
    }

    [Fact]
    public async Task Ingest_FolderWithBadFiles_ExitsNonZeroWithOneReasonLinePerBadFile()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "mixed")).FullName;
        var pdf = await File.ReadAllBytesAsync(Directory.GetFiles(Path.Combine(Samples, "corpus"), "*.pdf", SearchOption.AllDirectories)[0]);
        await File.WriteAllBytesAsync(Path.Combine(folder, "truncated.pdf"), pdf[..(pdf.Length / 3)]);
        await File.WriteAllBytesAsync(Path.Combine(folder, "random.docx"), Enumerable.Range(0, 3000).Select(i => (byte)(i * 31 % 256)).ToArray());
        await File.WriteAllTextAsync(Path.Combine(folder, "good.txt"), "Good file\n\nThe lighthouse keeper lives here.");

        var (exit, output, error) = await RunAsync("ingest", folder, "--db", Db);

        exit.Should().Be(1);
        var reasons = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("failed:", StringComparison.Ordinal)).ToList();
        reasons.Should().HaveCount(2);
        reasons.Should().Contain(l => l.Contains("truncated.pdf")).And.Contain(l => l.Contains("random.docx"));
        output.Should().Contain("1 documents (1 added");
        (await RunAsync("stats", "--json", "--db", Db)).Out.Should().Contain("\"documents\":1,");
    }

    [Fact]
    public async Task Query_Json_ReturnsPassagesWhoseSpansMatchTheStoredText()
    {
        await RunAsync("ingest", Path.Combine(Samples, "corpus"), "--db", Db);

        var (exit, output, error) = await RunAsync("query", "Who founded Nautilux Sensing?", "--json", "--db", Db);

        exit.Should().Be(0, error);
        using var json = JsonDocument.Parse(output);
        var citations = json.RootElement.GetProperty("citations");
        citations.GetArrayLength().Should().BeGreaterThan(0);
        foreach (var citation in citations.EnumerateArray())
        {
            var quote = citation.GetProperty("quote").GetString();
            quote.Should().NotBeNullOrEmpty();
        }
    }

    [Fact]
    public async Task Stats_StoreThatIsNotADatabase_FailsWithExitTwoAndAClearMessage()
    {
        await File.WriteAllTextAsync(Db, new string('x', 5000));

        var (exit, _, error) = await RunAsync("stats", "--db", Db);

        exit.Should().Be(2);
        error.Should().Contain("not a GraphRag store");
    }

    [Fact]
    public async Task Demo_IngestsSamplesAndPrintsCitedSpans()
    {
        var (exit, output, error) = await RunAsync("demo", "--samples", Samples, "--db", Db);

        exit.Should().Be(0, error);
        output.Should().Contain("Question:").And.Contain("chars");
    }

    /// <summary>The demo said it answered "the first question" but showed the first one it got right, and never counted wrong answers.</summary>
    [Fact]
    public async Task Demo_CountsCorrectWrongAndDeclinedOverEverySampleQuestion()
    {
        var questions = File.ReadLines(Path.Combine(Samples, "questions.jsonl")).Count(l => l.Trim().Length > 0);

        var (exit, output, error) = await RunAsync("demo", "--samples", Samples, "--no-embeddings", "--db", Db);

        exit.Should().Be(0, error);
        var counts = System.Text.RegularExpressions.Regex.Match(output, @"(\d+) sample questions: (\d+) correct, (\d+) wrong, (\d+) declined");
        counts.Success.Should().BeTrue(output);
        var n = counts.Groups.Values.Skip(1).Select(g => int.Parse(g.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        n[0].Should().Be(questions);
        (n[1] + n[2] + n[3]).Should().Be(questions);
        output.Should().NotContain("first question").And.Contain("answered correctly along a relation path");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
