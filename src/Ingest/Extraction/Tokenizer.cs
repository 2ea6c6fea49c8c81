using System.Collections.Frozen;
using System.Globalization;

namespace GraphRag.Ingest.Extraction;

internal enum TokenKind : byte
{
    Word,
    Number,
    Punctuation,
    Possessive,
    Currency,
}

[Flags]
internal enum TokenShape : ushort
{
    None = 0,

    /// <summary>First character is an upper-case letter.</summary>
    Capitalized = 1,

    /// <summary>Two or more letters, all upper case.</summary>
    AllCaps = 2,

    /// <summary>First character is a lower-case letter and no other is upper case.</summary>
    Lower = 4,

    /// <summary>Lower-case first letter with an upper-case letter later ("iPhone", "eBay").</summary>
    Mixed = 8,

    /// <summary>One capital followed by a period ("G.").</summary>
    Initial = 16,

    /// <summary>Letters separated by periods ("U.S.", "J.R.R.").</summary>
    Dotted = 32,

    /// <summary>White space directly before the token.</summary>
    SpaceBefore = 64,

    /// <summary>White space directly after the token.</summary>
    SpaceAfter = 128,

    HasDigit = 256,
}

/// <summary>
/// One token as offsets into the document text. <see cref="Key"/> is the token's share of an
/// <see cref="Graph.EntityKey"/>: lower case, no diacritics, periods or apostrophes; empty for punctuation.
/// </summary>
internal readonly record struct Token(int Start, int End, TokenKind Kind, TokenShape Shape, string Key)
{
    public int Length => End - Start;

    public bool Is(TokenShape shape) => (Shape & shape) != 0;

    public bool IsWord => Kind == TokenKind.Word;

    /// <summary>A word that can be part of a name by its shape alone.</summary>
    public bool IsNameShaped => Kind == TokenKind.Word && (Shape & (TokenShape.Capitalized | TokenShape.AllCaps | TokenShape.Mixed | TokenShape.Initial)) != 0;
}

/// <summary>
/// A hand-written scanner: words (with inner apostrophes and dotted initials), numbers (with thousands separators and
/// decimals), possessive <c>'s</c>, currency symbols and single punctuation marks. Hyphens always split words, so
/// "Saxby-Junna" and "Saxby - Junna" give the same word tokens and the same keys.
/// </summary>
internal static class Tokenizer
{
    public static List<Token> Tokenize(string text) => Tokenize(text, 0, text.Length);

    public static List<Token> Tokenize(string text, int start, int end)
    {
        var tokens = new List<Token>(Math.Max(16, (end - start) / 5));
        var i = start;
        var spaceBefore = true;
        while (i < end)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                MarkSpaceAfter(tokens);
                spaceBefore = true;
                i++;
                continue;
            }

