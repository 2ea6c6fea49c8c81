using GraphRag.Graph.Model;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Llm.Extraction;

namespace GraphRag.Llm.Tests;

/// <summary>
/// The extraction cache and the dry run against the fake server: unchanged text is never sent twice (counted on the
/// server), deletes are exact, and a dry run sends nothing, writes nothing and honours the cache.
/// </summary>
public sealed class ModelExtractionCacheTests : ExtractionHarness
{
    private const string First = "Helios Analytics hired a physicist named mara voss in 2003.";
    private const string Second = "Oslo Harbour Works was founded by ingrid halvorsen in 1911.";

    /// <summary>Replies from the chunk text, so the same text always gets the same reply, whenever it is asked.</summary>
    private static FakeReply Respond(ChatRequest request)
    {
        var text = request.Messages[^1].Text;
        if (text.Contains("mara voss", StringComparison.Ordinal))
        {
            return Reply(
                [("mara voss", "Person", "mara voss"), ("Helios Analytics", "Organization", "Helios Analytics")],
                [("mara voss", "employed_by", "Helios Analytics", "Helios Analytics hired a physicist named mara voss")]);
        }

        if (text.Contains("ingrid halvorsen", StringComparison.Ordinal))
        {
            return Reply(
                [("ingrid halvorsen", "Person", "ingrid halvorsen"), ("Oslo Harbour Works", "Organization", "Oslo Harbour Works")],
                [("Oslo Harbour Works", "founded_by", "ingrid halvorsen", "Oslo Harbour Works was founded by ingrid halvorsen")]);
        }

        return Reply([]);
    }

    [Fact]
    public async Task Ingest_UnchangedContentAgain_MakesNoRequest()
    {
        Server.Responder = Respond;
        using var clients = Clients();
        var input = Records(First, Second);
        await IngestAsync(clients, input);
        Server.Requests.Should().HaveCount(2);

        var (again, extractor) = await IngestAsync(clients, input);

        again.Should().OnlyContain(r => r.Status == IngestStatus.Unchanged);
        Server.Requests.Should().HaveCount(2, "a second ingest of unchanged content sends nothing");
        extractor.Report.Requests.Should().Be(0);
    }

