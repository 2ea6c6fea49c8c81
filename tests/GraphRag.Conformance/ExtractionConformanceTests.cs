using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;

namespace GraphRag.Conformance;

/// <summary>
/// What `ingest --llm` needs of a store: provenance (which extractor found each mention and piece of relation evidence)
/// read back as written, and the extraction cache — written with its document, found by key from any document, kept
/// across a replacement for the chunk text the new version still has, and deleted with its document.
/// </summary>
public abstract partial class StoreConformanceTests
{
    private const string ModelTag = "llm:test-model";

    /// <summary><see cref="Bundles.WithEntities"/> with every mention and piece of evidence but the first tagged as the model's.</summary>
    private static DocumentBundle ModelTagged(string id, string text, params string[] names)
    {
        var bundle = Bundles.WithEntities(id, text, names);
        var graph = bundle.Graph;
        return bundle with
        {
            Graph = graph with
            {
                Mentions = [.. graph.Mentions.Select((m, i) => i == 0 ? m : m with { Extractor = ModelTag })],
                Relations = [.. graph.Relations.Select(r => r with { Evidence = [.. r.Evidence.Select(e => e with { Extractor = ModelTag })] })],
            },
        };
    }

    private static DocumentBundle WithCache(DocumentBundle bundle, params (int Chunk, string Key, string Reply)[] entries) =>
        bundle with { ExtractionCache = [.. entries.Select(e => new ExtractionCacheEntry(bundle.Chunks[e.Chunk].Id, e.Key, e.Reply))] };

    private async Task<IReadOnlyDictionary<string, string>> RepliesAsync(params string[] keys) =>
        await ExtractionCache!.GetExtractionRepliesAsync(keys);

    [Fact]
    public async Task Provenance_MentionsAndEvidence_ReadBackWithTheirExtractor()
    {
        var bundle = ModelTagged("doc-1", "Ada Lovelace met Charles Babbage in London.", "Ada Lovelace", "Charles Babbage", "London");
        await Writer.UpsertAsync(bundle);

        var mentions = await Graph.GetMentionsAsync(new MentionQuery { EntityIds = [.. bundle.Graph.Entities.Select(e => e.Id)] });
        var relations = await Graph.GetRelationsAsync(new RelationQuery { EntityIds = [.. bundle.Graph.Entities.Select(e => e.Id)] });

        mentions.OrderBy(m => m.Span.Start).Select(m => m.Extractor).Should().Equal(Extractors.Rules, ModelTag, ModelTag);
        relations.Should().HaveCount(2);
        relations.SelectMany(r => r.Evidence).Should().OnlyContain(e => e.Extractor == ModelTag);
    }

    [Fact]
    public async Task Provenance_DeleteThenReingest_GivesIdenticalMentionsAndRelations()
    {
        var a = ModelTagged("a", "Ada Lovelace met Charles Babbage.", "Ada Lovelace", "Charles Babbage");
        var b = Bundles.WithEntities("b", "Charles Babbage lived in London.", "Charles Babbage", "London");
        await Writer.UpsertAsync(a);
        await Writer.UpsertAsync(b);
        var ids = a.Graph.Entities.Concat(b.Graph.Entities).Select(e => e.Id).Distinct().ToList();
        var mentions = await Graph.GetMentionsAsync(new MentionQuery { EntityIds = ids });
        var relations = await Graph.GetRelationsAsync(new RelationQuery { EntityIds = ids });

        await Writer.DeleteAsync("a");
        (await Graph.GetMentionsAsync(new MentionQuery { EntityIds = ids })).Should().OnlyContain(m => m.Extractor == Extractors.Rules);
        await Writer.UpsertAsync(a);

        (await Graph.GetMentionsAsync(new MentionQuery { EntityIds = ids })).Should().BeEquivalentTo(mentions);
        (await Graph.GetRelationsAsync(new RelationQuery { EntityIds = ids })).Should().BeEquivalentTo(relations);
    }

    [Fact]
    public async Task ExtractionCache_WrittenWithDocument_IsFoundByKeyAndGoesWithTheDelete()
    {
        ExtractionCache.Should().NotBeNull("every store keeps the extraction cache");
        await Writer.UpsertAsync(WithCache(Bundles.Create("doc-1", "First paragraph.\n\nSecond paragraph."), (0, "k1", "{\"entities\":[]}"), (1, "k2", "reply two")));

        (await RepliesAsync("k1", "k2", "k3")).Should().BeEquivalentTo(new Dictionary<string, string> { ["k1"] = "{\"entities\":[]}", ["k2"] = "reply two" });

        await Writer.DeleteAsync("doc-1");
        (await RepliesAsync("k1", "k2")).Should().BeEmpty();
    }

    [Fact]
    public async Task ExtractionCache_SameTextInTwoDocuments_SurvivesTheDeleteOfOne()
    {
        await Writer.UpsertAsync(WithCache(Bundles.Create("a", "Shared text."), (0, "k", "reply")));
        await Writer.UpsertAsync(WithCache(Bundles.Create("b", "Shared text."), (0, "k", "reply")));

        await Writer.DeleteAsync("a");

        (await RepliesAsync("k")).Should().ContainKey("k");
        await Writer.DeleteAsync("b");
        (await RepliesAsync("k")).Should().BeEmpty();
    }

    [Fact]
    public async Task ExtractionCache_ReplacedDocument_KeepsRepliesForTextItStillHasAndDropsTheRest()
    {
        await Writer.UpsertAsync(WithCache(Bundles.Create("doc-1", "Kept paragraph.\n\nChanged paragraph."), (0, "kept", "r1"), (1, "gone", "r2")));

        // The new version comes without cache entries (as from an ingest without a model): the kept text's reply stays.
        var outcome = await Writer.UpsertAsync(Bundles.Create("doc-1", "Kept paragraph.\n\nA new paragraph."));

        outcome.Should().Be(WriteOutcome.Replaced);
        (await RepliesAsync("kept", "gone")).Keys.Should().Equal("kept");
    }

    [Fact]
    public async Task ExtractionCache_UnchangedWrite_KeepsTheStoredReplies()
    {
        var bundle = WithCache(Bundles.Create("doc-1", "Some text."), (0, "k", "reply"));
        await Writer.UpsertAsync(bundle);

        (await Writer.UpsertAsync(bundle)).Should().Be(WriteOutcome.Unchanged);

        (await RepliesAsync("k"))["k"].Should().Be("reply");
    }

    [Theory]
    [MemberData(nameof(HostileValues.Strings), MemberType = typeof(HostileValues))]
    public async Task ExtractionCache_HostileKeyAndReply_RoundTripAsData(string hostile)
    {
        await Writer.UpsertAsync(WithCache(Bundles.Create("doc-1", "Some text."), (0, hostile, hostile + "\n" + hostile)));
        await Writer.UpsertAsync(Bundles.Create("doc-2", "Other text."));

        (await RepliesAsync(hostile))[hostile].Should().Be(hostile + "\n" + hostile);
        (await Statistics.GetCountsAsync()).Documents.Should().Be(2);
    }

    [Fact]
    public async Task ExtractionCache_EntryForAnotherDocumentsChunk_IsRefusedWhole()
    {
        var bundle = Bundles.Create("doc-1", "Some text.") with { ExtractionCache = [new ExtractionCacheEntry("chk_elsewhere", "k", "reply")] };

        var write = () => Writer.UpsertAsync(bundle);

        await write.Should().ThrowAsync<ArgumentException>();
        (await Reader.GetDocumentAsync("doc-1")).Should().BeNull();
    }
}
