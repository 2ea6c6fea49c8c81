using System.Text;

namespace GraphRag.Query.Tests.Robustness;

/// <summary>
/// Generates hostile questions from a seed, deterministically: sample questions and corpus names mutated with hyphens,
/// digits, punctuation runs, repeated words and word parts, mixed scripts (CJK, Arabic, Hebrew, Devanagari, Thai),
/// combining marks, emoji and lone surrogates, control characters, very long inputs, and empty or blank text.
/// </summary>
internal sealed class QuestionGenerator(int seed, IReadOnlyList<string> questions, IReadOnlyList<string> names)
{
    private static readonly string[] Fragments =
    [
        "11-1", "2-2-2", "1-1", "so-so", "a-a-a", "x--y", "--", "-", "-1-", "a-", "-a", "11-11-11", "3-0-3", "Halvorsen-Halvorsen",
        "'s", "’s", "'", "''", "'s's", "s'", "O'Brien-O'Brien", "rock'n'roll", "\"", "\"\"", "“", "”", "„", "«", "»",
        "?!?!", "...", ",,,", ";;", "::", "()", ")(", "[]", "{}", "<>", "&&", "||", "\\", "/", "%", "#", "@", "*", "+", "=",
        "東京", "北京大学", "株式会社", "한국", "القاهرة", "مرحبا", "שלום", "नमस्ते", "ภาษาไทย", "Ελλάδα", "Москва", "İstanbul", "ß", "ﬁ",
        "e\u0301", "\u0301", "\u0301\u0301\u0301", "a\u20DD", "\u200D", "\u200B", "\u200E", "\u200F", "\u202E", "\uFEFF", "\u00A0", "\u2009",
        "👍", "👍🏽", "👨‍👩‍👧", "🇳🇴", "🏳️‍🌈", "\uD83D", "\uDE00", "\uDE00\uD83D", "\uD800\uD800", "\uDBFF\uDFFF", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𠀋",
        "\0", "\t", "\n", "\r", "\r\n", "\u001B[31m", "\u007F", "\u0085", "\u2028", "\u2029", "\u0007", "\u0008",
        "１１－１", "１２３", "٣", "Ⅻ", "½", "²", "0", "00", "007", "1.5", "1,000", "-5", "+5", "1e9", "2019–2020", "1990s", "3rd",
        "AT&T", "C#", "C++", ".NET", "U.S.", "B.V.", "e.g.", "Mr.", "St.", "No.", "Dr. Dr.",
    ];

    private static readonly string[] Words =
    [
        "who", "what", "where", "when", "which", "the", "of", "and", "a", "an", "in", "by", "founded", "born", "married", "director",
        "company", "record", "team", "game", "play", "did", "is", "was", "Who", "What", "The", "Of", "THE", "New", "York", "de", "la", "van",
    ];

    private readonly Random _random = new(seed);

    public string Next()
    {
        var roll = _random.Next(1000);
        if (roll < 10)
        {
            return Blank();
        }

        if (roll < 13)
        {
            return Long();
        }

        if (roll < 120)
        {
            return Noise(_random.Next(1, 40));
        }

        var text = new StringBuilder(Pick(questions));
        var mutations = _random.Next(1, 6);
        for (var i = 0; i < mutations; i++)
        {
            Mutate(text);
        }

        return text.ToString();
    }

    private void Mutate(StringBuilder text)
    {
        var at = _random.Next(text.Length + 1);
        switch (_random.Next(10))
        {
            case 0:
            case 1:
                text.Insert(at, Pick(Fragments));
                break;
            case 2:
                text.Insert(at, " " + Pick(names) + " ");
                break;
            case 3:
                // Repeated word parts joined by hyphens: "Tidewater-Tidewater-Robotics", "11-1-1".
                var name = Pick(names).Split(' ')[0];
                text.Insert(at, string.Join('-', Enumerable.Repeat(name, _random.Next(2, 5))));
                break;
            case 4:
                var word = Pick(Words);
                text.Insert(at, string.Concat(Enumerable.Repeat(word + " ", _random.Next(2, 9))));
                break;
            case 5:
                if (text.Length > 0)
                {
                    text.Remove(_random.Next(text.Length), 1);
                }

                break;
            case 6:
                if (text.Length > 0)
                {
                    text[_random.Next(text.Length)] = (char)_random.Next(0, 0x10000);
                }

                break;
            case 7:
                text.Insert(at, new string(Pick("-'.,?!\" ".ToCharArray()), _random.Next(2, 30)));
                break;
            case 8:
                text.Replace(' ', Pick([' ', '-', '\u00A0', '\t', '\n', '_', '\'']));
                break;
            default:
                var upper = text.ToString();
                text.Clear().Append(_random.Next(2) == 0 ? upper.ToUpperInvariant() : upper.ToLowerInvariant());
                break;
        }
    }

    private string Blank() => _random.Next(4) switch
    {
        0 => string.Empty,
        1 => " ",
        2 => new string(Pick([' ', '\t', '\n', '\u00A0', '\u3000', '\u2028']), _random.Next(1, 50)),
        _ => "\r\n\t \u00A0",
    };

    /// <summary>2,000-20,000 characters: prose, one endless word, endless hyphenation, or every name at once.</summary>
    private string Long()
    {
        var length = _random.Next(2_000, 20_000);
        var text = new StringBuilder(length + 200);
        var kind = _random.Next(4);
        while (text.Length < length)
        {
            text.Append(kind switch
            {
                0 => Pick(questions) + " ",
                1 => "a",
                2 => "11-1-",
                _ => Pick(names) + " ",
            });
        }

        return text.ToString();
    }

    private string Noise(int pieces)
    {
        var text = new StringBuilder();
        for (var i = 0; i < pieces; i++)
        {
            text.Append(_random.Next(3) switch
            {
                0 => Pick(Fragments),
                1 => Pick(Words),
                _ => Pick(names),
            });
            if (_random.Next(2) == 0)
            {
                text.Append(' ');
            }
        }

        return text.ToString();
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
