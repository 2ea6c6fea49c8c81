using System.ComponentModel.DataAnnotations;
using GraphRag.Ingest.Privacy;

namespace GraphRag.Ingest.Tests.Privacy;

public sealed class PiiDetectorTests
{
    private static readonly PiiDetector Detector = new();

    private static List<(PiiKind Kind, string Text)> Found(string text, PiiDetector? detector = null) =>
        [.. (detector ?? Detector).Detect(text).Select(m => (m.Kind, text.Substring(m.Start, m.Length)))];

    [Theory]
    [InlineData("Write to john.smith@example.com today.", "john.smith@example.com")]
    [InlineData("Mail a.b-c+tag@mail.example.co.uk.", "a.b-c+tag@mail.example.co.uk")]
    public void Detect_EmailAddress_IsFound(string text, string expected) =>
        Found(text).Should().Equal((PiiKind.Email, expected));

    [Theory]
    [InlineData("Twitter handle @example and user@localhost are not addresses.")]
    [InlineData("The pattern a@b is not an address.")]
    public void Detect_NotAnEmailAddress_IsNotFound(string text) => Found(text).Should().BeEmpty();

    [Theory]
    [InlineData("Call +1 415 555 0100.", "+1 415 555 0100")]
    [InlineData("Call (555) 123-4567 now", "(555) 123-4567")]
    [InlineData("Call 555-123-4567 now", "555-123-4567")]
    [InlineData("Call 555.123.4567 now", "555.123.4567")]
    [InlineData("London +44 20 7946 0958;", "+44 20 7946 0958")]
    [InlineData("Berlin +49 30 1234567,", "+49 30 1234567")]
    [InlineData("Tel. +44 (0)20 7946 0958", "+44 (0)20 7946 0958")]
    [InlineData("Compact +491234567890 works", "+491234567890")]
    [InlineData("Dial +1-202-555-0123", "+1-202-555-0123")]
    [InlineData("Office 020 7946 0958", "020 7946 0958")]
    [InlineData("Paris 06 12 34 56 78", "06 12 34 56 78")]
    public void Detect_PhoneNumber_IsFound(string text, string expected) =>
        Found(text).Should().Equal((PiiKind.Phone, expected));

    /// <summary>
    /// Security finding: "415 555 0199", numbers grouped with narrow no-break spaces, lower-case IBANs and full-width
    /// e-mail addresses were not detected.
    /// </summary>
    [Theory]
    [InlineData("Call 415 555 0199 today.", PiiKind.Phone, "415 555 0199")]
    [InlineData("Call +1\u202F415\u202F555\u202F0199 today.", PiiKind.Phone, "+1\u202F415\u202F555\u202F0199")]
    [InlineData("Card 4111\u202F1111\u202F1111\u202F1111 expires.", PiiKind.PaymentCard, "4111\u202F1111\u202F1111\u202F1111")]
    [InlineData("Card 4111\u00A01111\u00A01111\u00A01111 expires.", PiiKind.PaymentCard, "4111\u00A01111\u00A01111\u00A01111")]
    [InlineData("Pay to de89 3704 0044 0532 0130 00 please.", PiiKind.Iban, "de89 3704 0044 0532 0130 00")]
    [InlineData("Pay to gb29nwbk60161331926819 please.", PiiKind.Iban, "gb29nwbk60161331926819")]
    [InlineData("Write to mira\uFF20records-example.net soon.", PiiKind.Email, "mira\uFF20records-example.net")]
    [InlineData("Write to ｍｉｒａ＠ｅｘａｍｐｌｅ．ｎｅｔ soon.", PiiKind.Email, "ｍｉｒａ＠ｅｘａｍｐｌｅ．ｎｅｔ")]
    public void Detect_SpacingCaseAndWidthVariants_AreFound(string text, PiiKind kind, string expected) =>
        Found(text).Should().Equal((kind, expected));

    [Theory]
    [InlineData("Build id zz12abcdefghijklmno and hash ab12cdef34567890abcd.")]
    [InlineData("Area codes 100 555 0199 and 555 123 4567 with spaces are not North American numbers.")]
    public void Detect_LookAlikesOfTheNewForms_AreNotFound(string text) => Found(text).Should().BeEmpty();

    [Theory]
    [InlineData("He was born in 1990 and died in 2019.")]
    [InlineData("The battle took place on 2019-05-12 near the river.")]
    [InlineData("He reigned 1990–1995 and again 2001-2004.")]
    [InlineData("The population was 1,234,567 at the 2010 census.")]
    [InlineData("The population was 12 345 678 in 2011.")]
    [InlineData("ISBN 978-3-16-148410-0, ISBN 0-306-40615-2 and ISBN 9780306406157.")]
    [InlineData("Coordinates 51.5074° N, 0.1278° W, or 40.7128, -74.0060.")]
    [InlineData("Dates 12.05.2019 and 05/12/2019; scores 3–2; pages 123–145.")]
    [InlineData("Vol. 12, no. 3, doi:10.1000/182, arXiv:1706.03762, 1.000.000 people.")]
    [InlineData("Short numbers +44 20 and 555-1234 are not phone numbers.")]
    [InlineData("Filler 000-000-0000 is not a number.")]
    public void Detect_NumbersInProse_AreNotPhoneNumbers(string text) => Found(text).Should().BeEmpty();

    [Theory]
    [InlineData("Card 4111 1111 1111 1111 expires", "4111 1111 1111 1111")]
    [InlineData("Card 4111-1111-1111-1111 expires", "4111-1111-1111-1111")]
    [InlineData("Card 4111111111111111 expires", "4111111111111111")]
    [InlineData("Amex 3782 822463 10005 expires", "3782 822463 10005")]
    [InlineData("Mastercard 5555555555554444.", "5555555555554444")]
    public void Detect_PaymentCardPassingLuhn_IsFound(string text, string expected) =>
        Found(text).Should().Equal((PiiKind.PaymentCard, expected));

