using GraphRag.Graph.Model;
using GraphRag.Ingest.Privacy;

namespace GraphRag.Ingest.Tests.Privacy;

public sealed class PiiTextTests
{
    private static readonly PiiDetector Detector = new();

    [Fact]
    public void Mask_EveryKind_ReplacedByItsPlaceholder()
    {
        var options = new PiiOptions();
        options.CustomPatterns["badge"] = @"\bB-\d{4}\b";
        var detector = new PiiDetector(options);
        const string text = "Mail a@example.com, call +1 415 555 0100, card 4111 1111 1111 1111, IBAN GB82WEST12345698765432, "
            + "SSN 123-45-6789, host 192.168.1.20, badge B-1234.";

        detector.Mask(text).Should().Be(
            "Mail [EMAIL], call [PHONE], card [CARD], IBAN [IBAN], SSN [SSN], host [IP], badge [BADGE].");
    }

    [Fact]
    public void Mask_TextWithoutPersonalData_IsUnchanged()
    {
        const string text = "Nothing to see in 1990, 2019-05-12 or 1,234,567.";

        Detector.Mask(text).Should().BeSameAs(text);
    }

    [Fact]
    public void Redact_Regions_StillCoverTheSameContent()
    {
        const string text = "Page one: mail a@example.com now.\fPage two: call +1 415 555 0100 today.\fPage three.";
        var second = text.IndexOf("Page two", StringComparison.Ordinal);
        var third = text.IndexOf("Page three", StringComparison.Ordinal);
        var regions = new List<DocumentRegion>
        {
            new(0, second, 1, null),
            new(second, third, 2, null),
            new(third, text.Length, 3, "Last"),
        };

        var redaction = Detector.Redact(text, regions);

        redaction.Text.Should().Be("Page one: mail [EMAIL] now.\fPage two: call [PHONE] today.\fPage three.");
        redaction.Regions.Select(r => redaction.Text[r.Start..r.End]).Should().Equal(
            "Page one: mail [EMAIL] now.\f", "Page two: call [PHONE] today.\f", "Page three.");
        redaction.Regions.Select(r => (r.Page, r.Section)).Should().Equal((1, null), (2, null), (3, "Last"));
        redaction.Placeholders.Select(p => redaction.Text.Substring(p.Start, p.Length)).Should().Equal("[EMAIL]", "[PHONE]");
    }

    [Fact]
    public void Redact_RegionEdgeInsideAMatch_WidensToThePlaceholder()
    {
        const string text = "ab john@example.com cd";
        var at = text.IndexOf('@', StringComparison.Ordinal);

        var redaction = Detector.Redact(text, [new DocumentRegion(0, at, 1, null), new DocumentRegion(at, text.Length, 2, null)]);

        redaction.Text.Should().Be("ab [EMAIL] cd");
        redaction.Regions.Select(r => redaction.Text[r.Start..r.End]).Should().Equal("ab [EMAIL]", "[EMAIL] cd");
    }

    [Fact]
    public void Neutralize_KeepsLengthAndWhitespace()
    {
        const string text = "Call +1 415 555 0100 or a@b.example.";

        var neutral = Detector.Neutralize(text);

        neutral.Should().Be("Call xx xxx xxx xxxx or xxxxxxxxxxx.");
        neutral.Length.Should().Be(text.Length);
    }
}
