using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace GraphRag.Graph;

/// <summary>
/// The normalised key entities are resolved on: case, diacritics, punctuation, possessives and a leading article do
/// not distinguish two names ("The Beatles'" and "beatles" share a key).
/// </summary>
public static class EntityKey
{
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var decomposed = Text.WellFormedText.ReplaceLoneSurrogates(name).Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        for (var i = 0; i < decomposed.Length; i++)
        {
            var c = decomposed[i];
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            // Possessive 's / ’s at the end of a word.
            if ((c == '\'' || c == '\u2019') && i + 1 < decomposed.Length && (decomposed[i + 1] is 's' or 'S')
                && (i + 2 == decomposed.Length || !char.IsLetterOrDigit(decomposed[i + 2])))
            {
                i++;
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                pendingSpace = false;
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (c is '\'' or '\u2019' or '.')
            {
                // "O'Brien" and "U.S." keep their letters together.
                continue;
            }
            else
            {
                pendingSpace = true;
            }
        }

        var key = builder.ToString();
        if (key.StartsWith("the ", StringComparison.Ordinal) && key.Length > 4)
        {
            key = key[4..];
        }

        // A legal form is not part of the name: "Nautilux Sensing B.V." and "Nautilux Sensing" are one company.
        var lastSpace = key.LastIndexOf(' ');
        if (lastSpace > 0 && LegalForms.Contains(key[(lastSpace + 1)..]))
        {
            key = key[..lastSpace];
        }

        return key;
    }

    /// <summary>Whether a normalised word is a legal form that <see cref="Normalize"/> drops from the end of a name ("bv", "gmbh", "as").</summary>
    public static bool IsLegalForm(string word) => LegalForms.Contains(word);

    private static readonly FrozenSet<string> LegalForms = new[]
    {
        "inc", "incorporated", "ltd", "limited", "llc", "plc", "gmbh", "ag", "sa", "sl", "bv", "nv", "as", "asa", "ab",
        "oy", "oyj", "spa", "srl", "corp", "lp", "llp", "kg", "se", "pte", "pty", "sarl", "sas", "kk",
    }.ToFrozenSet(StringComparer.Ordinal);
}
