using GraphRag.Ingest.Privacy;

namespace GraphRag.Ingest.Tests.Privacy;

public sealed class PiiPseudonymizerTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly PiiPseudonymizer Pseudonyms = new(new PiiDetector(), Key);

    [Theory]
    [InlineData("cust-mira.okonkwo@records-example.net", "email-")]
    [InlineData("customers.jsonl#cust-+47 915 55 012", "customers.jsonl#cust-phone-")]
    [InlineData("calls/415-555-0132.txt", "calls/phone-")]
    [InlineData("cards_4111 1111 1111 1111", "cards_card-")]
    public void Apply_PersonalDataInAnId_BecomesItsKindAndAKeyedHash(string id, string prefix)
    {
        var pseudonym = Pseudonyms.Apply(id);

        pseudonym.Should().StartWith(prefix).And.MatchRegex("[0-9a-f]{12}");
        new PiiDetector().Detect(pseudonym).Should().BeEmpty();
    }

    [Fact]
    public void Apply_IsStableCaseBlindAndKeyed()
    {
        var first = Pseudonyms.Apply("cust-mira.okonkwo@records-example.net");

        Pseudonyms.Apply("cust-mira.okonkwo@records-example.net").Should().Be(first);
        Pseudonyms.Apply("cust-MIRA.Okonkwo@Records-Example.NET").Should().Be(first);
        new PiiPseudonymizer(new PiiDetector(), Key.Reverse().ToArray()).Apply("cust-mira.okonkwo@records-example.net").Should().NotBe(first);
        Pseudonyms.Apply("cust-ola.nordmann@records-example.net").Should().NotBe(first);
    }

    [Fact]
    public void Apply_IdWithoutPersonalData_IsUnchanged()
    {
        Pseudonyms.Apply("world/people/ada-lovelace.md").Should().Be("world/people/ada-lovelace.md");
        Pseudonyms.Apply("2hop__12345_67890").Should().Be("2hop__12345_67890");
    }
}
