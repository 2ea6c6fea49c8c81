using GraphRag.Graph.Model;
using GraphRag.Graph.Security;
using GraphRag.Query.Security;

namespace GraphRag.Api.Http;

/// <summary>
/// What one caller may see of stored text: personal data in documents not stored with the <c>keep</c> policy is
/// masked for callers without the <c>pii</c> grant. Every text the API returns from a document passes through here.
/// A text cut from a document's body (a passage, a quote, a mention) is masked by the spans detected over the whole
/// document at ingest, so a card number a chunk boundary cuts in two is masked on both sides; every text is also
/// scanned again, for fields that have no spans (titles, headings, metadata).
/// </summary>
internal sealed class OutputFilter
{
    private readonly Func<string, string>? _mask;
    private readonly IReadOnlySet<string> _unmasked;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<SensitiveSpan>> _sensitive;

    public OutputFilter(
        Caller caller, IReadOnlySet<string> unmaskedDocuments, IReadOnlyDictionary<string, IReadOnlyList<SensitiveSpan>> sensitive, Func<string, string> mask)
    {
        _mask = caller.Has(Grants.Pii) ? null : mask;
        _unmasked = unmaskedDocuments;
        _sensitive = sensitive;
    }

    /// <summary>A whole field of one document (title, heading, metadata value).</summary>
    public string Text(string documentId, string text) =>
        _mask is null || _unmasked.Contains(documentId) ? text : _mask(text);

    /// <summary>Text that may combine several documents (an answer): masked unless every one of them keeps personal data.</summary>
    public string Text(IEnumerable<string> documentIds, string text) =>
        _mask is null || documentIds.All(_unmasked.Contains) ? text : _mask(text);

    /// <summary>The text of one document's body at <paramref name="start"/> (<c>document.Text[start..]</c>).</summary>
    public string Span(string documentId, int start, string text)
    {
        if (_mask is null || _unmasked.Contains(documentId))
        {
            return text;
        }

        if (_sensitive.TryGetValue(documentId, out var spans))
        {
            text = MaskSpans(text, start, spans);
        }

        return _mask(text);
    }

    /// <summary>Replaces the part of each span that falls inside the text with the span's placeholder (the one rule: <see cref="PersonalDataMask"/>).</summary>
    internal static string MaskSpans(string text, int start, IReadOnlyList<SensitiveSpan> spans) => PersonalDataMask.MaskSpans(text, start, spans);
}

/// <summary>Personal-data policies as the API names them.</summary>
internal static class PiiPolicies
{
    /// <summary>Parses <c>keep</c>, <c>mask</c> or <c>redact</c> (any case); numbers and other names are refused.</summary>
    public static bool TryParse(string text, out GraphRag.Ingest.Privacy.PiiPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(text);
        policy = default;
        return text.All(char.IsAsciiLetter) && Enum.TryParse(text, ignoreCase: true, out policy) && Enum.IsDefined(policy);
    }
}
