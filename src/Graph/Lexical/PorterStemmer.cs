namespace GraphRag.Graph.Lexical;

/// <summary>
/// The Porter (1980) stemmer, with the conventions of SQLite FTS5's <c>porter</c> tokenizer so that stored indexes and
/// earlier rankings carry over: a token shorter than 3 or longer than 64 UTF-8 bytes is left alone, any character
/// outside a–z counts as a consonant, and <c>y</c> is a vowel after a consonant. Pure and thread-safe.
/// </summary>
internal static class PorterStemmer
{
    private const int MaxBytes = 64;

    /// <summary>The stem of a lower-cased token.</summary>
    public static string Stem(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var buffer = new char[token.Length + 2];
        token.CopyTo(buffer);
        var n = Stem(buffer, token.Length);
        return n == token.Length && buffer.AsSpan(0, n).SequenceEqual(token) ? token : new string(buffer, 0, n);
    }

    /// <summary>
    /// Stems the lower-cased token in <c>buffer[..length]</c> in place and returns the stem's length; the buffer needs
    /// room for one character more than the token.
    /// </summary>
    public static int Stem(Span<char> buffer, int length)
    {
        // FTS5 measures tokens in UTF-8 bytes.
        var bytes = Utf8Length(buffer[..length]);
        if (bytes is < 3 or > MaxBytes)
        {
            return length;
        }

        var n = Step1A(buffer, length);
        if (Step1B(buffer, ref n))
        {
            if (!Step1B2(buffer, ref n))
            {
                var c = buffer[n - 1];
                if (!IsVowel(c, false) && c is not ('l' or 's' or 'z') && n > 1 && c == buffer[n - 2])
                {
                    n--;
                }
                else if (MeasureIs1(buffer[..n]) && EndsCvc(buffer[..n]))
                {
                    buffer[n++] = 'e';
                }
            }
        }

        if (n > 0 && buffer[n - 1] == 'y' && HasVowel(buffer[..(n - 1)]))
        {
            buffer[n - 1] = 'i';
        }

        Step2(buffer, ref n);
        Step3(buffer, ref n);
        Step4(buffer, ref n);
        if (n > 0 && buffer[n - 1] == 'e'
            && (MeasureOver1(buffer[..(n - 1)]) || (MeasureIs1(buffer[..(n - 1)]) && !EndsCvc(buffer[..(n - 1)]))))
        {
            n--;
        }

        if (n > 1 && buffer[n - 1] == 'l' && buffer[n - 2] == 'l' && MeasureOver1(buffer[..(n - 1)]))
        {
            n--;
        }

        return n;
    }

    private static int Utf8Length(ReadOnlySpan<char> text)
    {
        var bytes = 0;
        foreach (var c in text)
        {
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : char.IsSurrogate(c) ? 2 : 3;
        }

        return bytes;
    }

    private static bool IsVowel(char c, bool previousIsConsonant) =>
        c is 'a' or 'e' or 'i' or 'o' or 'u' || (previousIsConsonant && c == 'y');