            var shapeSpace = spaceBefore ? TokenShape.SpaceBefore : TokenShape.None;
            spaceBefore = false;
            if (char.IsLetter(c))
            {
                i = ScanWord(text, i, end, shapeSpace, tokens);
            }
            else if (char.IsDigit(c))
            {
                i = ScanNumber(text, i, end, shapeSpace, tokens);
            }
            else if (c is '$' or '€' or '£' or '¥' or '₹' or '₩' or '₽')
            {
                tokens.Add(new Token(i, i + 1, TokenKind.Currency, shapeSpace, string.Empty));
                i++;
            }
            else if ((c == '`' && i + 1 < end && text[i + 1] == '`') || (c == '\'' && i + 1 < end && text[i + 1] == '\''))
            {
                // PTB-style ``quotes'' are one token each.
                tokens.Add(new Token(i, i + 2, TokenKind.Punctuation, shapeSpace, string.Empty));
                i += 2;
            }
            else if (IsApostrophe(c) && i + 1 < end && text[i + 1] is 's' or 'S' && tokens.Count > 0
                && tokens[^1].End == i && tokens[^1].Kind == TokenKind.Word && (i + 2 >= end || !char.IsLetterOrDigit(text[i + 2])))
            {
                tokens.Add(new Token(i, i + 2, TokenKind.Possessive, shapeSpace, string.Empty));
                i += 2;
            }
            else if (char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                i++;
            }
            else
            {
                var length = char.IsSurrogatePair(text, i) && i + 1 < end ? 2 : 1;
                tokens.Add(new Token(i, i + length, TokenKind.Punctuation, shapeSpace, string.Empty));
                i += length;
            }
        }

        MarkSpaceAfter(tokens);
        return tokens;
    }

    public static bool IsApostrophe(char c) => c is '\'' or '\u2019';

    public static bool IsHyphen(char c) => c is '-' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2212';

    private static void MarkSpaceAfter(List<Token> tokens)
    {
        if (tokens.Count > 0 && (tokens[^1].Shape & TokenShape.SpaceAfter) == 0)
        {
            var last = tokens[^1];
            tokens[^1] = last with { Shape = last.Shape | TokenShape.SpaceAfter };
        }
    }

    private static int ScanWord(string text, int start, int end, TokenShape shape, List<Token> tokens)
    {
        var i = start;
        var dotted = false;
        while (i < end)
        {
            var c = text[i];
            if (char.IsLetterOrDigit(c) || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                i++;
                continue;
            }

            // Inner apostrophe ("O'Brien", "don't"), but not a possessive 's at the end of the word.
            if (IsApostrophe(c) && i + 1 < end && char.IsLetter(text[i + 1]) && i > start)
            {
                var possessive = text[i + 1] is 's' or 'S' && (i + 2 >= end || !char.IsLetterOrDigit(text[i + 2]));
                if (possessive)
                {
                    break;
                }

                i++;
                continue;
            }

            // Dotted initials and acronyms: "U.S.", "J.R.R." — a single letter before each period.
            if (c == '.' && i + 1 < end && char.IsLetter(text[i + 1]) && (i - start == 1 || (dotted && text[i - 2] == '.'))
                && (i + 2 >= end || !char.IsLetter(text[i + 2])))
            {
                dotted = true;
                i++;
                continue;
            }

            break;
        }

        if (dotted && i < end && text[i] == '.')
        {
            i++;
        }

        var span = text.AsSpan(start, i - start);
        var first = span[0];
        if (!dotted && span.Length == 1 && char.IsUpper(first) && i < end && text[i] == '.')
        {
            // "G." in "G. Stanley Hall": the initial keeps its period.
            i++;
            tokens.Add(new Token(start, i, TokenKind.Word, shape | TokenShape.Initial | TokenShape.Capitalized, KeyOf(text.AsSpan(start, i - start))));
            return i;
        }

        var upper = 0;
        var letters = 0;
        var digits = false;
        foreach (var ch in span)
        {
            if (char.IsLetter(ch))
            {
                letters++;
                if (char.IsUpper(ch))
                {
                    upper++;
                }
            }
            else if (char.IsDigit(ch))
            {
                digits = true;
            }
        }

        if (char.IsUpper(first))
        {
            shape |= TokenShape.Capitalized;
            if (letters >= 2 && upper == letters)
            {
                shape |= TokenShape.AllCaps;
            }
        }
        else if (upper > 0)
        {
            shape |= TokenShape.Mixed;
        }
        else if (char.IsLower(first))
        {
            shape |= TokenShape.Lower;
        }
        else if (char.GetUnicodeCategory(first) == UnicodeCategory.OtherLetter)
        {
            // Scripts without case (CJK, Arabic) have no capitals to go by: such words count as name-shaped.
            shape |= TokenShape.Capitalized;
        }
        else
        {
            // Modifier letters (IPA stress marks) and the like.
            shape |= TokenShape.Lower;
        }

        if (dotted)
        {
            shape |= TokenShape.Dotted;
        }

        if (digits)
        {
            shape |= TokenShape.HasDigit;
        }

        tokens.Add(new Token(start, i, TokenKind.Word, shape, KeyOf(span)));
        return i;
    }

    private static int ScanNumber(string text, int start, int end, TokenShape shape, List<Token> tokens)
    {
        var i = start;
        while (i < end)
        {
            var c = text[i];
            if (char.IsDigit(c))
            {
                i++;
                continue;
            }

            // 1,000 and 1.25 stay one token; "1998," and "1998." do not swallow the punctuation.
            if ((c == ',' && i + 3 < end + 1 && HasDigits(text, i + 1, end, 3) && (i + 4 >= end || !char.IsDigit(text[i + 4])))
                || (c == '.' && i + 1 < end && char.IsDigit(text[i + 1])))
            {
                i++;
                continue;
            }

            break;
        }

        // Ordinals and mixed tokens ("21st", "1980s", "3M", "B29") are words with digits.
        if (i < end && char.IsLetter(text[i]))
        {
            var j = i;
            while (j < end && char.IsLetterOrDigit(text[j]))
            {
                j++;
            }

            var word = text.AsSpan(start, j - start);
            var wordShape = shape | TokenShape.HasDigit;
            var hasUpper = false;
            foreach (var ch in word)
            {
                hasUpper |= char.IsUpper(ch);
            }

            wordShape |= hasUpper ? TokenShape.Mixed : TokenShape.Lower;
            tokens.Add(new Token(start, j, TokenKind.Word, wordShape, KeyOf(word)));
            return j;
        }

        tokens.Add(new Token(start, i, TokenKind.Number, shape | TokenShape.HasDigit, KeyOf(text.AsSpan(start, i - start))));
        return i;
    }

    private static bool HasDigits(string text, int start, int end, int count)
    {
        if (start + count > end)
        {
            return false;
        }

        for (var k = 0; k < count; k++)
        {
            if (!char.IsDigit(text[start + k]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The token's key: what <see cref="Graph.EntityKey.Normalize"/> makes of it, minus separators.</summary>
    public static string KeyOf(ReadOnlySpan<char> word)
    {
        var ascii = true;
        foreach (var ch in word)
        {
            if (ch > 0x7F)
            {
                ascii = false;
                break;
            }
        }

        if (!ascii)
        {
            return Graph.EntityKey.Normalize(word.ToString()).Replace(" ", string.Empty, StringComparison.Ordinal);
        }

        Span<char> buffer = word.Length <= 128 ? stackalloc char[word.Length] : new char[word.Length];
        var n = 0;
        foreach (var ch in word)
        {
            if (char.IsAsciiLetterOrDigit(ch))
            {
                buffer[n++] = char.ToLowerInvariant(ch);
            }
        }

        return Intern(buffer[..n]);
    }

    // Keys repeat heavily ("the", "of", years): sharing the common ones avoids most allocations.
    private static string Intern(ReadOnlySpan<char> key)
    {
        if (key.Length == 0)
        {
            return string.Empty;
        }

        return CommonKeys.TryGetValue(key, out var shared) ? shared : key.ToString();
    }

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> CommonKeys =
        Lexicon.FunctionWords.Concat(Lexicon.Connectors).Concat(Lexicon.CommonWords).Distinct(StringComparer.Ordinal)
            .ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
}
