using System.Text;
using System.Text.Json;

namespace GraphRag.Api.Tests.Cli;

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

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
