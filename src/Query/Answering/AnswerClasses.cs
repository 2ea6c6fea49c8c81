using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace GraphRag.Query.Answering;

/// <summary>
/// Whether the answer is the kind of thing the question's class noun asks for ("In which country …" wants a country,
/// not a town in it; "What river …" a river, not a state), judged from how the corpus itself describes the answer: its
/// name ("North Canadian River", "Atoka County"), the sentences that define it ("Crossett is a city in …", "London, the
/// capital of …", "the state of Oklahoma") and whether it lies inside another place (a <c>located_in</c> relation: a
/// country is not written as inside somewhere else). No list of places: only the class nouns, the same in any corpus.
/// The engine reads the evidence from what the caller may see; this class only judges it.
/// </summary>
public static partial class AnswerClasses
{
    /// <summary>The question asks for a class and the evidence shows the answer is one.</summary>
    public const double Confirmed = 1;

    /// <summary>The question names no class, or nothing the caller can read says what the answer is.</summary>
    public const double Unknown = 0;

    /// <summary>The evidence shows the answer is something else ("a town" for "which country").</summary>
    public const double Conflict = -1;

    /// <summary>The pseudo-class of a place that lies inside another (a <c>located_in</c> relation from it).</summary>
    public const string Inside = "inside";

    // Classes are groups of nouns that name the same kind of thing; a question's noun and an answer's description
    // agree when they fall in the same group. Nouns in no group ("place", "area", "person", "singer") say nothing.
    private static readonly (string Class, string[] Nouns)[] Groups =
    [
        ("country", ["country", "nation", "kingdom", "republic", "empire", "principality", "monarchy", "sultanate", "emirate"]),
        ("settlement", ["city", "town", "village", "municipality", "capital", "community", "borough", "suburb", "hamlet", "commune", "metropolis", "township", "settlement", "neighbourhood", "neighborhood"]),
        ("division", ["state", "province", "territory", "canton", "prefecture", "oblast", "governorate"]),
        ("county", ["county", "parish", "shire"]),
        ("river", ["river", "creek", "stream", "tributary", "brook", "canal"]),
        ("lake", ["lake", "reservoir", "lagoon"]),
        ("sea", ["sea", "ocean", "bay", "gulf", "strait"]),
        ("mountain", ["mountain", "peak", "volcano", "mount"]),
        ("island", ["island", "archipelago", "atoll"]),
        ("continent", ["continent"]),
        ("company", ["company", "firm", "corporation", "manufacturer", "conglomerate", "business", "carmaker", "automaker", "retailer"]),
        ("band", ["band", "duo", "trio", "quartet"]),
        ("team", ["team", "club"]),
        ("school", ["university", "college", "school", "academy", "institute"]),
        ("label", ["label"]),
        ("party", ["party"]),
        ("periodical", ["newspaper", "magazine", "journal", "tabloid"]),
        ("film", ["film", "movie", "documentary"]),
        ("album", ["album"]),
        ("song", ["song", "single", "ballad", "anthem"]),
        ("book", ["book", "novel", "novella", "memoir"]),
        ("show", ["series", "show", "sitcom", "programme", "program", "miniseries"]),
        ("game", ["game"]),
    ];

    private static readonly FrozenDictionary<string, string> ClassOfNoun =
        Groups.SelectMany(g => g.Nouns.Select(n => (Noun: n, g.Class))).ToFrozenDictionary(p => p.Noun, p => p.Class, StringComparer.Ordinal);

