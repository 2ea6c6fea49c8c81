using System.Text;
using GraphRag.Query.Security;

namespace GraphRag.Llm.Answering;

/// <summary>
/// Finds a model's quote in the passage text it was shown, and maps it to the stored document offsets. A quote matches
/// verbatim; failing that, it matches when it equals the passage with every run of whitespace read as one space (models
/// reflow line breaks) — and then what is cited is the stored text at the matched span, never the model's wording.
/// </summary>
internal static class QuoteVerifier
{
    /// <summary>The stored range the quote shows, or null when it is not in the passage.</summary>
    public static (int Start, int End)? Locate(MaskedText passage, string quote)
    {
        ArgumentNullException.ThrowIfNull(passage);
        ArgumentNullException.ThrowIfNull(quote);
        var trimmed = quote.Trim();
        if (trimmed.Count(c => !char.IsWhiteSpace(c)) < 2)
        {
            return null;
        }

        var at = passage.Text.IndexOf(trimmed, StringComparison.Ordinal);
        if (at >= 0)
        {
            return passage.ToStored(at, at + trimmed.Length);
        }

        var (text, map) = Collapse(passage.Text);
        var (needle, _) = Collapse(trimmed);
        var found = text.IndexOf(needle, StringComparison.Ordinal);
        if (found < 0)
        {
            return null;
        }

        return passage.ToStored(map[found], map[found + needle.Length - 1] + 1);
    }

    /// <summary>The text with each whitespace run as one space, and each kept character's offset in the original.</summary>
    private static (string Text, int[] Map) Collapse(string text)
    {
        var builder = new StringBuilder(text.Length);
        var map = new List<int>(text.Length);
        var space = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                if (!space)
                {
                    builder.Append(' ');
                    map.Add(i);
                    space = true;
                }

                continue;
            }

            builder.Append(text[i]);
            map.Add(i);
            space = false;
        }

        return (builder.ToString(), [.. map]);
    }
}
