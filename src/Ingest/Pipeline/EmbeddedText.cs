using GraphRag.Graph.Model;
using GraphRag.Ingest.Privacy;

namespace GraphRag.Ingest.Pipeline;

/// <summary>
/// The one rule for what a chunk is embedded as — its document's title, a newline, the chunk's text — as stored, after
/// the personal-data policy: redacted text keeps its placeholders, and masked personal data (stored as read) is
/// neutralised first, so no vector is ever made from personal data the policy keeps from readers. Ingestion
/// (<see cref="EmbedStep"/>) and re-embedding (<see cref="Reembedder"/>) both use it, so a chunk re-embedded later
/// hashes exactly as it did when it was ingested.
/// </summary>
public static class EmbeddedText
{
    /// <summary>
    /// The embedded text of each chunk of <paramref name="document"/> (its stored form) under <paramref name="policy"/>;
    /// <paramref name="textSpans"/> and <paramref name="titleSpans"/> are the personal data found in its text and title,
    /// neutralised under <see cref="PiiPolicy.Mask"/> only.
    /// </summary>
    public static IReadOnlyList<string> For(
        Document document, IEnumerable<Chunk> chunks, PiiPolicy policy, IReadOnlyList<PiiMatch> textSpans, IReadOnlyList<PiiMatch> titleSpans)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(textSpans);
        ArgumentNullException.ThrowIfNull(titleSpans);
        var masked = policy == PiiPolicy.Mask;
        var text = masked ? PiiText.Neutralize(document.Text, textSpans) : document.Text;
        var title = masked ? PiiText.Neutralize(document.Title, titleSpans) : document.Title;
        return chunks.Select(c => title + "\n" + text[c.Start..c.End]).ToList();
    }

    /// <summary>
    /// The embedded text of each chunk of a document read back from a store: its policy from its metadata, the personal
    /// data of its text from its recorded spans (<see cref="Document.Sensitive"/>, found again when absent) and of its
    /// title found again by <paramref name="detector"/>, as ingestion found them. A document whose policy is not
    /// recorded is treated as masked: neutralising what may be personal data never leaks it.
    /// </summary>
    public static IReadOnlyList<string> ForStored(Document document, IEnumerable<Chunk> chunks, PiiDetector detector)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(detector);
        var policy = StoredPolicy(document);
        if (policy != PiiPolicy.Mask)
        {
            return For(document, chunks, policy, [], []);
        }

        var textSpans = document.Sensitive is { } recorded
            ? recorded.Select(s => new PiiMatch(PiiKind.Custom, s.Label, s.Start, s.End - s.Start)).ToList()
            : detector.Detect(document.Text);
        return For(document, chunks, policy, textSpans, detector.Detect(document.Title));
    }

    /// <summary>The personal-data policy a stored document was ingested under; <see cref="PiiPolicy.Mask"/> when it is not recorded.</summary>
    public static PiiPolicy StoredPolicy(Document document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Metadata.GetValueOrDefault(IngestionPipeline.PiiPolicyKey) switch
        {
            "keep" => PiiPolicy.Keep,
            "redact" => PiiPolicy.Redact,
            _ => PiiPolicy.Mask,
        };
    }
}
