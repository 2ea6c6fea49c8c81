using FluentAssertions;
using GraphRag.Hosting;
using GraphRag.Query;

namespace GraphRag.Api.Tests.Retrieval;

/// <summary>
/// The seed case of the product: for "information about kings" an embedding puts a passage about a queen closer than
/// one about rulers and governance, yet the rulers passage is what was asked for. Run on the default engine with the
/// bundled local model (no network): the dense channel does prefer the queen passage, and the hybrid ranking still puts
/// the rulers passage first, because only it has lexical and entity evidence; the queen passage is marked vector-only
/// and its association counts for less.
/// </summary>
public sealed class RelevanceOverAssociationTests : IAsyncLifetime
{
    private const string Queen = "The queen and the royal family: crowns, thrones, palaces, coronations and the princes of the monarchy.";
    private const string Rulers = "Public administration: ministries, budgets, taxation and the civil service are directed by the ruler of the state, "
        + "whether a king or an elected president.";

    private readonly string _folder = Directory.CreateTempSubdirectory("graphrag-kings-").FullName;
    private Engine _engine = null!;

    public async Task InitializeAsync()
    {
        var settings = new GraphRagSettings();
        settings.Store.Path = Path.Combine(_folder, "kings.db");
        settings.Embeddings.Enabled.Should().BeTrue("the default engine embeds with the bundled model");
        _engine = await Engine.OpenAsync(settings);
        var files = new Dictionary<string, string>
        {
            ["queen.txt"] = Queen,
            ["rulers.txt"] = Rulers,
            ["harbour.txt"] = "The harbour of Kestrel Bay handles timber and grain. Its lighthouse was rebuilt in 1911 after a winter storm.",
            ["garden.txt"] = "A kitchen garden grows vegetables, herbs and fruit for a household. Raised beds warm quickly in spring.",
        };
        foreach (var (name, text) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(_folder, name), text);
        }

        var embedded = 0;
        await foreach (var result in _engine.Pipeline.RunAsync(files.Keys.Select(n => Path.Combine(_folder, n)).ToList(), null))
        {
            result.Status.Should().Be(GraphRag.Ingest.Pipeline.IngestStatus.Added, result.Reason);
            embedded += result.EmbeddedChunks;
        }

        embedded.Should().Be(4, "every chunk gets a vector from the local model");
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task InformationAboutKings_RanksTheRulersPassageFirst_AndMarksTheQueenPassageVectorOnly()
    {
        var result = await _engine.Query.QueryAsync(new QueryRequest { Question = "information about kings", Mode = QueryMode.Hybrid, TopK = 4, MaxHops = 1 });

        var rulers = result.Passages.Single(p => p.Chunk.DocumentId.EndsWith("rulers.txt", StringComparison.Ordinal));
        var queen = result.Passages.Single(p => p.Chunk.DocumentId.EndsWith("queen.txt", StringComparison.Ordinal));

        // Association: the dense channel alone prefers the queen passage.
        queen.Explanation.Channels["vector"].Should().BeGreaterThan(rulers.Explanation.Channels["vector"]);

        // Relevance: the hybrid ranking puts the rulers passage first, and says why.
        result.Passages[0].Should().BeSameAs(rulers);
        rulers.Explanation.VectorOnly.Should().BeFalse();
        rulers.Explanation.Contributions.Should().ContainKey("bm25").WhoseValue.Should().BeGreaterThan(0);
        rulers.Explanation.Contributions.Should().ContainKey("vector");

        queen.Explanation.VectorOnly.Should().BeTrue("no question word or linked entity supports it");
        queen.Explanation.Contributions.Keys.Should().Equal("vector");
        queen.Score.Should().BeLessThan(rulers.Score);
        queen.Score.Should().BeLessThanOrEqualTo(
            new QueryEngineOptions().VectorOnlyFactor * queen.Explanation.Contributions["vector"] + 1e-6, "association alone is weighed down");
    }
}
