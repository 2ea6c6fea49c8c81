using System.Text;
using GraphRag.Graph.Model;

namespace GraphRag.Query.Security;

/// <summary>
/// The rule for what a caller without the <c>pii</c> grant may see of stored text, in one place: text from a document
/// not stored with the <c>keep</c> policy has the personal-data spans recorded over the whole document at ingest
/// replaced by their placeholders (<c>[EMAIL]</c>), then is scanned again by the detector, for what has no recorded span.
/// The HTTP output filter applies it to everything it returns; prompts to a language model apply it to every passage
/// they carry, and keep the map back to the stored offsets so quotes the model returns can be verified and cited.
/// </summary>
public sealed class PersonalDataMask
{
    private readonly IReadOnlySet<string> _unmasked;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<SensitiveSpan>> _sensitive;
    private readonly Func<string, IReadOnlyList<SensitiveSpan>> _detect;

    /// <param name="unmaskedDocuments">Documents stored with personal data kept as is (policy <c>keep</c>).</param>
    /// <param name="sensitive">Each document's recorded personal-data spans.</param>
    /// <param name="detect">The personal-data detector: every match in a text, ordered, never overlapping, labelled.</param>
    public PersonalDataMask(
        IReadOnlySet<string> unmaskedDocuments,
        IReadOnlyDictionary<string, IReadOnlyList<SensitiveSpan>> sensitive,
        Func<string, IReadOnlyList<SensitiveSpan>> detect)
    {
        ArgumentNullException.ThrowIfNull(unmaskedDocuments);
        ArgumentNullException.ThrowIfNull(sensitive);
        ArgumentNullException.ThrowIfNull(detect);
        _unmasked = unmaskedDocuments;
        _sensitive = sensitive;
        _detect = detect;
    }

    /// <summary>A whole field of one document (a title, a heading): scanned by the detector.</summary>
    public string Field(string documentId, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _unmasked.Contains(documentId) ? text : Replace(text, _detect(text)).Text;
    }

    /// <summary>
    /// The text of one document's body at <paramref name="start"/> (<c>document.Text[start..]</c>), masked, with the map
    /// from the masked text back to the stored offsets.
    /// </summary>
    public MaskedText Body(string documentId, int start, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_unmasked.Contains(documentId))
        {
            return MaskedText.Plain(start, text);
        }

        var spans = _sensitive.TryGetValue(documentId, out var recorded)
            ? recorded.Where(s => s.Start < start + text.Length && s.End > start)
                .Select(s => new SensitiveSpan(Math.Max(s.Start, start) - start, Math.Min(s.End, start + text.Length) - start, s.Label))
                .ToList()
            : [];
        var first = Replace(text, NonOverlapping(spans));
        var second = Replace(first.Text, _detect(first.Text));
        return new MaskedText(second.Text, start, [first.Edits, second.Edits]);
    }

    /// <summary>
    /// Replaces the part of each recorded span that falls inside <paramref name="text"/> (the document's text at
    /// <paramref name="start"/>) with the span's placeholder: the first step of <see cref="Body"/>.
    /// </summary>
    public static string MaskSpans(string text, int start, IReadOnlyList<SensitiveSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(spans);
        var end = start + text.Length;
        var clipped = spans.Where(s => s.Start < end && s.End > start)
            .Select(s => new SensitiveSpan(Math.Max(s.Start, start) - start, Math.Min(s.End, end) - start, s.Label))
            .ToList();
        return Replace(text, NonOverlapping(clipped)).Text;
    }

    /// <summary>Spans by start; a span inside (or overlapping) one already taken keeps only its part beyond it.</summary>
    private static List<SensitiveSpan> NonOverlapping(List<SensitiveSpan> spans)
    {
        var result = new List<SensitiveSpan>(spans.Count);
        var at = 0;
        foreach (var span in spans.OrderBy(s => s.Start))
        {
            if (span.End <= at)
            {
                continue;
            }

            var from = Math.Max(span.Start, at);
            result.Add(span with { Start = from });
            at = span.End;
        }

        return result;
    }

    private static (string Text, IReadOnlyList<MaskedText.Edit> Edits) Replace(string text, IReadOnlyList<SensitiveSpan> spans)
    {
        if (spans.Count == 0)
        {
            return (text, []);
        }

        var builder = new StringBuilder(text.Length);
        var edits = new List<MaskedText.Edit>(spans.Count);
        var at = 0;
        foreach (var span in spans)
        {
            builder.Append(text, at, span.Start - at);
            var placeholder = "[" + span.Label + "]";
            edits.Add(new MaskedText.Edit(span.Start, span.End, builder.Length, builder.Length + placeholder.Length));
            builder.Append(placeholder);
            at = span.End;
        }

        return (builder.Append(text, at, text.Length - at).ToString(), edits);
    }
}

/// <summary>
/// A document's text as a caller may see it, with the way back: <see cref="ToStored"/> turns a range of
/// <see cref="Text"/> into the document offsets it came from; a range edge inside a placeholder widens to the whole
/// replaced value.
/// </summary>
public sealed class MaskedText
{
    private readonly IReadOnlyList<IReadOnlyList<Edit>> _layers;

    internal MaskedText(string text, int start, IReadOnlyList<IReadOnlyList<Edit>> layers)
    {
        Text = text;
        Start = start;
        _layers = layers;
    }

    /// <summary>Text shown as stored (a caller who may see personal data).</summary>
    public static MaskedText Plain(int start, string text) => new(text ?? throw new ArgumentNullException(nameof(text)), start, []);

    /// <summary>The text, masked where the caller may not see personal data.</summary>
    public string Text { get; }

    /// <summary>The document offset the original text began at.</summary>
    public int Start { get; }

    /// <summary>True when something was replaced.</summary>
    public bool IsMasked => _layers.Any(l => l.Count > 0);

    /// <summary>The document range <c>[start, end)</c> that <c>Text[from..to]</c> shows.</summary>
    public (int Start, int End) ToStored(int from, int to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(to, Text.Length);
        for (var i = _layers.Count - 1; i >= 0; i--)
        {
            (from, to) = (Back(_layers[i], from, isEnd: false), Back(_layers[i], to, isEnd: true));
        }

        return (Start + from, Start + to);
    }

    private static int Back(IReadOnlyList<Edit> edits, int offset, bool isEnd)
    {
        var shift = 0;
        foreach (var edit in edits)
        {
            if (isEnd ? offset <= edit.NewStart : offset < edit.NewStart)
            {
                break;
            }

            if (isEnd ? offset <= edit.NewEnd : offset < edit.NewEnd)
            {
                // Inside the placeholder: the whole replaced value.
                return isEnd ? edit.OldEnd : edit.OldStart;
            }

            shift = edit.OldEnd - edit.NewEnd;
        }

        return offset + shift;
    }

    /// <summary>One replacement: <c>[OldStart, OldEnd)</c> of the text before became <c>[NewStart, NewEnd)</c> after.</summary>
    internal readonly record struct Edit(int OldStart, int OldEnd, int NewStart, int NewEnd);
}