    /// <summary>The end of the first vowel–consonant sequence of <paramref name="stem"/>, or 0 when there is none.</summary>
    private static int VowelConsonant(ReadOnlySpan<char> stem, bool previousIsConsonant)
    {
        var consonant = previousIsConsonant;
        var i = 0;
        for (; i < stem.Length; i++)
        {
            consonant = !IsVowel(stem[i], consonant);
            if (!consonant)
            {
                break;
            }
        }

        for (i++; i < stem.Length; i++)
        {
            consonant = !IsVowel(stem[i], consonant);
            if (consonant)
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static bool MeasureOver0(ReadOnlySpan<char> stem) => VowelConsonant(stem, false) > 0;

    private static bool MeasureOver1(ReadOnlySpan<char> stem)
    {
        var n = VowelConsonant(stem, false);
        return n > 0 && VowelConsonant(stem[n..], true) > 0;
    }

    private static bool MeasureIs1(ReadOnlySpan<char> stem)
    {
        var n = VowelConsonant(stem, false);
        return n > 0 && VowelConsonant(stem[n..], true) == 0;
    }

    /// <summary>Porter's *o: the stem ends consonant–vowel–consonant, the last not w, x or y.</summary>
    private static bool EndsCvc(ReadOnlySpan<char> stem)
    {
        if (stem.Length == 0 || stem[^1] is 'w' or 'x' or 'y')
        {
            return false;
        }

        var mask = 0;
        var consonant = false;
        foreach (var c in stem)
        {
            consonant = !IsVowel(c, consonant);
            mask = (mask << 1) | (consonant ? 1 : 0);
        }

        return (mask & 7) == 5;
    }

    private static bool HasVowel(ReadOnlySpan<char> stem)
    {
        for (var i = 0; i < stem.Length; i++)
        {
            if (IsVowel(stem[i], i > 0))
            {
                return true;
            }
        }

        return false;
    }

    private static int Step1A(Span<char> b, int n)
    {
        if (b[n - 1] != 's')
        {
            return n;
        }

        if (b[n - 2] == 'e')
        {
            return (n > 4 && b[n - 4] == 's' && b[n - 3] == 's') || (n > 3 && b[n - 3] == 'i') ? n - 2 : n - 1;
        }

        return b[n - 2] != 's' ? n - 1 : n;
    }

    private static bool Ends(Span<char> b, int n, string suffix) =>
        n > suffix.Length && b[..n].EndsWith(suffix, StringComparison.Ordinal);

    private static bool Step1B(Span<char> b, ref int n)
    {
        if (Ends(b, n, "eed"))
        {
            if (MeasureOver0(b[..(n - 3)]))
            {
                n--;
            }

            return false;
        }

        if (Ends(b, n, "ed") && HasVowel(b[..(n - 2)]))
        {
            n -= 2;
            return true;
        }

        if (Ends(b, n, "ing") && HasVowel(b[..(n - 3)]))
        {
            n -= 3;
            return true;
        }

        return false;
    }

    private static bool Step1B2(Span<char> b, ref int n)
    {
        foreach (var (suffix, replacement) in Step1B2Rules)
        {
            if (Ends(b, n, suffix))
            {
                n = Replace(b, n, suffix.Length, replacement);
                return true;
            }
        }

        return false;
    }

    private static int Replace(Span<char> b, int n, int suffixLength, string replacement)
    {
        replacement.AsSpan().CopyTo(b[(n - suffixLength)..]);
        return n - suffixLength + replacement.Length;
    }

    /// <summary>Applies the first rule whose suffix the word ends with, if the stem before it passes the rule's test.</summary>
    private static void ApplyFirst(Span<char> b, ref int n, (string Suffix, string Replacement, Func<ReadOnlySpan<char>, bool> Test)[] rules)
    {
        foreach (var (suffix, replacement, test) in rules)
        {
            if (Ends(b, n, suffix))
            {
                if (test(b[..(n - suffix.Length)]))
                {
                    n = Replace(b, n, suffix.Length, replacement);
                }

                return;
            }
        }
    }

    // Within a step, FTS5 chooses among suffixes by the word's second-to-last letter and then tries them in this
    // order; the first suffix that matches decides, whether or not its condition holds.
    private static void Step2(Span<char> b, ref int n) => ApplyByPenultimate(b, ref n, Step2Rules);

    private static void Step3(Span<char> b, ref int n) => ApplyByPenultimate(b, ref n, Step3Rules);

    private static void Step4(Span<char> b, ref int n) => ApplyByPenultimate(b, ref n, Step4Rules);

    private static void ApplyByPenultimate(
        Span<char> b, ref int n, Dictionary<char, (string, string, Func<ReadOnlySpan<char>, bool>)[]> rules)
    {
        if (n >= 2 && rules.TryGetValue(b[n - 2], out var candidates))
        {
            ApplyFirst(b, ref n, candidates);
        }
    }

    private static readonly (string Suffix, string Replacement)[] Step1B2Rules = [("at", "ate"), ("bl", "ble"), ("iz", "ize")];

    private static readonly Func<ReadOnlySpan<char>, bool> M0 = s => MeasureOver0(s);
    private static readonly Func<ReadOnlySpan<char>, bool> M1 = s => MeasureOver1(s);
    private static readonly Func<ReadOnlySpan<char>, bool> M1ST = s => s.Length > 0 && s[^1] is 's' or 't' && MeasureOver1(s);

    private static readonly Dictionary<char, (string, string, Func<ReadOnlySpan<char>, bool>)[]> Step2Rules = new()
    {
        ['a'] = [("ational", "ate", M0), ("tional", "tion", M0)],
        ['c'] = [("enci", "ence", M0), ("anci", "ance", M0)],
        ['e'] = [("izer", "ize", M0)],
        ['g'] = [("logi", "log", M0)],
        ['l'] = [("bli", "ble", M0), ("alli", "al", M0), ("entli", "ent", M0), ("eli", "e", M0), ("ousli", "ous", M0)],
        ['o'] = [("ization", "ize", M0), ("ation", "ate", M0), ("ator", "ate", M0)],
        ['s'] = [("alism", "al", M0), ("iveness", "ive", M0), ("fulness", "ful", M0), ("ousness", "ous", M0)],
        ['t'] = [("aliti", "al", M0), ("iviti", "ive", M0), ("biliti", "ble", M0)],
    };

    private static readonly Dictionary<char, (string, string, Func<ReadOnlySpan<char>, bool>)[]> Step3Rules = new()
    {
        ['a'] = [("ical", "ic", M0)],
        ['s'] = [("ness", "", M0)],
        ['t'] = [("icate", "ic", M0), ("iciti", "ic", M0)],
        ['u'] = [("ful", "", M0)],
        ['v'] = [("ative", "", M0)],
        ['z'] = [("alize", "al", M0)],
    };

    private static readonly Dictionary<char, (string, string, Func<ReadOnlySpan<char>, bool>)[]> Step4Rules = new()
    {
        ['a'] = [("al", "", M1)],
        ['c'] = [("ance", "", M1), ("ence", "", M1)],
        ['e'] = [("er", "", M1)],
        ['i'] = [("ic", "", M1)],
        ['l'] = [("able", "", M1), ("ible", "", M1)],
        ['n'] = [("ant", "", M1), ("ement", "", M1), ("ment", "", M1), ("ent", "", M1)],
        ['o'] = [("ion", "", M1ST), ("ou", "", M1)],
        ['s'] = [("ism", "", M1)],
        ['t'] = [("ate", "", M1), ("iti", "", M1)],
        ['u'] = [("ous", "", M1)],
        ['v'] = [("ive", "", M1)],
        ['z'] = [("ize", "", M1)],
    };
}
