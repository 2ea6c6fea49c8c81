using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Tests.Readers;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("e\u0000\u0301")]
    [InlineData("A\uFEFF\u030A and more")]
    [InlineData(" a \r\n\r\n\r\n b\u2028c ")]
    public void Normalize_AppliedTwice_ChangesNothingMore(string input)
    {
        var once = TextNormalizer.Normalize(input);

        TextNormalizer.Normalize(once).Should().Be(once);
    }
}
