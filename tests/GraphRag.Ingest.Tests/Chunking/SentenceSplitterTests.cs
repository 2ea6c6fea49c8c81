using GraphRag.Graph.Text;
using GraphRag.Ingest.Chunking;

namespace GraphRag.Ingest.Tests.Chunking;

public sealed class SentenceSplitterTests
{
    private static string[] Split(string text) => SentenceSplitter.Split(text).Select(s => text[s.Start..s.End]).ToArray();

    [Fact]
    public void Split_TerminalPunctuation_SplitsSentences() =>
        Split("The ship sailed. It sank! Why? Nobody knows.").Should().Equal("The ship sailed.", "It sank!", "Why?", "Nobody knows.");

    [Fact]
    public void Split_InitialsAndAbbreviations_DoNotEndSentences() =>
        Split("G. Stanley Hall met Dr. Smith at St. Louis. Then Mr. J. R. Okafor arrived.")
            .Should().Equal("G. Stanley Hall met Dr. Smith at St. Louis.", "Then Mr. J. R. Okafor arrived.");

    [Fact]
    public void Split_LineBreaks_EndSentences() =>
        Split("Heading\nFirst line of text\n\nNext paragraph.").Should().Equal("Heading", "First line of text", "Next paragraph.");

    [Fact]
    public void Split_DecimalsAndLowerCaseContinuations_StayTogether() =>
        Split("It cost 3.5 million. the end is near. Done.").Should().Equal("It cost 3.5 million. the end is near.", "Done.");

    [Fact]
    public void Split_QuotesAfterTerminal_BelongToTheSentence() =>
        Split("He said \"Go.\" She left.").Should().Equal("He said \"Go.\"", "She left.");
}

public sealed class SentenceSplitterWrappingTests
{
    [Fact]
    public void Split_LineEndingInAJoiningWord_GoesOnWhateverTheNextLineStartsWith()
    {
        const string text = "The report was written by Ana Ruiz and\nJ. R. Okafor, of the institute.\nIndex\nOf the two, one stayed.";

        SentenceSplitter.Split(text).Select(s => text[s.Start..s.End]).Should().Equal(
            "The report was written by Ana Ruiz and\nJ. R. Okafor, of the institute.", "Index", "Of the two, one stayed.");
    }

    [Fact]
    public void Split_HardWrappedLines_StayOneSentence()
    {
        const string text = "It was adopted in Marrenhaven on 9 June 2022 and has\nbeen in force since 2023. Next sentence.\nHeading Line";

        SentenceSplitter.Split(text).Select(s => text[s.Start..s.End]).Should().Equal(
            "It was adopted in Marrenhaven on 9 June 2022 and has\nbeen in force since 2023.", "Next sentence.", "Heading Line");
    }
}