    [Fact]
    public async Task Ingest_AfterARunWithoutTheModel_FindsEveryReplyInTheCacheAndRestoresTheSameGraph()
    {
        Server.Responder = Respond;
        using var clients = Clients();
        var input = Records(First, Second);
        await IngestAsync(clients, input);
        var withModel = await DumpAsync(Store);

        // Without the model the documents are re-processed (another pipeline version) and lose what the model found...
        var rulesOnly = await ListAsync(Pipeline(new RuleBasedGraphExtractor()).RunAsync([input]));
        rulesOnly.Should().OnlyContain(r => r.Status == IngestStatus.Replaced);
        (await DumpAsync(Store)).Mentions.Should().OnlyContain(m => m.Extractor == Extractors.Rules);

        // ...but their cached replies stay with the unchanged text: with the model again, nothing is sent.
        var (again, extractor) = await IngestAsync(clients, input);

        again.Should().OnlyContain(r => r.Status == IngestStatus.Replaced);
        Server.Requests.Should().HaveCount(2);
        extractor.Report.CachedChunks.Should().Be(2);
        (await DumpAsync(Store)).Should().BeEquivalentTo(withModel, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Ingest_ChangedDocument_SendsOnlyTheChunksWhoseTextChanged()
    {
        Server.Responder = Respond;
        ChunkTokens = 20;
        using var clients = Clients();
        var record = "First paragraph about Helios Analytics.\n\n" + First + "\n\n" + Second;
        await IngestAsync(clients, RecordsIn("one.jsonl", record));
        var sent = Server.Requests.Count;
        sent.Should().BeGreaterThan(1);

        var (results, extractor) = await IngestAsync(clients, RecordsIn("one.jsonl", record.Replace("First paragraph", "Opening paragraph", StringComparison.Ordinal)));

        results.Should().ContainSingle().Which.Status.Should().Be(IngestStatus.Replaced);
        (Server.Requests.Count - sent).Should().Be(extractor.Report.Chunks - extractor.Report.CachedChunks);
        extractor.Report.CachedChunks.Should().BeGreaterThan(0);
        Server.Requests.Skip(sent).Select(r => r.Messages.Last().Text).Should().OnlyContain(t => t.Contains("Opening paragraph", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_RemovesExactlyWhatTheDocumentContributed_AndReingestRestoresTheSameGraph()
    {
        Server.Responder = Respond;
        using var clients = Clients();
        await IngestAsync(clients, Records(First, Second));
        var both = await DumpAsync(Store);
        var firstKey = ExtractionPrompt.For(null, RelationVocabulary.BuiltIn).CacheKey(Model, First);
        (await Store.Documents.GetExtractionRepliesAsync([firstKey])).Should().ContainKey(firstKey);

        // The graph of a store that only ever held the second document.
        var alone = await OpenStoreAsync("alone.db");
        await using (alone)
        {
            var second = Path.Combine(Root, "second.jsonl");
            File.WriteAllText(second, File.ReadAllLines(Records(First, Second))[1] + "\n");
            await IngestAsync(clients, new IngestRun { Paths = [second] }, alone);
            await Store.DeleteAsync("d1");

            (await DumpAsync(Store)).Should().BeEquivalentTo(await DumpAsync(alone), o => o.WithStrictOrdering());
        }

        (await Store.Documents.GetExtractionRepliesAsync([firstKey])).Should().BeEmpty("the document's cached replies went with it");
        (await DumpAsync(Store)).Mentions.Should().NotContain(m => m.Text == "mara voss");
        var sent = Server.Requests.Count;

        await IngestAsync(clients, Records(First, Second));

        (await DumpAsync(Store)).Should().BeEquivalentTo(both, o => o.WithStrictOrdering());
        (Server.Requests.Count - sent).Should().Be(1, "only the deleted document's text is asked again");
    }

    [Fact]
    public async Task DryRun_SendsNothingWritesNothingAndCountsThePromptsWithTheModelsTokenizer()
    {
        Server.Responder = Respond;
        using var clients = Clients();
        var extractor = Extractor(clients, Store.Documents);

        var estimates = await ListAsync(Pipeline(extractor).EstimateAsync(new IngestRun { Paths = [Records(First, Second)] }));

        Server.Requests.Should().BeEmpty();
        (await Store.GetCountsAsync()).Documents.Should().Be(0);
        estimates.Select(e => e.Status).Should().Equal(IngestStatus.Added, IngestStatus.Added);
        var requests = estimates.SelectMany(e => e.Cost.Requests).ToList();
        requests.Should().HaveCount(2);
        var tokens = TokenCounter.For(Model);
        var expected = tokens.Count(extractor.Prompt.Messages(First)) + tokens.Count(extractor.Prompt.SchemaText);
        requests[0].InputTokens.Should().Be(expected);
        requests[0].OutputTokens.Should().Be(ModelGraphExtractor.OutputTokensBase + (ModelGraphExtractor.OutputTokensPerChunkToken * tokens.Count(First)));
        requests[0].MaxOutputTokens.Should().Be(400);

        var estimate = ExtractionEstimate.From(estimates, clients, LlmRole.Extraction);
        estimate.Requests.Should().Be(2);
        estimate.InputTokens.Should().Be(requests.Sum(r => (long)r.InputTokens));
        estimate.EstimatedCostUsd.Should().Be(clients.Prices.Cost(Model, estimate.InputTokens, estimate.OutputTokens));
        estimate.WorstCaseCostUsd.Should().Be(clients.Prices.Cost(Model, estimate.InputTokens, 2 * 400));
    }

    [Fact]
    public async Task DryRun_AfterIngest_CachedAndUnchangedTextCostsNothing()
    {
        Server.Responder = Respond;
        using var clients = Clients();
        await IngestAsync(clients, Records(First, Second));
        var sent = Server.Requests.Count;
        // A new title changes the document but none of its chunk text.
        var changed = Path.Combine(Root, "retitled.jsonl");
        File.WriteAllText(changed, "{\"id\":\"d1\",\"title\":\"A new title\",\"text\":\"" + First + "\"}\n{\"id\":\"d3\",\"title\":\"Third\",\"text\":\"Brand new text.\"}\n");

        var estimates = await ListAsync(Pipeline(Extractor(clients, Store.Documents)).EstimateAsync(new IngestRun { Paths = [changed] }));

        Server.Requests.Should().HaveCount(sent);
        estimates.Select(e => (e.DocumentId, e.Status, e.Cost.Requests.Count, e.Cost.CachedChunks)).Should().Equal(
            ("d1", IngestStatus.Replaced, 0, 1), ("d3", IngestStatus.Added, 1, 0));
        var estimate = ExtractionEstimate.From(estimates, clients, LlmRole.Extraction);
        (estimate.Documents, estimate.Unchanged, estimate.Requests, estimate.CachedChunks).Should().Be((2, 0, 1, 1));
    }

    [DatasetFact]
    public async Task DryRun_Musique100_SendsNothingAndEstimatesEveryChunk()
    {
        using var clients = Clients();
        var corpus = Path.Combine(DatasetFactAttribute.DatasetsFolder!, "musique-100", "corpus.jsonl");
        var extractor = Extractor(clients, Store.Documents);

        var estimates = await ListAsync(Pipeline(extractor).EstimateAsync(new IngestRun { Paths = [corpus] }));
        var estimate = ExtractionEstimate.From(estimates, clients, LlmRole.Extraction);

        Server.Requests.Should().BeEmpty();
        (await Store.GetCountsAsync()).Documents.Should().Be(0);
        estimate.Documents.Should().Be(1_890);
        estimate.Requests.Should().Be(estimate.Chunks).And.BeGreaterThanOrEqualTo(1_890);
        estimate.InputTokens.Should().BeGreaterThan(estimate.Requests * 300L, "each request carries the instructions and the schema");
        estimate.EstimatedCostUsd.Should().BeGreaterThan(0);
    }
}
