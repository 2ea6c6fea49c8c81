namespace GraphRag.Api.Tests.CommandLine;

/// <summary>Only commands that write may create a store; the others fail on a path that holds none.</summary>
public sealed class StoreMustExistTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-cli-nostore-").FullName;

    private string Missing => Path.Combine(_root, "typo", "grapgrag.db");

    public static TheoryData<string> ReadingCommands() => new()
    {
        "stats",
        "query|Who founded Nautilux Sensing?",
        "entities",
        "entity|Ingrid Halvorsen",
        "path|Ingrid Halvorsen|Tomas Lindqvist",
        "delete|people/ingrid-halvorsen.md",
        "export|neo4j|--out|{root}/export",
        "reembed",
        "keys|list",
        "keys|revoke|0123456789ab",
    };

    /// <summary>A mistyped --db used to create an empty store and answer from it (0 documents, "insufficient information").</summary>
    [Theory]
    [MemberData(nameof(ReadingCommands))]
    public async Task ReadingCommand_MistypedDb_ExitsTwoSayingThereIsNoStoreAndCreatesNothing(string invocation)
    {
        var args = invocation.Replace("{root}", _root, StringComparison.Ordinal).Split('|');

        // reembed refuses to run without embeddings before it looks for the store.
        string[] embeddings = args[0] == "reembed" ? [] : ["--no-embeddings"];

        var (exit, output, error) = await CliTests.RunAsync([.. args, .. embeddings, "--db", Missing]);

        exit.Should().Be(2, error);
        error.Should().Be($"error: no store at '{Missing}'; run 'graphrag ingest <path>' first (with the same --db), or check the path{Environment.NewLine}");
        output.Should().BeEmpty();
        File.Exists(Missing).Should().BeFalse();
        Directory.Exists(Path.GetDirectoryName(Missing)).Should().BeFalse("not even the folder is created");
    }

    [Fact]
    public async Task Ingest_NewPath_CreatesTheStore()
    {
        var input = Directory.CreateDirectory(Path.Combine(_root, "in")).FullName;
        await File.WriteAllTextAsync(Path.Combine(input, "a.txt"), "Ada Lovelace met Charles Babbage in London.");

        var (exit, _, error) = await CliTests.RunAsync("ingest", input, "--no-embeddings", "--db", Missing);

        exit.Should().Be(0, error);
        (await CliTests.RunAsync("stats", "--json", "--db", Missing)).Out.Should().Contain("\"documents\":1");
    }

    [Fact]
    public async Task KeysAdd_NewPath_CreatesTheStoreForAServerToStartFrom()
    {
        var (exit, _, error) = await CliTests.RunAsync("keys", "add", "--principal", "alice", "--db", Missing);

        exit.Should().Be(0, error);
        File.Exists(Missing).Should().BeTrue();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
