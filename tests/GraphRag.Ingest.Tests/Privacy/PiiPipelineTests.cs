using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Privacy;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Tests.Privacy;

public sealed class PiiPipelineTests : IAsyncLifetime
{
    private const string Email = "john.smith@example.com";
    private const string Phone = "+1 415 555 0100";
    private const string Text = "Contact John Smith at " + Email + " or " + Phone + ". John Smith founded Acme Corp in Boston.";

    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-pii-").FullName;
    private SqliteGraphStore _store = null!;

    private string Input => Path.Combine(_root, "input");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Input);
        _store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_root, "store.db") });
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private IngestionPipeline Pipeline(IngestOptions? options = null) => new(
        _store,
        _store,
        new FormatReaderRegistry(),
        new Chunker(new ChunkingOptions { MaxTokens = 64, OverlapTokens = 8 }, new TiktokenTokenCounter()),
        new RuleBasedGraphExtractor(),
        options ?? new IngestOptions { Parallelism = 2 });

    private async Task<List<IngestResult>> IngestAsync(IngestRun run, IngestionPipeline? pipeline = null)
    {
        var results = new List<IngestResult>();
        await foreach (var result in (pipeline ?? Pipeline()).RunAsync(run))
        {
            results.Add(result);
        }

        results.Should().NotContain(r => r.Status == IngestStatus.Failed);
        return results;
    }

    private string WriteRecord(string text, string title = "Contact sheet")
    {
        var path = Path.Combine(Input, "people.jsonl");
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(new { id = "p1", title, text }) + "\n");
        return path;
    }

    private async Task<(IReadOnlyList<Entity> Entities, IReadOnlyList<Mention> Mentions, IReadOnlyList<Relation> Relations)> GraphAsync()
    {
        var entities = await _store.FindEntitiesAsync(new EntitySearch(Limit: 10_000));
        var ids = entities.Select(e => e.Id).ToList();
        var mentions = await _store.GetMentionsAsync(new MentionQuery { EntityIds = ids, Limit = 100_000 });
        var relations = await _store.GetRelationsAsync(new RelationQuery { EntityIds = ids, Limit = 100_000 });
        return (entities, mentions, relations);
    }

    private static IEnumerable<string> GraphStrings((IReadOnlyList<Entity> Entities, IReadOnlyList<Mention> Mentions, IReadOnlyList<Relation> Relations) graph) =>
        graph.Entities.SelectMany(e => e.Aliases.Append(e.Name).Append(e.Key))
            .Concat(graph.Mentions.Select(m => m.Text))
            .Concat(graph.Relations.SelectMany(r => r.Evidence).Select(e => e.Phrase));

    [Fact]
    public async Task Run_RedactPolicy_StoresNoPersonalDataInTextChunksOrGraph()
    {
        await IngestAsync(new IngestRun { Paths = [WriteRecord(Text)], PiiPolicy = PiiPolicy.Redact });

        var document = await _store.GetDocumentAsync("p1");
        document!.Text.Should().Be("Contact John Smith at [EMAIL] or [PHONE]. John Smith founded Acme Corp in Boston.");
        document.Metadata.Should().Contain(IngestionPipeline.PiiPolicyKey, "redact").And.Contain(IngestionPipeline.PiiFoundKey, "2");
        var chunks = await _store.GetDocumentChunksAsync("p1");
        chunks.Should().NotBeEmpty().And.AllSatisfy(c =>
        {
            c.Text.Should().NotContain(Email).And.NotContain("555");
            document.Text[c.Start..c.End].Should().Be(c.Text);
        });
        (await _store.SearchAsync(new LexicalQuery(["example"], []))).Should().BeEmpty();
        var graph = await GraphAsync();
        graph.Entities.Select(e => e.Name).Should().Contain("John Smith").And.NotContain(n => n.Contains("EMAIL") || n.Contains("PHONE"));
        GraphStrings(graph).Should().NotContain(s => s.Contains("example", StringComparison.OrdinalIgnoreCase) || s.Contains("555"));
    }

    [Fact]
    public async Task Run_MaskPolicy_KeepsTextButNoEntityMentionOrEvidenceCarriesPersonalData()
    {
        await IngestAsync(new IngestRun { Paths = [WriteRecord(Text, title: "Reach " + Email)] });

        var document = await _store.GetDocumentAsync("p1");
        document!.Text.Should().Be(Text);
        document.Title.Should().Be("Reach " + Email);
        document.Metadata.Should().Contain(IngestionPipeline.PiiPolicyKey, "mask").And.Contain(IngestionPipeline.PiiFoundKey, "3");
        var graph = await GraphAsync();
        graph.Entities.Select(e => e.Name).Should().Contain("John Smith");
        GraphStrings(graph).Should().NotContain(s =>
            s.Contains("john.smith", StringComparison.OrdinalIgnoreCase) || s.Contains("example", StringComparison.OrdinalIgnoreCase)
            || s.Contains("415") || s.Contains("555") || s.Contains("0100"));
        graph.Mentions.Should().NotBeEmpty().And.AllSatisfy(m => document.Text[m.Span.Start..m.Span.End].Should().Be(m.Text));
        graph.Relations.SelectMany(r => r.Evidence).Should().AllSatisfy(e =>
            e.Span.End.Should().BeLessThanOrEqualTo(document.Text.Length));
        var chunks = await _store.GetDocumentChunksAsync("p1");
        chunks.Should().AllSatisfy(c => document.Text[c.Start..c.End].Should().Be(c.Text));
        string.Concat(chunks.Select(c => c.Text)).Should().Contain(Email);
    }

    [Fact]
    public async Task Run_KeepPolicy_StoresTextAsReadAndStampsMetadata()
    {
        await IngestAsync(new IngestRun { Paths = [WriteRecord(Text)], PiiPolicy = PiiPolicy.Keep });

        var document = await _store.GetDocumentAsync("p1");
        document!.Text.Should().Be(Text);
        document.Metadata.Should().Contain(IngestionPipeline.PiiPolicyKey, "keep").And.Contain(IngestionPipeline.PiiFoundKey, "2");
    }

    [Fact]
    public async Task Run_ReservedMetadataFromRun_IsOverridden()
    {
        await IngestAsync(new IngestRun
        {
            Paths = [WriteRecord("Plain text about Acme Corp in Boston.")],
            Metadata = new Dictionary<string, string> { [IngestionPipeline.PiiPolicyKey] = "keep", [IngestionPipeline.PiiFoundKey] = "99" },
            PiiPolicy = PiiPolicy.Redact,
        });

        var document = await _store.GetDocumentAsync("p1");
        document!.Metadata.Should().Contain(IngestionPipeline.PiiPolicyKey, "redact").And.Contain(IngestionPipeline.PiiFoundKey, "0");
    }

    [Fact]
    public async Task Run_PolicyChanged_ReplacesTheDocument()
    {
        var path = WriteRecord(Text);
        await IngestAsync(new IngestRun { Paths = [path], PiiPolicy = PiiPolicy.Keep });

        var again = await IngestAsync(new IngestRun { Paths = [path], PiiPolicy = PiiPolicy.Keep });
        var changed = await IngestAsync(new IngestRun { Paths = [path], PiiPolicy = PiiPolicy.Redact });

        again.Should().ContainSingle().Which.Status.Should().Be(IngestStatus.Unchanged);
        changed.Should().ContainSingle().Which.Status.Should().Be(IngestStatus.Replaced);
        (await _store.GetDocumentAsync("p1"))!.Text.Should().NotContain(Email);
    }

    [Fact]
    public async Task Run_OptionsPolicy_AppliesWhenTheRunNamesNone()
    {
        var options = new IngestOptions { Parallelism = 1, Pii = new PiiOptions { Policy = PiiPolicy.Redact } };

        await IngestAsync(new IngestRun { Paths = [WriteRecord(Text)] }, Pipeline(options));

        (await _store.GetDocumentAsync("p1"))!.Metadata.Should().Contain(IngestionPipeline.PiiPolicyKey, "redact");
    }

    [Fact]
    public async Task Run_MaskPolicyOnTextWithoutPersonalData_ExtractsWhatKeepExtracts()
    {
        const string plain = "Tomas Lindqvist directed The Quiet Fleet in 1998. He married Ingrid Halvorsen in Oslo.";
        await IngestAsync(new IngestRun { Paths = [WriteRecord(plain)], PiiPolicy = PiiPolicy.Keep });
        var kept = await GraphAsync();

        await IngestAsync(new IngestRun { Paths = [WriteRecord(plain)], PiiPolicy = PiiPolicy.Mask });
        var masked = await GraphAsync();

        masked.Entities.Should().BeEquivalentTo(kept.Entities);
        masked.Mentions.Should().BeEquivalentTo(kept.Mentions);
        masked.Relations.Should().BeEquivalentTo(kept.Relations);
    }
}
