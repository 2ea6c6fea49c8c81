using System.Globalization;
using System.Text;

namespace GraphRag.Graph.Lexical;

/// <summary>
/// Splits text into index terms the way SQLite FTS5's <c>porter unicode61 remove_diacritics 2</c> tokenizer does, so
/// queries and rankings written against the earlier full-text index keep their meaning: a token is a run of letters,
/// digits and private-use characters (combining marks continue it), folded to lower case with Latin diacritics
/// removed, then stemmed by <see cref="PorterStemmer"/>. Positions count tokens from 0. Thread-safe.
/// </summary>
public static class TextAnalyzer
{
    private const byte Separator = 0;
    private const byte TokenChar = 1;
    private const byte Mark = 2;

    // Per UTF-16 code unit: its class and its folded form (lower case, diacritics removed; '\0' drops it).
    private static readonly (byte[] Kind, char[] Fold) Table = BuildTable();

    /// <summary>Calls <paramref name="term"/> with each term of <paramref name="text"/> and its position.</summary>
    public static void Tokenize(ReadOnlySpan<char> text, TermSink term)
    {
        ArgumentNullException.ThrowIfNull(term);
        Span<char> buffer = stackalloc char[80];
        char[]? rented = null;
        var position = 0;
        var i = 0;
        var (kind, fold) = Table;
        while (i < text.Length)
        {
            // Skip separators (a mark cannot start a token).
            while (i < text.Length && ClassOf(text, i, kind) != TokenChar)
            {
                i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            }

            if (i >= text.Length)
            {
                break;
            }

            var length = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    var rune = new Rune(c, text[i + 1]);
                    var category = Rune.GetUnicodeCategory(rune);
                    if (!IsTokenCategory(category) && !IsMarkCategory(category))
                    {
                        break;
                    }

                    var lower = Rune.ToLowerInvariant(rune);
                    Ensure(ref buffer, ref rented, length + 2);
                    length += lower.EncodeToUtf16(buffer[length..]);
                    i += 2;
                    continue;
                }

                if (kind[c] == Separator)
                {
                    break;
                }

                var folded = fold[c];
                if (folded != '\0')
                {
                    Ensure(ref buffer, ref rented, length + 1);
                    buffer[length++] = folded;
                }

                i++;
            }

            if (length > 0)
            {
                Ensure(ref buffer, ref rented, length + 2);
                length = PorterStemmer.Stem(buffer, length);
                term(buffer[..length], position);
            }

            position++;
        }

        if (rented is not null)
        {
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>The terms of a text, in order: what a phrase query matches at consecutive positions.</summary>
    public static List<string> Terms(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = new List<string>();
        Tokenize(text, (term, _) => terms.Add(term.ToString()));
        return terms;
    }

    private static byte ClassOf(ReadOnlySpan<char> text, int i, byte[] kind)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            return IsTokenCategory(Rune.GetUnicodeCategory(new Rune(c, text[i + 1]))) ? TokenChar : Separator;
        }

        return kind[c];
    }

    private static void Ensure(ref Span<char> buffer, ref char[]? rented, int needed)
    {
        if (needed <= buffer.Length)
        {
            return;
        }

        var larger = System.Buffers.ArrayPool<char>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
        buffer.CopyTo(larger);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }

        rented = larger;
        buffer = larger;
    }

    private static bool IsTokenCategory(UnicodeCategory category) => category is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
        or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
        or UnicodeCategory.PrivateUse;

    private static bool IsMarkCategory(UnicodeCategory category) => category is
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private static (byte[] Kind, char[] Fold) BuildTable()
    {
        var kind = new byte[65536];
        var fold = new char[65536];
        for (var code = 0; code < 65536; code++)
        {
            var c = (char)code;
            if (char.IsSurrogate(c))
            {
                continue;
            }

            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (IsTokenCategory(category))
            {
                kind[code] = TokenChar;
                // Final sigma folds to sigma, so "Γόρδιος" and "ΓΌΡΔΙΟΣ" are one term.
                fold[code] = c == '\u03C2' ? '\u03C3' : RemoveDiacritic(char.ToLowerInvariant(c));
            }
            else if (IsMarkCategory(category))
            {
                kind[code] = Mark;
                // Combining diacritics (U+0300–U+036F) vanish, as FTS5 folds them away; other marks stay in the term.
                fold[code] = code is >= 0x300 and <= 0x36F ? '\0' : c;
            }
        }

        return (kind, fold);
    }

    /// <summary>A Latin letter without its diacritics (é → e, Å → a); any other character unchanged.</summary>
    private static char RemoveDiacritic(char c)
    {
        if (c < 0x80 || !(c is >= '\u00C0' and <= '\u024F' || c is >= '\u1E00' and <= '\u1EFF'))
        {
            return c;
        }

        var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
        return decomposed.Length > 0 && char.IsAsciiLetter(decomposed[0]) ? char.ToLowerInvariant(decomposed[0]) : c;
    }
}

/// <summary>Receives one term (valid only during the call) and its position.</summary>
public delegate void TermSink(ReadOnlySpan<char> term, int position);
