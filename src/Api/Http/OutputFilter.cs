using GraphRag.Graph.Security;

namespace GraphRag.Api.Http;

/// <summary>
/// What one caller may see of stored text: personal data in documents not stored with the <c>keep</c> policy is
/// masked for callers without the <c>pii</c> grant. Every text the API returns from a document passes through here.
/// </summary>
internal sealed class OutputFilter
{
    private readonly Func<string, string>? _mask;
    private readonly IReadOnlySet<string> _unmasked;

    public OutputFilter(Caller caller, IReadOnlySet<string> unmaskedDocuments, Func<string, string> mask)
    {
        _mask = caller.Has(Grants.Pii) ? null : mask;
        _unmasked = unmaskedDocuments;
    }

    /// <summary>Text from one document.</summary>
    public string Text(string documentId, string text) =>
        _mask is null || _unmasked.Contains(documentId) ? text : _mask(text);

    /// <summary>Text that may combine several documents (an answer): masked unless every one of them keeps personal data.</summary>
    public string Text(IEnumerable<string> documentIds, string text) =>
        _mask is null || documentIds.All(_unmasked.Contains) ? text : _mask(text);
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
