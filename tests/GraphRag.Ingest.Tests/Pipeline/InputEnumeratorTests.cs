using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Tests.Readers;

namespace GraphRag.Ingest.Tests.Pipeline;

public sealed class InputEnumeratorTests : IDisposable
{
    private static readonly string[] Supported = [".md", ".txt", ".pdf"];

    private readonly TempFolder _folder = new();

    public InputEnumeratorTests()
    {
        _folder.Write("top.md", "# Top");
        _folder.Write("notes.txt", "Notes");
        _folder.Write("docs/guide.md", "# Guide");
        _folder.Write("docs/deep/more.md", "# More");
        _folder.Write("drafts/old.md", "# Old");
    }

    public void Dispose() => _folder.Dispose();

    private List<string> Enumerate(string[] include, string[] exclude, List<string>? unmatched = null) =>
        InputEnumerator.Enumerate([_folder.Path], Supported, include, exclude, new List<string>(), unmatched).Select(f => f.RelativePath).ToList();

    /// <summary>`--include "*.md"` matched only the folder's top level, silently leaving out every nested file.</summary>
    [Fact]
    public void Enumerate_IncludeWithoutSlash_MatchesFileNamesAtAnyDepth() =>
        Enumerate(["*.md"], []).Should().Equal("docs/deep/more.md", "docs/guide.md", "drafts/old.md", "top.md");

    [Theory]
    [InlineData("/*.md", new[] { "top.md" })]
    [InlineData("docs/*.md", new[] { "docs/guide.md" })]
    [InlineData("docs/**/*.md", new[] { "docs/deep/more.md", "docs/guide.md" })]
    [InlineData("**/guide.md", new[] { "docs/guide.md" })]
    public void Enumerate_IncludeWithSlash_IsRelativeToTheFolder(string include, string[] expected) =>
        Enumerate([include], []).Should().Equal(expected);

    [Fact]
    public void Enumerate_ExcludeWithoutSlash_ExcludesAtAnyDepth() =>
        Enumerate([], ["old.md", "*.txt"]).Should().Equal("docs/deep/more.md", "docs/guide.md", "top.md");

    [Fact]
    public void Enumerate_IncludeThatMatchesNothing_IsReportedUnmatched()
    {
        var unmatched = new List<string>();

        var files = Enumerate(["*.pdf", "*.txt"], [], unmatched);

        files.Should().Equal("notes.txt");
        unmatched.Should().Equal("*.pdf");
    }

    [Fact]
    public void Enumerate_OnlyFileArguments_ReportsNoUnmatchedInclude()
    {
        var unmatched = new List<string>();

        InputEnumerator.Enumerate([Path.Combine(_folder.Path, "notes.txt")], Supported, ["*.pdf"], [], new List<string>(), unmatched);

        unmatched.Should().BeEmpty("globs apply to folder arguments only");
    }
}
