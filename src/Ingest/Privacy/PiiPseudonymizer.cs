using System.Security.Cryptography;
using System.Text;

namespace GraphRag.Ingest.Privacy;

/// <summary>
/// Replaces personal data inside a document's id and source (a record keyed by an e-mail address, a file named after
/// a phone number) with a stable pseudonym: the kind and a keyed hash of the value, <c>email-3f2a9c1b0d4e</c>. Ids are
/// shown to every reader of a document and never masked, so under the <c>mask</c> and <c>redact</c> policies they must
/// hold no personal data; the key is the store's own secret, so nobody can confirm a guessed value from a pseudonym,
/// and the same value always gives the same id, so re-ingesting stays idempotent. Thread-safe.
/// </summary>
public sealed class PiiPseudonymizer
{
    private readonly PiiDetector _detector;
    private readonly byte[] _key;

    public PiiPseudonymizer(PiiDetector detector, ReadOnlyMemory<byte> key)
    {
        ArgumentNullException.ThrowIfNull(detector);
        if (key.Length < 16)
        {
            throw new ArgumentException("The pseudonym key needs at least 16 bytes.", nameof(key));
        }

        _detector = detector;
        _key = key.ToArray();
    }

    /// <summary><paramref name="value"/> with each piece of personal data replaced by its pseudonym.</summary>
    public string Apply(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var matches = Detect(value);
        if (matches.Count == 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        var at = 0;
        foreach (var match in matches)
        {
            // Case does not make a different address or number: both spellings get one pseudonym.
            var secret = Encoding.UTF8.GetBytes(value.Substring(match.Start, match.Length).ToUpperInvariant());
            var hash = Convert.ToHexStringLower(HMACSHA256.HashData(_key, secret))[..12];
            builder.Append(value, at, match.Start - at).Append(match.Label.ToLowerInvariant()).Append('-').Append(hash);
            at = match.End;
        }

        return builder.Append(value, at, value.Length - at).ToString();
    }

    /// <summary>
    /// Personal data in an id. Ids join their parts with '-', '_', '/', '#' or ':', which the detector takes as part
    /// of a longer token ("cust-+47 915 55 012"), so the id is also read with those separators as spaces; where the
    /// two readings overlap the longer match wins.
    /// </summary>
    private List<PiiMatch> Detect(string value)
    {
        var separated = string.Create(value.Length, value, static (span, text) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = text[i] is '-' or '_' or '/' or '#' or ':' ? ' ' : text[i];
            }
        });
        var kept = new List<PiiMatch>();
        foreach (var match in _detector.Detect(value).Concat(_detector.Detect(separated)).OrderByDescending(m => m.Length).ThenBy(m => m.Start))
        {
            if (!kept.Exists(k => k.Start < match.End && match.Start < k.End))
            {
                kept.Add(match);
            }
        }

        kept.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        return kept;
    }
}
