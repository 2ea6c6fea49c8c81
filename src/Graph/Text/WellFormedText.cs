namespace GraphRag.Graph.Text;

/// <summary>
/// Text from outside (a question, a name typed by a caller) may be ill-formed UTF-16: a surrogate without its pair.
/// Unicode normalisation throws on it, so whatever normalises outside text makes it well formed first.
/// </summary>
public static class WellFormedText
{
    /// <summary>
    /// <paramref name="text"/> with every unpaired surrogate replaced by U+FFFD, the replacement character; the same
    /// instance when there is none. Lengths and offsets are unchanged.
    /// </summary>
    public static string ReplaceLoneSurrogates(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = IndexOfLoneSurrogate(text, 0);
        if (first < 0)
        {
            return text;
        }

        return string.Create(text.Length, (text, first), static (chars, state) =>
        {
            var (source, at) = state;
            source.AsSpan().CopyTo(chars);
            while (at >= 0)
            {
                chars[at] = '\uFFFD';
                at = IndexOfLoneSurrogate(source, at + 1);
            }
        });
    }

    private static int IndexOfLoneSurrogate(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return i;
            }
        }

        return -1;
    }
}
