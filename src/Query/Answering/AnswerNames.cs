using GraphRag.Graph;
using GraphRag.Graph.Model;

namespace GraphRag.Query.Answering;

/// <summary>
/// How an answer names an entity: by its canonical name when the passage's mention is a fragment of it — the words of
/// "Halvorsen" all in "Ingrid Halvorsen", in order — so the answer is the full name while its citation stays the
/// mention's span, quoted as stored. Dates and amounts are answered as written ("1930" is not "12 March 1930"), and a
/// mention that says more than the canonical name, or something else, is kept.
/// </summary>
public static class AnswerNames
{
    public static string For(string mentionText, string? canonicalName, string? type)
    {
        ArgumentNullException.ThrowIfNull(mentionText);
        if (canonicalName is null || type is EntityTypes.Date or EntityTypes.Quantity
            || string.Equals(mentionText, canonicalName, StringComparison.Ordinal))
        {
            return mentionText;
        }

        var fragment = EntityKey.Normalize(mentionText).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var full = EntityKey.Normalize(canonicalName).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fragment.Length > 0 && full.Length > fragment.Length && InOrder(fragment, full) ? canonicalName : mentionText;
    }

    private static bool InOrder(string[] fragment, string[] full)
    {
        var at = 0;
        foreach (var word in full)
        {
            if (at < fragment.Length && string.Equals(word, fragment[at], StringComparison.Ordinal))
            {
                at++;
            }
        }

        return at == fragment.Length;
    }
}
