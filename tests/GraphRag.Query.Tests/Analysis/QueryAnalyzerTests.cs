using GraphRag.Query.Analysis;

namespace GraphRag.Query.Tests.Analysis;

public sealed class QueryAnalyzerTests
{
    [Theory]
    [InlineData("an 11-1 record", new[] { "an", "11", "1", "record" })]
    [InlineData("a so-so-so film", new[] { "a", "so", "so", "so", "film" })]
    [InlineData("the 2-2 draw and 2-2-2 split", new[] { "the", "2", "2", "draw", "and", "2", "2", "2", "split" })]
    public void Words_RepeatedHyphenatedPart_EachPartAtItsOwnSpan(string text, string[] expected)
    {
        var words = QueryAnalyzer.Words(text);

        words.Select(w => w.Word).Should().Equal(expected);
        foreach (var (word, start, end) in words)
        {
            text[start..end].Should().Be(word);
        }

        words.Zip(words.Skip(1)).Should().OnlyContain(pair => pair.First.End < pair.Second.Start, "word spans are in order and never overlap");
    }
}
