using GraphRag.Graph.Model;
using GraphRag.Llm.Answering;
using GraphRag.Query.Security;

namespace GraphRag.Llm.Tests;

public sealed class MaskingAndStreamTests
{
    // "Write to mira@example.net or +47 912 34 567 today." at document offset 100; the e-mail has a recorded span, the
    // phone number only the detector finds.
    private const string Text = "Write to mira@example.net or +47 912 34 567 today.";

    private static PersonalDataMask Mask(params string[] unmasked) => new(
        unmasked.ToHashSet(),
        new Dictionary<string, IReadOnlyList<SensitiveSpan>> { ["doc"] = [new SensitiveSpan(109, 125, "EMAIL")] },
        text => text.IndexOf("+47 912 34 567", StringComparison.Ordinal) is var at and >= 0 ? [new SensitiveSpan(at, at + 14, "PHONE")] : []);

    [Fact]
    public void Body_RecordedSpanThenDetector_MasksBothAndMapsBackToStoredOffsets()
    {
        var masked = Mask().Body("doc", 100, Text);

        masked.Text.Should().Be("Write to [EMAIL] or [PHONE] today.");
        var at = masked.Text.IndexOf("[EMAIL] or [PHONE]", StringComparison.Ordinal);
        var (start, end) = masked.ToStored(at, at + "[EMAIL] or [PHONE]".Length);
        Text[(start - 100)..(end - 100)].Should().Be("mira@example.net or +47 912 34 567");
        var tail = masked.Text.IndexOf(" today", StringComparison.Ordinal);
        masked.ToStored(tail, masked.Text.Length).Should().Be((143, 150));
        masked.ToStored(0, 8).Should().Be((100, 108));
    }

    [Fact]
    public void Body_KeepPolicyDocument_IsShownAsStored()
    {
        var masked = Mask("doc").Body("doc", 100, Text);

        masked.Text.Should().Be(Text);
        masked.IsMasked.Should().BeFalse();
    }

    [Fact]
    public void Locate_QuoteWithAPlaceholder_CoversTheStoredValue()
    {
        var masked = Mask().Body("doc", 100, Text);

        var span = QuoteVerifier.Locate(masked, "Write to [EMAIL]")!.Value;

        Text[(span.Start - 100)..(span.End - 100)].Should().Be("Write to mira@example.net");
        QuoteVerifier.Locate(masked, "Write to mira@example.net").Should().BeNull("the model was never shown the address");
        QuoteVerifier.Locate(masked, "x").Should().BeNull("a quote of one character verifies nothing");
    }

    [Fact]
    public void Append_JsonPieces_GivesTheSentencesOnly()
    {
        var stream = new ClaimTextStream();
        string[] pieces =
        [
            "{\"claims\":[{\"sen", "tence\":\"Mara \\u0056oss", " founded it.\",\"citations\":[{\"passage\":1,\"quote\":\"Mara\"}]},",
            "{\"sentence\":\"She said \\\"no\\\".\",\"citations\":[]}],\"insufficient\":false}",
        ];

        var text = string.Concat(pieces.Select(stream.Append));

        text.Should().Be("Mara Voss founded it. She said \"no\".");
    }
}
