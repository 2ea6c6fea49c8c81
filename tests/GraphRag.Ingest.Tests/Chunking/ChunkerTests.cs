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

    /// <summary>
    /// Regression: byte-pair merging is quadratic in one pre-token, and a run without whitespace was one pre-token, so
    /// 400 KB of "xxxx…" took a minute and a few MB hours. Each input here is 3 MB; the chunks must tile it.
    /// </summary>
    [Theory]
    [InlineData("no-whitespace")]
    [InlineData("punctuation")]
    [InlineData("endless-sentence")]
    [InlineData("mixed")]
    public void Chunk_MegabytesOfPathologicalText_TilesTheTextWithinBudget(string kind)
    {
        const int size = 3 * 1024 * 1024;
        var text = kind switch
        {
            "no-whitespace" => new string('x', size),
            "punctuation" => string.Concat(Enumerable.Repeat("!?.,;:-", (size / 7) + 1))[..size],
            "endless-sentence" => string.Concat(Enumerable.Repeat("alpha Beta gamma, delta ", (size / 24) + 1))[..size],
            _ => string.Concat(Enumerable.Repeat(new string('y', 5000) + " " + new string('!', 3000) + " word ", (size / 8012) + 1))[..size],
        };
        var document = Doc(text);

        var chunks = new Chunker(new ChunkingOptions { MaxTokens = 256, OverlapTokens = 0 }, Tokens).Chunk(document);

        chunks.Should().HaveCountGreaterThan(100);
        chunks.Should().AllSatisfy(c =>
        {
            c.TokenCount.Should().BeInRange(1, 256);
            document.Text[c.Start..c.End].Should().Be(c.Text);
        });
        chunks.Zip(chunks.Skip(1)).Should().AllSatisfy(p => p.Second.Start.Should().BeGreaterThanOrEqualTo(p.First.End));
        chunks.Sum(c => c.Text.Count(ch => !char.IsWhiteSpace(ch))).Should().Be(text.Count(ch => !char.IsWhiteSpace(ch)));
    }

    [Fact]
    public void TokenCounter_TextWithoutLongRuns_IsEncodedWhole()
    {
        var text = Sentences(30);

        TiktokenTokenCounter.Pieces(text).Should().Equal((0, text.Length));
    }

    [Fact]
    public void TokenCounter_LongRun_IsCutIntoBoundedPiecesThatTileTheText()
    {
        var text = "Before it. " + new string('z', 1000) + " after it " + new string('q', 300);

        var pieces = TiktokenTokenCounter.Pieces(text);

        pieces.Should().AllSatisfy(p => p.Length.Should().BeGreaterThan(0));
        pieces.Where(p => !text.AsSpan(p.Start, p.Length).ContainsAny(' ', '.')).Should().AllSatisfy(p => p.Length.Should().BeLessThanOrEqualTo(TiktokenTokenCounter.MaxRun));
        pieces.Select(p => p.Start).Should().BeInAscendingOrder();
        pieces.Zip(pieces.Skip(1)).Should().AllSatisfy(p => p.Second.Start.Should().Be(p.First.Start + p.First.Length));
        pieces.Sum(p => p.Length).Should().Be(text.Length);
        Tokens.TokenEnds(text).Should().BeInAscendingOrder().And.HaveElementAt(Tokens.TokenEnds(text).Length - 1, text.Length);
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
