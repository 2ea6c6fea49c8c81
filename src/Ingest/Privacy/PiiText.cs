using System.Text;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Privacy;

/// <summary>Text transforms over the matches of a <see cref="PiiDetector"/>.</summary>
public static class PiiText
{
    /// <summary>
    /// The character that stands in for personal data when offsets must not move: lower case, so no capitalised name,
    /// and not a digit, so no date, amount or number.
    /// </summary>
    public const char NeutralChar = 'x';

    /// <summary><paramref name="text"/> with each match replaced by its placeholder; matches must not overlap.</summary>
    public static string Replace(string text, IReadOnlyList<PiiMatch> matches)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(matches);
        if (matches.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var at = 0;
        foreach (var match in Ordered(matches, text.Length))
        {
            builder.Append(text, at, match.Start - at).Append(match.Placeholder);
            at = match.End;
        }

        return builder.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>
    /// Replaces each match with its placeholder and remaps <paramref name="regions"/> so they cover the same content:
    /// an offset after a match moves by the change in length, a region edge inside a match widens to the whole
    /// placeholder.
    /// </summary>
    public static PiiRedaction Redact(string text, IReadOnlyList<DocumentRegion> regions, IReadOnlyList<PiiMatch> matches)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentNullException.ThrowIfNull(matches);
        if (matches.Count == 0)
        {
            return new PiiRedaction(text, regions, matches, matches);
        }

        var ordered = Ordered(matches, text.Length);
        // New start of each match, in order: the offset map is piecewise linear between them.
        var shifted = new int[ordered.Count];
        var delta = 0;
        for (var i = 0; i < ordered.Count; i++)
        {
            shifted[i] = ordered[i].Start + delta;
            delta += ordered[i].Placeholder.Length - ordered[i].Length;
        }

        int Map(int offset, bool isEnd)
        {
            // The last match that starts before the offset; an offset at a match's start is outside it.
            int lo = 0, hi = ordered.Count - 1, found = -1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                if (ordered[mid].Start < offset)
                {
                    found = mid;
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            if (found < 0)
            {
                return offset;
            }

            var match = ordered[found];
            var newStart = shifted[found];
            var newEnd = newStart + match.Placeholder.Length;
            if (offset >= match.End)
            {
                return newEnd + (offset - match.End);
            }

            // Inside the match: a start takes the whole placeholder in, an end too.
            return isEnd ? newEnd : newStart;
        }

        var remapped = regions
            .Select(r =>
            {
                var start = Map(r.Start, isEnd: false);
                return r with { Start = start, End = Math.Max(start, Map(r.End, isEnd: true)) };
            })
            .ToList();
        var placeholders = ordered.Select((m, i) => m with { Start = shifted[i], Length = m.Placeholder.Length }).ToList();
        return new PiiRedaction(Replace(text, ordered), remapped, ordered, placeholders);
    }

    /// <summary>
    /// <paramref name="text"/> with every non-whitespace character of each match replaced by <see cref="NeutralChar"/>:
    /// the same length, so chunk, mention and evidence offsets still point at the same places.
    /// </summary>
    public static string Neutralize(string text, IReadOnlyList<PiiMatch> matches)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(matches);
        if (matches.Count == 0)
        {
            return text;
        }

        return string.Create(text.Length, (text, matches), static (span, state) =>
        {
            state.text.AsSpan().CopyTo(span);
            foreach (var match in state.matches)
            {
                foreach (ref var c in span.Slice(match.Start, match.Length))
                {
                    if (!char.IsWhiteSpace(c))
                    {
                        c = NeutralChar;
                    }
                }
            }
        });
    }

    private static List<PiiMatch> Ordered(IReadOnlyList<PiiMatch> matches, int length)
    {
        var ordered = matches.OrderBy(m => m.Start).ToList();
        var end = 0;
        foreach (var match in ordered)
        {
            if (match.Start < end || match.End > length || match.Length <= 0)
            {
                throw new ArgumentException("Matches must be non-empty, inside the text and must not overlap.", nameof(matches));
            }

            end = match.End;
        }

        return ordered;
    }
}