    /// <summary>Classes a place inside another cannot be.</summary>
    private static readonly FrozenSet<string> Outermost = new[] { "country", "continent" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Classes that "the NOUN of X" gives X: places named by their kind ("the state of Oklahoma", "the island of Crete",
    /// "the states of Texas and Oklahoma"). For most other nouns the phrase names something of X's ("the album of the
    /// film", "the company of his friends").
    /// </summary>
    private static readonly FrozenSet<string> NamedByOf = new[] { "country", "division", "county", "settlement", "island" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Place nouns that, after "the … of", still name a relation ("the capital of France" is not France).</summary>
    private static readonly FrozenSet<string> Relational = new[] { "capital", "community", "settlement" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The class the question's own wh-phrase asks for ("In which country …" → country), or null.</summary>
    public static string? Asked(string question) =>
        AnswerTypes.ClassNoun(question) is { } noun ? ClassOf(noun) : null;

    /// <summary>
    /// The classes the question steps through on the way to its answer, outside its own wh-phrase: "the state where X is
    /// located", "the same county as Y", "the city X played for". An answer of one of these classes (and not of the
    /// asked one) is likely the bridge, not the end.
    /// </summary>
    public static IReadOnlySet<string> Bridges(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var asked = Asked(question);
        var q = question.ToLowerInvariant();
        // "What is the capital of X?" asks for the capital itself: the noun its opening names is no bridge.
        var opening = OpeningNoun().Match(q) is { Success: true } o ? o.Length : 0;
        return BridgeNoun().Matches(q)
            .Where(m => m.Index >= opening)
            .Select(m => ClassOf(m.Groups["noun"].Value))
            .OfType<string>()
            .Where(c => c != asked)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// <see cref="Confirmed"/>, <see cref="Conflict"/> or <see cref="Unknown"/>: the question's class (and the classes
    /// of its bridges) against what the answer was described as (<see cref="Describe"/>, plus <see cref="Inside"/> for a
    /// place inside another).
    /// </summary>
    public static double Judge(string? asked, IReadOnlySet<string> bridges, IReadOnlySet<string> described)
    {
        ArgumentNullException.ThrowIfNull(bridges);
        ArgumentNullException.ThrowIfNull(described);
        if (described.Count == 0)
        {
            return Unknown;
        }

        if (asked is not null && described.Contains(asked))
        {
            return Confirmed;
        }

        if (described.Overlaps(bridges))
        {
            return Conflict;
        }

        if (asked is null)
        {
            return Unknown;
        }

        var contradicted = described.Any(c => c != Inside) || (described.Contains(Inside) && Outermost.Contains(asked));
        return contradicted ? Conflict : Unknown;
    }

    /// <summary>
    /// The classes one mention describes its entity as: the mention's own head noun ("North Canadian River"), a
    /// defining clause after it ("X is a small town in …", "X, the capital of …") or a phrase before it ("the state of
    /// X", "the states of Texas and X").
    /// </summary>
    /// <param name="text">The text the mention is in (a chunk).</param>
    /// <param name="start">Where the mention starts in <paramref name="text"/>.</param>
    /// <param name="end">Where it ends.</param>
    public static IReadOnlySet<string> Describe(string text, int start, int end)
    {
        ArgumentNullException.ThrowIfNull(text);
        var classes = new HashSet<string>(StringComparer.Ordinal);
        if (start < 0 || end > text.Length || start >= end)
        {
            return classes;
        }

        if (NameClass(text[start..end]) is { } named)
        {
            classes.Add(named);
        }

        var after = text[end..Math.Min(text.Length, end + 200)];
        var definition = Definition().Match(after);
        if (definition.Success && HeadClass(definition.Groups["np"].Value) is { } defined)
        {
            classes.Add(defined);
        }

        var before = text[Math.Max(0, start - 160)..start];
        var of = ClassOfPhrase().Match(before);
        if (of.Success && ClassOf(of.Groups["noun"].Value) is { } cls)
        {
            // "the state of X" names X's class (but "the capital of X" a relation); a plural only in a list ("the
            // states of Texas and X"), and only for places named by their kind: "the rivers of England" are no England.
            var noun = of.Groups["noun"].Value;
            var listed = of.Groups["list"].Length > 0 || ListContinues().IsMatch(text[end..Math.Min(text.Length, end + 8)]);
            var plural = Singular(noun) != noun;
            if (NamedByOf.Contains(cls) && !Relational.Contains(Singular(noun)) && (plural ? listed : of.Groups["list"].Length == 0))
            {
                classes.Add(cls);
            }
        }

        return classes;
    }

    /// <summary>The class a name's own head noun gives ("Atoka County", "Lake Erie", "University of Oslo"), or null.</summary>
    internal static string? NameClass(string name)
    {
        var words = Words().Matches(name).Select(m => m.Value).ToList();
        if (words.Count < 2)
        {
            return null;
        }

        // The head is the last word, or the first before "of" ("Kingdom of Norway"); "Lake" and "Mount" lead.
        // A plural head names a union, not one of its members: "United States" is no state, "Virgin Islands" no island.
        var ofAt = words.FindIndex(w => w == "of");
        var head = ofAt > 0 ? words[ofAt - 1] : words[^1];
        if (char.IsUpper(head[0]) && Singular(head.ToLowerInvariant()) == head.ToLowerInvariant() && ClassOf(head.ToLowerInvariant()) is { } cls)
        {
            return cls;
        }

        return words[0] is "Lake" or "Mount" or "Mt" ? ClassOf(words[0] == "Mt" ? "mount" : words[0].ToLowerInvariant()) : null;
    }

    /// <summary>
    /// The class of a noun phrase's head: the last class noun before the phrase ends, followed by nothing but
    /// participles ("a song recorded by" is a song; "a New Zealand film director" is no film).
    /// </summary>
    private static string? HeadClass(string phrase)
    {
        var words = phrase.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = words.Length - 1; i >= 0; i--)
        {
            if (ClassOf(words[i]) is { } cls)
            {
                // "a sovereign state", "an EU member state": a country, not a state within one.
                if (cls == "division" && i > 0 && words[i - 1] is "sovereign" or "independent" or "member" or "nation")
                {
                    cls = "country";
                }

                return words[(i + 1)..].All(w => w.EndsWith("ed", StringComparison.Ordinal) || w.EndsWith("ing", StringComparison.Ordinal)) ? cls : null;
            }
        }

        return null;
    }

    private static string? ClassOf(string noun) =>
        ClassOfNoun.TryGetValue(noun, out var cls) || ClassOfNoun.TryGetValue(Singular(noun), out cls) ? cls : null;

    private static string Singular(string noun) =>
        noun.EndsWith("ies", StringComparison.Ordinal) ? noun[..^3] + "y"
        : noun.EndsWith("s", StringComparison.Ordinal) && !noun.EndsWith("ss", StringComparison.Ordinal) ? noun[..^1]
        : noun;

    // "X is a city in …", "X (born …) was an American rock band", "X, officially the Republic of X, is a federal
    // republic", "X, a town in …": the phrase runs to the first preposition, conjunction, relative word or punctuation.
    [GeneratedRegex(@"^\s*(?:\([^)]{0,120}\)\s*)?(?:,[^,.;]{0,100},\s*)?(?:(?:is|was|are|were|remains|became)\s+(?:a|an|the|one of the)|,\s*(?:a|an|the))\s+(?<np>(?:[A-Za-z][A-Za-z'’-]*\s+){0,5}?[A-Za-z][A-Za-z'’-]*)(?=\s*(?:[,.;:()]|$)|\s+(?:in|of|on|at|from|for|with|by|near|located|based|situated|that|which|who|whose|where|and|or|but|to|as|founded|formed|known|named|since|between)\b)")]
    private static partial Regex Definition();

    // "the state of X", "the town of X", "the states of Texas and X" (the mention ends the text before it).
    [GeneratedRegex(@"\bthe\s+(?<noun>[a-z]+)\s+of\s+(?<list>(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}(?:,\s*|\s+and\s+|,\s+and\s+)){0,6})$")]
    private static partial Regex ClassOfPhrase();

    [GeneratedRegex(@"^\s*(?:,|and\b)")]
    private static partial Regex ListContinues();

    [GeneratedRegex(@"\bthe\s+(?:same\s+)?(?<noun>[a-z]+)\b")]
    private static partial Regex BridgeNoun();

    [GeneratedRegex(@"^\W*(?:\w+\s+)?(?:what|which|who)\s+(?:is|was|are|were)\s+the\s+(?:same\s+)?[a-z]+")]
    private static partial Regex OpeningNoun();

    [GeneratedRegex(@"[\p{L}][\p{L}'’.-]*")]
    private static partial Regex Words();
}
