using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace GraphRag.Ingest.Privacy;

/// <summary>
/// Finds personal data in text: e-mail addresses, phone numbers, payment-card numbers (Luhn), IBANs (mod 97), US
/// social security numbers, IPv4 and IPv6 addresses, and the configured custom patterns. It runs on every document of a
/// corpus, so the patterns favour precision: a phone number needs a <c>+</c> or separators and 9–15 digits, so years,
/// dates, ranges and populations are not phone numbers; numbers that carry a checksum must pass it. Built once from
/// <see cref="PiiOptions"/>, then immutable and safe to share between threads.
/// </summary>
public sealed partial class PiiDetector
{
    /// <summary>Bumped whenever a built-in pattern changes what is found, so stored documents are re-processed.</summary>
    internal const string AlgorithmVersion = "pii-2";

    // A backstop against a pathological custom pattern, not a budget: the built-in patterns have bounded quantifiers and
    // scan a 2 MB document in milliseconds. The limit is wall time, so it also counts garbage-collection pauses and time
    // the thread waits for a core; at 250 ms it failed healthy documents on a loaded two-core machine (2 of 92,781 in
    // bench query --chunks 100000).
    private const int TimeoutMilliseconds = 5_000;

    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(TimeoutMilliseconds);

    private readonly (string Label, Regex Pattern)[] _custom;

    public PiiDetector()
        : this(new PiiOptions())
    {
    }

    /// <exception cref="ValidationException">A custom pattern has a bad name or is not a valid regular expression.</exception>
    public PiiDetector(PiiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var custom = new List<(string, Regex)>();
        foreach (var (name, pattern) in options.CustomPatterns.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (ValidateCustomPattern(name, pattern) is { } error)
            {
                throw new ValidationException(error);
            }

            custom.Add((name.ToUpperInvariant(), new Regex(pattern, RegexOptions.CultureInvariant, Timeout)));
        }

        _custom = [.. custom];
        Fingerprint = AlgorithmVersion + "|" + options.Fingerprint;
    }

    /// <summary>Identifies what this detector finds: the built-in rules' version and the custom patterns.</summary>
    public string Fingerprint { get; }

    /// <summary>
    /// Every piece of personal data in <paramref name="text"/>, ordered by start, never overlapping: where two
    /// candidates overlap the longer wins, then the earlier, then the more specific kind.
    /// </summary>
    /// <exception cref="RegexMatchTimeoutException">A pattern ran over its time limit on hostile input.</exception>
    public IReadOnlyList<PiiMatch> Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        var candidates = new List<PiiMatch>();
        var original = text;
        text = Fold(text);
        // Every built-in kind needs a digit, an '@' or a ':'; most prose sentences have none of them.
        var hasDigit = text.AsSpan().IndexOfAnyInRange('0', '9') >= 0;
        if (text.Contains('@', StringComparison.Ordinal))
        {
            Add(candidates, EmailPattern(), text, PiiKind.Email, "EMAIL", static _ => true);
        }

        if (hasDigit)
        {
            Add(candidates, IbanPattern(), text, PiiKind.Iban, "IBAN", IsIban);
            Add(candidates, CardPattern(), text, PiiKind.PaymentCard, "CARD", IsCard);
            Add(candidates, SsnPattern(), text, PiiKind.UsSsn, "SSN", IsSsn);
            Add(candidates, PhonePattern(), text, PiiKind.Phone, "PHONE", IsPhone);
            Add(candidates, Ipv4Pattern(), text, PiiKind.IpAddress, "IP", IsIpv4);
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            Add(candidates, Ipv6Pattern(), text, PiiKind.IpAddress, "IP", IsIpv6);
        }

        foreach (var (label, pattern) in _custom)
        {
            // Custom patterns see the text as written: they may rely on exact characters.
            Add(candidates, pattern, original, PiiKind.Custom, label, static _ => true);
        }

