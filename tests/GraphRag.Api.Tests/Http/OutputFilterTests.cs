using GraphRag.Hosting;
using GraphRag.Api.Http;
using GraphRag.Graph.Model;
using GraphRag.Graph.Security;

namespace GraphRag.Api.Tests.Http;

public sealed class OutputFilterTests
{
    private static readonly SensitiveSpan[] Spans = [new(9, 28, "CARD"), new(38, 43, "EMAIL")];

    [Theory]
    [InlineData(0, "card no. 4111 1111 1111 1111 and mail x@y.z done", "card no. [CARD] and mail [EMAIL] done")]
    [InlineData(19, "1111 1111 and mail x@y.z done", "[CARD] and mail [EMAIL] done")]
    [InlineData(0, "card no. 4111 11", "card no. [CARD]")]
    [InlineData(11, "11 1111", "[CARD]")]
    [InlineData(29, "and mail ", "and mail ")]
    public void MaskSpans_MasksEveryPartOfASpanInsideTheText(int start, string text, string expected) =>
        OutputFilter.MaskSpans(text, start, Spans).Should().Be(expected);

    [Fact]
    public void Span_WithPiiGrantOrKeepPolicy_IsUnchanged()
    {
        var sensitive = new Dictionary<string, IReadOnlyList<SensitiveSpan>> { ["d"] = Spans };
        var reader = new OutputFilter(new Caller("carol", [], [Grants.Pii]), new HashSet<string>(), sensitive, _ => "masked");
        var keep = new OutputFilter(new Caller("alice", [], []), new HashSet<string> { "d" }, sensitive, _ => "masked");
        var masked = new OutputFilter(new Caller("alice", [], []), new HashSet<string>(), sensitive, t => t);

        reader.Span("d", 19, "1111 1111").Should().Be("1111 1111");
        keep.Span("d", 19, "1111 1111").Should().Be("1111 1111");
        masked.Span("d", 19, "1111 1111").Should().Be("[CARD]");
    }
}

public sealed class SensitiveSpanBackfillTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphrag-backfill-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Documents stored before spans were recorded (schema 2) get them the first time the engine opens the store.</summary>
    [Fact]
    public async Task Open_StoreWithDocumentsLackingSpans_RecordsThemOverEachWholeText()
    {
        var settings = new GraphRagSettings();
        settings.Store.Path = Path.Combine(_folder, "legacy.db");
        await File.WriteAllTextAsync(Path.Combine(_folder, "bill.txt"), "The fee went to card 4111 1111 1111 1111 on Monday. Nothing else happened.");
        await using (var engine = await Engine.OpenAsync(settings))
        {
            await foreach (var _ in engine.Pipeline.RunAsync([_folder]))
            {
            }

            (await engine.SqliteStore().GetDocumentAsync("bill.txt"))!.Sensitive.Should().ContainSingle();
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + settings.Store.Path);
            await connection.OpenAsync();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE documents SET sensitive = NULL";
            await command.ExecuteNonQueryAsync();
            (await engine.SqliteStore().GetDocumentAsync("bill.txt"))!.Sensitive.Should().BeNull();
        }

        await using (var reopened = await Engine.OpenAsync(settings))
        {
            var document = (await reopened.SqliteStore().GetDocumentAsync("bill.txt"))!;
            document.Sensitive.Should().Equal(new SensitiveSpan(21, 40, "CARD"));
            document.Text[21..40].Should().Be("4111 1111 1111 1111");
        }
    }
}
