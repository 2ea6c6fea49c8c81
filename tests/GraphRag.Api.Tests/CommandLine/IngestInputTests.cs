using System.Text;
using System.Text.Json;

namespace GraphRag.Api.Tests.CommandLine;

/// <summary>What <c>graphrag ingest</c> reads and under which ids it stores it.</summary>
public sealed class IngestInputTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-cli-ingest-").FullName;

    private string Db => Path.Combine(_root, "store.db");

    private string Folder(string relative) => Directory.CreateDirectory(Path.Combine(_root, relative)).FullName;

    [Fact]
    public async Task Ingest_Latin1AndUtf16TextFiles_StoresThemDecoded()
    {
        var input = Folder("mixed");
        await File.WriteAllBytesAsync(Path.Combine(input, "ansi.txt"), [.. "Caf"u8, 0xE9, .. " Brennsund\r\n\r\nOpened by S"u8, 0xF8, .. "ren Lie.\r\n"u8]);
        await File.WriteAllBytesAsync(Path.Combine(input, "utf16le.md"), [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("# Skorøy\n\nA harbour town.\n")]);
        await File.WriteAllBytesAsync(Path.Combine(input, "utf16be.txt"), [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes("Tallholm\n\nA fjord village.\n")]);

        var (exit, output, error) = await CliTests.RunAsync("ingest", input, "--no-embeddings", "--db", Db);

        exit.Should().Be(0, error);
        output.Should().StartWith("3 documents (3 added");
        var entity = await CliTests.RunAsync("entities", "--json", "--top", "100", "--db", Db);
        entity.Out.Should().Contain("Søren Lie");
    }

    [Fact]
    public async Task Ingest_IncludeStarMd_IngestsMarkdownInNestedFolders()
    {
        var corpus = Path.Combine(CliTests.RepositoryRoot(), "samples", "corpus");
        var expected = Directory.GetFiles(corpus, "*.md", SearchOption.AllDirectories).Length;

        var (exit, output, error) = await CliTests.RunAsync("ingest", corpus, "--include", "*.md", "--no-embeddings", "--db", Db);

        exit.Should().Be(0, error);
        expected.Should().BeGreaterThan(1);
        output.Should().StartWith($"{expected} documents ({expected} added");
    }

    [Fact]
    public async Task Ingest_IncludeThatMatchesNoFile_SaysSoAndExitsOne()
    {
        var input = Folder("notes");
        await File.WriteAllTextAsync(Path.Combine(input, "a.txt"), "Ada Lovelace met Charles Babbage in London.");

        var (exit, output, error) = await CliTests.RunAsync("ingest", input, "--include", "*.pdf", "--no-embeddings", "--db", Db);

        exit.Should().Be(1);
        error.Should().Contain("failed: include pattern '*.pdf': matched no file");
        output.Should().StartWith("0 documents");
    }

    /// <summary>`ingest world` gave people/x.md, `ingest world/people/x.md` stored it again as x.md, and answers flipped between the two.</summary>
    [Fact]
    public async Task Ingest_FileUnderTheFolderIngestedFirst_KeepsItsIdHoweverItIsNamed()
    {
        var world = Folder("world");
        Directory.CreateDirectory(Path.Combine(world, "people"));
        await File.WriteAllTextAsync(Path.Combine(world, "people", "x.md"), "# Ingrid Halvorsen\n\nIngrid Halvorsen was born in Tallholm.");
        await File.WriteAllTextAsync(Path.Combine(world, "about.txt"), "About\n\nA small world.");

        var folder = await CliTests.RunAsync("ingest", world, "--no-embeddings", "--db", Db);
        var file = await CliTests.RunAsync("ingest", Path.Combine(world, "people", "x.md"), "--no-embeddings", "--db", Db);
        var subfolder = await CliTests.RunAsync("ingest", Path.Combine(world, "people"), "--no-embeddings", "--db", Db);

        folder.Out.Should().StartWith("2 documents (2 added");
        file.Out.Should().StartWith("1 documents (0 added, 0 replaced, 1 unchanged)");
        subfolder.Out.Should().StartWith("1 documents (0 added, 0 replaced, 1 unchanged)");
        (await CliTests.RunAsync("stats", "--json", "--db", Db)).Out.Should().Contain("\"documents\":2,");
        (await CliTests.RunAsync("delete", "people/x.md", "--db", Db)).Exit.Should().Be(0);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