        return Resolve(candidates);
    }

    /// <summary>
    /// The text the built-in patterns read: the same length, with no-break, narrow and other fixed-width spaces as plain
    /// spaces and full-width forms (＠, ０–９, Ａ–Ｚ) as their ASCII letters, so "415 555 0199" with narrow no-break
    /// spaces or "mira＠example.net" is found at the same offsets.
    /// </summary>
    internal static string Fold(string text)
    {
        var at = text.AsSpan().IndexOfAnyInRange('\u00A0', '\uFFFF');
        if (at < 0)
        {
            return text;
        }

        return string.Create(text.Length, (text, at), static (span, state) =>
        {
            state.text.AsSpan().CopyTo(span);
            for (var i = state.at; i < span.Length; i++)
            {
                span[i] = span[i] switch
                {
                    '\u00A0' or '\u2007' or '\u2009' or '\u200A' or '\u202F' or '\u205F' or '\u3000' => ' ',
                    >= '\uFF01' and <= '\uFF5E' => (char)(span[i] - 0xFEE0),
                    var c => c,
                };
            }
        });
    }

    /// <summary><paramref name="text"/> with each match replaced by its placeholder (<c>[EMAIL]</c>, <c>[PHONE]</c>, …).</summary>
    public string Mask(string text) => PiiText.Replace(text, Detect(text));

    /// <summary>Redacts <paramref name="text"/> and remaps <paramref name="regions"/> onto the redacted text.</summary>
    public PiiRedaction Redact(string text, IReadOnlyList<GraphRag.Graph.Model.DocumentRegion> regions) =>
        PiiText.Redact(text, regions, Detect(text));

    /// <summary>
    /// <paramref name="text"/> with every non-whitespace character of each match replaced by <c>x</c>: the same length,
    /// so offsets stay valid, and nothing a rule-based extractor turns into a name, date or number.
    /// </summary>
    public string Neutralize(string text) => PiiText.Neutralize(text, Detect(text));

    /// <summary>Null when the custom pattern is usable; otherwise why not, naming it.</summary>
    internal static string? ValidateCustomPattern(string name, string? pattern)
    {
        if (string.IsNullOrEmpty(name) || !PiiOptions.IsValidName(name))
        {
            return $"Ingest:Pii:CustomPatterns: the name '{name}' must start with a letter and have at most 32 letters, digits, '-' or '_'.";
        }

        if (string.IsNullOrEmpty(pattern))
        {
            return $"Ingest:Pii:CustomPatterns:{name}: the pattern is empty.";
        }

        try
        {
            var regex = new Regex(pattern, RegexOptions.CultureInvariant, Timeout);
            if (regex.IsMatch(string.Empty))
            {
                return $"Ingest:Pii:CustomPatterns:{name}: the pattern matches the empty string.";
            }
        }
        catch (ArgumentException ex)
        {
            return $"Ingest:Pii:CustomPatterns:{name}: not a valid regular expression ({ex.Message}).";
        }

        return null;
    }

    private static void Add(List<PiiMatch> candidates, Regex pattern, string text, PiiKind kind, string label, Func<string, bool> accept)
    {
        for (var match = pattern.Match(text); match.Success; match = match.NextMatch())
        {
            if (match.Length > 0 && accept(match.Value))
            {
                candidates.Add(new PiiMatch(kind, label, match.Index, match.Length));
            }
        }
    }

    private static List<PiiMatch> Resolve(List<PiiMatch> candidates)
    {
        if (candidates.Count <= 1)
        {
            return candidates;
        }

        // Longest first, then earliest, then kind order (the order of PiiKind: the more specific kinds come first).
        candidates.Sort(static (a, b) =>
        {
            var c = b.Length.CompareTo(a.Length);
            if (c == 0)
            {
                c = a.Start.CompareTo(b.Start);
            }

            return c != 0 ? c : a.Kind.CompareTo(b.Kind);
        });
        var kept = new List<PiiMatch>();
        foreach (var candidate in candidates)
        {
            if (!kept.Exists(k => k.Start < candidate.End && candidate.Start < k.End))
            {
                kept.Add(candidate);
            }
        }

        kept.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        return kept;
    }

    private static int CountDigits(ReadOnlySpan<char> value)
    {
        var digits = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
        }

        return digits;
    }

    private static bool IsPhone(string value)
    {
        var digits = CountDigits(value);
        if (digits is < 9 or > 15)
        {
            return false;
        }

        // A run of one repeated digit ("000-000-0000", "+1 111 111 1111") is filler, not a number.
        var first = value.AsSpan().IndexOfAnyInRange('0', '9');
        var same = true;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c) && c != value[first])
            {
                same = false;
                break;
            }
        }

        return !same;
    }

    private static bool IsCard(string value)
    {
        Span<int> digits = stackalloc int[19];
        var count = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    return false;
                }

                digits[count++] = c - '0';
            }
        }

        if (count is < 13 or > 19)
        {
            return false;
        }

        var allSame = true;
        for (var i = 1; i < count; i++)
        {
            allSame &= digits[i] == digits[0];
        }

        if (allSame)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < count; i++)
        {
            var d = digits[count - 1 - i];
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    private static bool IsSsn(string value)
    {
        var area = int.Parse(value.AsSpan(0, 3), CultureInfo.InvariantCulture);
        var group = int.Parse(value.AsSpan(4, 2), CultureInfo.InvariantCulture);
        var serial = int.Parse(value.AsSpan(7, 4), CultureInfo.InvariantCulture);
        return area is not (0 or 666 or >= 900) && group != 0 && serial != 0;
    }

    private static bool IsIban(string value)
    {
        Span<char> compact = stackalloc char[value.Length];
        var length = 0;
        var lowerCase = false;
        foreach (var c in value)
        {
            if (c != ' ')
            {
                lowerCase |= char.IsAsciiLetterLower(c);
                compact[length++] = char.ToUpperInvariant(c);
            }
        }

        compact = compact[..length];
        if (length is < 15 or > 34)
        {
            return false;
        }

        // Written in lower case, an IBAN must name a registered country at its exact length: lower-case letters and
        // digits are common in identifiers, and mod 97 alone lets one in 97 of them through.
        var known = IbanLengths.TryGetValue(compact[..2].ToString(), out var expected);
        if ((known && expected != length) || (lowerCase && !known))
        {
            return false;
        }

        // ISO 7064 mod 97-10: move the first four characters to the end, letters become 10–35, the number mod 97 is 1.
        var remainder = 0;
        for (var i = 0; i < length; i++)
        {
            var c = compact[(i + 4) % length];
            var v = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = v < 10 ? ((remainder * 10) + v) % 97 : ((remainder * 100) + v) % 97;
        }

        return remainder == 1;
    }

    /// <summary>
    /// Four single-digit octets (1.2.1.6) are section, catalogue and version numbers far more often than addresses.
    /// </summary>
    private static bool IsIpv4(string value) => value.Length > 7;

    private static bool IsIpv6(string value) =>
        value.Length >= 6
        && value.AsSpan().Count(':') >= 2
        && IPAddress.TryParse(value, out var address)
        && address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>IBAN lengths of the countries in the SWIFT registry; an unknown country is checked by mod 97 alone.</summary>
    private static readonly Dictionary<string, int> IbanLengths = new(StringComparer.Ordinal)
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22,
        ["BH"] = 22, ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22,
        ["DK"] = 18, ["DO"] = 28, ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18, ["FO"] = 18, ["FR"] = 27,
        ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18, ["GR"] = 27, ["GT"] = 28, ["HR"] = 21, ["HU"] = 28,
        ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26, ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20,
        ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["MC"] = 27, ["MD"] = 24,
        ["ME"] = 22, ["MK"] = 19, ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NL"] = 18, ["NO"] = 15, ["PK"] = 24,
        ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["SA"] = 24, ["SC"] = 31,
        ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["ST"] = 25, ["SV"] = 28, ["TL"] = 23, ["TN"] = 24,
        ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20,
    };

    // local@domain.tld; the local part neither starts nor ends with a dot and the TLD is letters.
    [GeneratedRegex(
        @"(?<![\w.%+-])[A-Za-z0-9_%+-](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-]|@)",
        RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex EmailPattern();

    // International (+CC with groups, or +CC and 8–14 digits run together) and national forms with separators:
    // (555) 123-4567, 555-123-4567, 555.123.4567, 415 555 0199 (with spaces only as a valid North American area code
    // and exchange), (020) 7946 0958, 020 7946 0958, 030 1234567, 06 12 34 56 78.
    // Never preceded or followed by a word character or a digit after '.', '-', ',' or '/'.
    [GeneratedRegex(
        @"(?<![\w+.,/-])(?:\+\d{9,15}|\+\d{1,3}(?:[ .-]?\(\d{1,5}\)[ .-]?\d{1,8}|[ .-]\d{1,8}){1,7}|\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}|\d{3}([.-])\d{3}\1\d{4}|[2-9]\d{2} [2-9]\d{2} \d{4}|\(0\d{1,4}\)[ -]?\d{3,8}(?:[ -]\d{3,4})?|0[1-9]\d{0,3}[ /-]\d{3,8}(?:[ -]\d{3,4})?|0[1-9](?:([ .])\d{2})(?:\2\d{2}){3})(?![\w+]|[.,/-]\d)",
        RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex PhonePattern();

    // 13–19 digits run together, or in groups of four (Visa, Mastercard…) or 4-6-5 (Amex) with one kind of separator;
    // card numbers start with 2–6 (so ISBN-13s, which start 978/979, never look like one).
    [GeneratedRegex(
        @"(?<![\w.,/+-])(?:[2-6]\d{12,18}|[2-6]\d{3}([ -])\d{4}\1\d{4}\1\d{1,7}|3\d{3}([ -])\d{6}\2\d{5})(?![\w]|[.,/-]\d)",
        RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex CardPattern();

    // Country, check digits, then 11–30 alphanumerics run together or in groups of four separated by single spaces;
    // upper or lower case (IsIban holds lower-case ones to a registered country and length).
    [GeneratedRegex(
        @"(?<![\w-])[A-Za-z]{2}\d{2}(?:[A-Za-z0-9]{11,30}|(?: [A-Za-z0-9]{4}){2,7}(?: [A-Za-z0-9]{1,3})?)(?![\w-])",
        RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex IbanPattern();

    [GeneratedRegex(
        @"(?<![\w.,/+-])\d{3}([ -])\d{2}\1\d{4}(?![\w]|[.,/-]\d)",
        RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex SsnPattern();

    // Not part of a longer dotted number (1.2.3.4.5) nor of a word (v1.2.3.4).
    [GeneratedRegex(
        @"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)",
        RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex Ipv4Pattern();

    // Candidates only: IPAddress.TryParse decides. Times (12:30:45) have too few groups to parse as IPv6.
    [GeneratedRegex(
        @"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}|:)?:(?:[0-9A-Fa-f]{0,4}:){1,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\.\d)",
        RegexOptions.CultureInvariant, TimeoutMilliseconds)]
    private static partial Regex Ipv6Pattern();
}
