using System.Text;

namespace GraphRag.Ingest.Readers;

/// <summary>
/// The one normalisation every reader applies before offsets are taken: Unicode NFC, line endings to <c>\n</c>,
/// no NUL or other control characters except tab and newline, spaces trimmed from both ends of every line, at most one blank
/// line in a row, and no leading or trailing blank space.
/// </summary>
public static class TextNormalizer
{
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var source = text;
        var builder = new StringBuilder(source.Length);
        var newlines = 0;
        var pendingSpaces = new StringBuilder();
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '\r')
            {
                if (i + 1 < source.Length && source[i + 1] == '\n')
                {
                    continue;
                }

                c = '\n';
            }

            if (c is '\u2028' or '\u2029' or '\u0085' or '\f' or '\v')
            {
                c = '\n';
            }

            if (c == '\n')
            {
                pendingSpaces.Clear();
                newlines++;
                continue;
            }

            if (c is ' ' or '\t' or '\u00A0')
            {
                pendingSpaces.Append(c == '\u00A0' ? ' ' : c);
                continue;
            }

            if (char.IsControl(c) || c == '\uFEFF')
            {
                continue;
            }

            if (builder.Length > 0)
            {
                if (newlines > 0)
                {
                    builder.Append(newlines == 1 ? "\n" : "\n\n");
                    pendingSpaces.Clear();
                }
            }
            else
            {
                pendingSpaces.Clear();
            }

            newlines = 0;
            builder.Append(pendingSpaces);
            pendingSpaces.Clear();
            builder.Append(c);
        }

        // NFC last, not first: dropping a control character can bring a base letter and a combining mark together,
        // and composing after the filter keeps Normalize idempotent, which readers rely on when they normalise
        // blocks one at a time and take offsets as they join them.
        var result = builder.ToString();
        return result.IsNormalized(NormalizationForm.FormC) ? result : result.Normalize(NormalizationForm.FormC);
    }
}
