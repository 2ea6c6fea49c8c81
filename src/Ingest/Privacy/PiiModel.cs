namespace GraphRag.Ingest.Privacy;

/// <summary>The kinds of personal data the detector recognises.</summary>
public enum PiiKind
{
    Email,
    Phone,
    PaymentCard,
    Iban,
    UsSsn,
    IpAddress,

    /// <summary>A pattern from <see cref="PiiOptions.CustomPatterns"/>.</summary>
    Custom,
}

/// <summary>What ingestion does with the personal data of a source.</summary>
public enum PiiPolicy
{
    /// <summary>Store and extract as read.</summary>
    Keep,

    /// <summary>
    /// Store the text as read, keep personal data out of the graph, and mask it in answers for callers without the
    /// <c>pii</c> grant.
    /// </summary>
    Mask,

    /// <summary>Replace personal data with placeholders (<c>[EMAIL]</c>) before anything is stored.</summary>
    Redact,
}

/// <summary>One piece of personal data found in a text.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Label">
/// The placeholder name: <c>EMAIL</c>, <c>PHONE</c>, <c>CARD</c>, <c>IBAN</c>, <c>SSN</c>, <c>IP</c>, or a custom
/// pattern's name upper-cased.
/// </param>
/// <param name="Start">Inclusive character offset.</param>
/// <param name="Length">Length in characters.</param>
public sealed record PiiMatch(PiiKind Kind, string Label, int Start, int Length)
{
    /// <summary>Exclusive character offset.</summary>
    public int End => Start + Length;

    /// <summary>The text that replaces this match when it is masked or redacted, e.g. <c>[EMAIL]</c>.</summary>
    public string Placeholder => "[" + Label + "]";
}

/// <summary>A redacted text with its regions remapped onto it.</summary>
/// <param name="Text">The text with every match replaced by its placeholder.</param>
/// <param name="Regions">The regions, pointing at the same content in <paramref name="Text"/>.</param>
/// <param name="Matches">What was replaced, with offsets into the original text.</param>
/// <param name="Placeholders">The placeholders, with offsets into the redacted <paramref name="Text"/>.</param>
public sealed record PiiRedaction(
    string Text,
    IReadOnlyList<GraphRag.Graph.Model.DocumentRegion> Regions,
    IReadOnlyList<PiiMatch> Matches,
    IReadOnlyList<PiiMatch> Placeholders);