    [Theory]
    [InlineData("Card 4111 1111 1111 1112 fails Luhn.")]
    [InlineData("Card 4444444444444444 is one repeated digit.")]
    [InlineData("Zeros 0000 0000 0000 0000.")]
    [InlineData("A 20-digit number 41111111111111111110 is too long.")]
    public void Detect_NotAPaymentCard_IsNotFound(string text) => Found(text).Should().BeEmpty();

    [Theory]
    [InlineData("Pay DE89 3704 0044 0532 0130 00 now", "DE89 3704 0044 0532 0130 00")]
    [InlineData("Pay GB82WEST12345698765432.", "GB82WEST12345698765432")]
    [InlineData("Pay GB82 WEST 1234 5698 7654 32.", "GB82 WEST 1234 5698 7654 32")]
    public void Detect_IbanPassingMod97_IsFound(string text, string expected) =>
        Found(text).Should().Equal((PiiKind.Iban, expected));

    [Theory]
    [InlineData("Pay DE89 3704 0044 0532 0130 01 now")]
    [InlineData("Pay GB83WEST12345698765432.")]
    [InlineData("Pay DE89370400440532013000123 (too long for DE).")]
    public void Detect_IbanWithBadChecksumOrLength_IsNotFound(string text) => Found(text).Should().BeEmpty();

    [Theory]
    [InlineData("SSN 123-45-6789.", "123-45-6789")]
    [InlineData("SSN 123 45 6789.", "123 45 6789")]
    public void Detect_UsSsn_IsFound(string text, string expected) =>
        Found(text).Should().Equal((PiiKind.UsSsn, expected));

    [Theory]
    [InlineData("SSN 000-12-3456.")]
    [InlineData("SSN 666-12-3456.")]
    [InlineData("SSN 912-12-3456.")]
    [InlineData("SSN 123-00-4567.")]
    [InlineData("SSN 123-45-0000.")]
    [InlineData("Mixed separators 123-45 6789.")]
    public void Detect_InvalidUsSsn_IsNotFound(string text) => Found(text).Should().BeEmpty();

    [Theory]
    [InlineData("Host 192.168.1.20 answered.", "192.168.1.20")]
    [InlineData("Listen on 10.0.0.1:8080", "10.0.0.1")]
    [InlineData("Host 2001:db8::ff00:42:8329 answered.", "2001:db8::ff00:42:8329")]
    [InlineData("Link fe80::1ff:fe23:4567:890a up", "fe80::1ff:fe23:4567:890a")]
    public void Detect_IpAddress_IsFound(string text, string expected) =>
        Found(text).Should().Equal((PiiKind.IpAddress, expected));

    [Theory]
    [InlineData("Octet 999.1.1.1 is out of range.")]
    [InlineData("Dotted 10.20.30.40.50 is longer than an address.")]
    [InlineData("Release v10.2.3.4 shipped.")]
    [InlineData("Sonata in A minor, Stiles 1.2.1.6 So3.")]
    [InlineData("The match began at 12:30:45 and ended 14:05; see 1:2:3.")]
    public void Detect_NotAnIpAddress_IsNotFound(string text) => Found(text).Should().BeEmpty();

    [Fact]
    public void Detect_CustomPattern_IsFoundWithItsNameAsLabel()
    {
        var options = new PiiOptions();
        options.CustomPatterns["employee-id"] = @"\bEMP-\d{6}\b";
        var detector = new PiiDetector(options);

        var matches = detector.Detect("Ask EMP-123456 or write to a@example.org.");

        matches.Select(m => (m.Kind, m.Label, m.Start, m.Length)).Should().Equal(
            (PiiKind.Custom, "EMPLOYEE-ID", 4, 10),
            (PiiKind.Email, "EMAIL", 27, 13));
    }

    [Fact]
    public void Constructor_InvalidCustomRegex_FailsNamingThePattern()
    {
        var options = new PiiOptions();
        options.CustomPatterns["badge"] = "([0-9";

        var build = () => new PiiDetector(options);

        build.Should().Throw<ValidationException>().WithMessage("*badge*not a valid regular expression*");
        var errors = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true).Should().BeFalse();
        errors.Should().ContainSingle().Which.ErrorMessage.Should().Contain("badge");
    }

    [Theory]
    [InlineData("", "x")]
    [InlineData("has space", "x")]
    [InlineData("empty", "")]
    [InlineData("matches-nothing-everywhere", "a*")]
    public void Constructor_BadCustomPatternNameOrPattern_Fails(string name, string pattern)
    {
        var options = new PiiOptions();
        options.CustomPatterns[name] = pattern;

        var build = () => new PiiDetector(options);

        build.Should().Throw<ValidationException>();
    }

    [Fact]
    public void Detect_OverlappingCandidates_LongestWinsAndResultIsOrdered()
    {
        var options = new PiiOptions();
        options.CustomPatterns["short"] = @"\d{3}-\d{3}";
        var detector = new PiiDetector(options);

        var found = Found("Call 555-123-4567 and 444-555 later.", detector);

        found.Should().Equal((PiiKind.Phone, "555-123-4567"), (PiiKind.Custom, "444-555"));
    }

    [Fact]
    public void Detect_TextWithoutPersonalData_FindsNothing() =>
        Found("The Journal of Mathematical Physics was first published in January 1960; its 2018 Impact Factor is 1.355.")
            .Should().BeEmpty();
}
