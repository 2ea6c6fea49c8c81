using GraphRag.Graph;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Chunking;

namespace GraphRag.Ingest.Tests.Chunking;

public sealed class ChunkerTests
{
    private static readonly ITokenCounter Tokens = new TiktokenTokenCounter();

    private static Document Doc(string text, IReadOnlyList<DocumentRegion>? regions = null) => new()
    {
        Id = "doc",
        Source = "doc.txt",
        Title = "Doc",
        MediaType = "text/plain",
        Text = text,
        ContentHash = StableId.Hash(text),
        Regions = regions ?? [],
    };

    private static string Sentences(int count) => string.Join(
        " ", Enumerable.Range(1, count).Select(i => $"Sentence number {i} talks about the lighthouse keeper and the harbour."));

    [Fact]
    public void Chunk_EveryChunkTextIsTheDocumentTextAtItsSpan()
    {
        var document = Doc(Sentences(60) + "\n\n" + Sentences(20));

        var chunks = new Chunker(new ChunkingOptions { MaxTokens = 64, OverlapTokens = 16 }, Tokens).Chunk(document);

        chunks.Should().HaveCountGreaterThan(5);
        chunks.Should().AllSatisfy(c => document.Text[c.Start..c.End].Should().Be(c.Text));
        chunks.Select(c => c.Ordinal).Should().Equal(Enumerable.Range(0, chunks.Count));
    }

    [Fact]
    public void Chunk_RespectsTheTokenBudgetAndCountsWithinOneTokenOfAStandaloneCount()
    {
        var chunks = new Chunker(new ChunkingOptions { MaxTokens = 64, OverlapTokens = 0 }, Tokens).Chunk(Doc(Sentences(50) + "\n\n" + Sentences(7)));

        chunks.Should().AllSatisfy(c =>
        {
            c.TokenCount.Should().BeLessThanOrEqualTo(64);
            // Counted from the document's single tokenisation; a boundary token may differ from re-tokenising the chunk.
            c.TokenCount.Should().BeCloseTo(Tokens.CountTokens(c.Text), 1);
        });
    }

    [Fact]
    public void Chunk_SplitsOnlyBetweenSentencesWhenSentencesFit()
    {
        var document = Doc(Sentences(40));

        var chunks = new Chunker(new ChunkingOptions { MaxTokens = 64, OverlapTokens = 0 }, Tokens).Chunk(document);

        chunks.Should().AllSatisfy(c =>
        {
            c.Text.Should().StartWith("Sentence number");
            c.Text.Should().EndWith("harbour.");
        });
    }

    [Fact]
    public void Chunk_WithOverlap_RepeatsTrailingSentencesAndCoversEverything()
    {
        var document = Doc(Sentences(40));

        var chunks = new Chunker(new ChunkingOptions { MaxTokens = 64, OverlapTokens = 20 }, Tokens).Chunk(document);

        for (var i = 1; i < chunks.Count; i++)
        {
            chunks[i].Start.Should().BeLessThan(chunks[i - 1].End, "consecutive chunks overlap by a sentence");
            chunks[i].Start.Should().BeGreaterThan(chunks[i - 1].Start, "every chunk moves forward");
        }

        chunks[0].Start.Should().Be(0);
        chunks[^1].End.Should().Be(document.Text.Length);
    }

    [Fact]
    public void Chunk_OneSentenceOverBudget_IsSplitAtWordBoundaries()
    {
        var longSentence = string.Join(" ", Enumerable.Range(0, 400).Select(i => $"word{i}")) + ".";
        var document = Doc("Short one. " + longSentence + " Short two.");

        var chunks = new Chunker(new ChunkingOptions { MaxTokens = 50, OverlapTokens = 0 }, Tokens).Chunk(document);

        chunks.Should().HaveCountGreaterThan(5);
        chunks.Should().AllSatisfy(c =>
        {
            c.TokenCount.Should().BeLessThanOrEqualTo(50);
            document.Text[c.Start..c.End].Should().Be(c.Text);
            c.Text.Should().NotStartWith(" ").And.NotEndWith(" ");
        });
        string.Join(" ", chunks.Select(c => c.Text)).Replace("  ", " ").Should().Be(document.Text);
    }

    [Fact]
    public void Chunk_SameDocumentTwice_GivesIdenticalIds()
    {
        var chunker = new Chunker(new ChunkingOptions(), Tokens);

        chunker.Chunk(Doc(Sentences(30))).Select(c => c.Id).Should().Equal(chunker.Chunk(Doc(Sentences(30))).Select(c => c.Id));
    }

    [Fact]
    public void Chunk_TakesPageAndSectionFromRegions()
    {
        var page1 = "Page one text here with several more words.";
        var page2 = "Page two text here with several more words.";
        var text = page1 + "\n\n" + page2;
        var regions = new List<DocumentRegion>
        {
            new(0, page1.Length, 1, null),
            new(page1.Length + 2, text.Length, 2, null),
            new(page1.Length + 2, text.Length, null, "Intro > Details"),
        };

        var chunks = new Chunker(new ChunkingOptions { MaxTokens = 16, OverlapTokens = 0 }, Tokens).Chunk(Doc(text, regions));

        chunks.Should().HaveCount(2);
        chunks[0].Page.Should().Be(1);
        chunks[0].Section.Should().BeNull();
        chunks[1].Page.Should().Be(2);
        chunks[1].Section.Should().Be("Intro > Details");
    }

    [Fact]
    public void Constructor_OverlapNotBelowBudget_Throws()
    {
        var create = () => new Chunker(new ChunkingOptions { MaxTokens = 32, OverlapTokens = 32 }, Tokens);

        create.Should().Throw<ArgumentException>();
    }
}
