using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Lexical;

namespace GraphRag.Graph.Tests;

/// <summary>
/// The in-memory lexical index on its own: BM25 over documents applied and removed, phrases and the analyser. What a
/// store's index must do for callers (scoped equals alone, work per caller, staleness) is in the conformance suites.
/// </summary>
public sealed class LexicalIndexTests
{
    [Fact]
    public void Index_AfterManyDeletes_CompactsAndStillEqualsAFreshIndex()
    {
        using var churned = new LexicalIndex();
        using var fresh = new LexicalIndex();
        var documents = Enumerable.Range(0, 3000)
            .Select(i => IndexedDocument.Create($"d{i}", $"Title {i % 7}", [], [($"c{i}", $"Harbour light {i % 13} keeper {(i % 2 == 0 ? "lamp" : "fog")} log")]))
            .ToList();
        churned.Apply(1, [], documents);
        churned.Apply(2, documents.Where((_, i) => i % 3 != 0).Select(d => d.DocumentId), []);
        fresh.Apply(1, [], documents.Where((_, i) => i % 3 == 0));

        var query = new LexicalQuery(["keeper", "lamp", "4"], ["harbour light"], 50);

        churned.DocumentCount.Should().Be(1000);
        churned.Search(query).Should().Equal(fresh.Search(query));
    }

    [Fact]
    public void Phrase_MatchesConsecutiveTermsInOneColumnAndTitlesWeighDouble()
    {
        using var index = new LexicalIndex();
        index.Apply(1, [], [
            IndexedDocument.Create("phrase", "Notes", [], [("p", "He sailed from New York to Boston.")]),
            IndexedDocument.Create("apart", "Notes", [], [("a", "New ships sailed to York.")]),
            IndexedDocument.Create("title", "New York", [], [("t", "A city guide.")]),
        ]);

        var hits = index.Search(new LexicalQuery([], ["New York"]));

        hits.Select(h => h.DocumentId).Should().Equal("title", "phrase");
    }

    [Theory]
    [InlineData("Connected", "connect")]
    [InlineData("connecting", "connect")]
    [InlineData("generalization", "gener")]
    [InlineData("skies", "ski")]
    [InlineData("Café", "cafe")]
    [InlineData("naïve", "naiv")]
    [InlineData("ÆRØ", "ærø")]
    [InlineData("agreed", "agre")]
    [InlineData("hopping", "hop")]
    [InlineData("at", "at")]
    public void Analyzer_FoldsAndStemsAsFts5PorterUnicode61(string word, string term)
    {
        TextAnalyzer.Terms(word).Should().Equal(term);
    }

    [Fact]
    public void Analyzer_SplitsOnPunctuationAndKeepsPositions()
    {
        var positions = new List<(string, int)>();
        TextAnalyzer.Tokenize("Don't stop—the 2,500 x²-rays!", (t, p) => positions.Add((t.ToString(), p)));

        positions.Should().Equal(("don", 0), ("t", 1), ("stop", 2), ("the", 3), ("2", 4), ("500", 5), ("x²", 6), ("rai", 7));
    }
}
