using System.Text.RegularExpressions;
using GraphRag.Graph.Model;

namespace GraphRag.Query.Answering;

/// <summary>What kind of thing a question asks for, read from its wording.</summary>
public sealed record ExpectedAnswer(IReadOnlySet<string> Types, bool YesNo, IReadOnlyList<string> Options)
{
    /// <summary>The shape of answer the question wants.</summary>
    public AnswerForm Form { get; init; } = AnswerForm.Factual;
}

/// <summary>The shape of answer a question's wording asks for.</summary>
public enum AnswerForm
{
    /// <summary>One fact: an entity, a date, a quantity, yes or no, or one of the offered options.</summary>
    Factual,

    /// <summary>Every entity that fits ("Which companies did X acquire?").</summary>
    List,

    /// <summary>Two things' values side by side ("Compare the revenue of X and Y").</summary>
    Comparison,

    /// <summary>What happened when ("What happened to X?", "timeline of X").</summary>
    Timeline,

    /// <summary>A short account of something ("Summarise X", "Tell me about X").</summary>
    Summary,
}

public static partial class AnswerTypes
{
    private static readonly string[] LocationNouns =
    [
        "city", "country", "state", "place", "town", "county", "region", "continent", "location", "province", "island",
        "river", "village", "nation", "capital", "borough", "district", "municipality", "area", "port", "mountain",
    ];

    private static readonly string[] OrganizationNouns =
    [
        "company", "organization", "organisation", "team", "band", "group", "university", "label", "network", "party",
        "school", "college", "agency", "publisher", "club", "firm", "corporation", "association", "institute", "league",
        "society", "studio", "airline", "brand", "manufacturer", "military", "army", "navy", "church", "court", "government",
    ];

    private static readonly string[] WorkNouns =
    [
        "film", "movie", "book", "album", "song", "novel", "show", "series", "magazine", "newspaper", "journal", "play",
        "opera", "game", "single", "poem", "report", "product", "program", "programme", "episode",
    ];

    public static ExpectedAnswer Expect(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var q = question.Trim().ToLowerInvariant();
        var types = new HashSet<string>(StringComparer.Ordinal);
        var options = Options(question);
        var yesNo = YesNoOpener().IsMatch(q) && options.Count == 0;

        if (DateCue().IsMatch(q))
        {
            types.Add(EntityTypes.Date);
        }

        if (QuantityCue().IsMatch(q))
        {
            types.Add(EntityTypes.Quantity);
        }

        if (WhereCue().IsMatch(q) || LocationQuestion.Value.IsMatch(q))
        {
            types.Add(EntityTypes.Location);
        }

        if (OrganizationQuestion.Value.IsMatch(q))
        {
            types.Add(EntityTypes.Organization);
        }

        if (WorkQuestion.Value.IsMatch(q))
        {
            types.Add(EntityTypes.Work);
        }

        if (types.Count == 0 && WhoCue().IsMatch(q))
        {
            types.Add(EntityTypes.Person);
            types.Add(EntityTypes.Organization);
        }

        return new ExpectedAnswer(types, yesNo && !Comparing().IsMatch(q), options) { Form = FormOf(q, options.Count > 0) };
    }

    private static AnswerForm FormOf(string q, bool offersOptions)
    {
        if (SummaryCue().IsMatch(q))
        {
            return AnswerForm.Summary;
        }

        if (TimelineCue().IsMatch(q))
        {
            return AnswerForm.Timeline;
        }

        if (Comparing().IsMatch(q) && offersOptions)
        {
            return AnswerForm.Comparison;
        }

        return !offersOptions && ListCue().IsMatch(q) ? AnswerForm.List : AnswerForm.Factual;
    }

    [GeneratedRegex(@"^\W*(summari[sz]e|describe|tell me about|give (me )?(an )?(overview|summary)|what (do we|do you|is) known? about)\b|\b(overview|summary|profile) of\b")]
    private static partial Regex SummaryCue();

    [GeneratedRegex(@"\b(timeline|chronolog\w*|in (what|which) order|history of|what happened|key events|milestones)\b")]
    private static partial Regex TimelineCue();

    [GeneratedRegex(@"^\W*(compare|how do(es)? .+ compare)\b|\b(comparison of|difference between|versus|vs\.?)\s")]
    private static partial Regex Comparing();

    [GeneratedRegex(@"^\W*(list|name (all|every)|name the \w+(ies|[^s']s))\b|^\W*(which|what)\s+(\w+\s+){0,2}?\w+(ies|[^s']s)\s+(did|do|does|are|were|have|has|had)\b|^\W*who (are|were) the \w+s\b")]
    private static partial Regex ListCue();

    /// <summary>"X or Y" alternatives in a comparison question ("Who was born first, Ada or Grace?").</summary>
    private static List<string> Options(string question)
    {
        var match = OrAlternatives().Match(question);
        if (!match.Success)
        {
            // "Compare the revenue of X and Y", "the difference between X and Y".
            var comparing = Comparing().IsMatch(question.ToLowerInvariant());
            match = ComparedPair().Match(question);
            if (!match.Success)
            {
                match = CompareImperative().Match(question);
            }

            match = match.Success && comparing ? match : Match.Empty;
        }
        if (!match.Success)
        {
            match = ChoiceBetween().Match(question);
        }

        return match.Success ? [match.Groups["a"].Value.Trim(), match.Groups["b"].Value.Trim()] : [];
    }

    /// <summary>
    /// The type the question's own wh-form asks for, ignoring the wh-words of its relative clauses: in "When did the
    /// country where X is located join Y?" the answer is a date, not a place, and in "The state where X died has how
    /// many districts?" a number. A wh-word counts when it opens the question (after at most one preposition: "In which
    /// city …"); "how many" and its kin count anywhere. Empty when the wording names no type ("What is the name of …").
    /// <see cref="Expect"/> keeps every cue, for retrieval; this is the stricter reading an answer is judged against.
    /// </summary>
    public static IReadOnlySet<string> HeadTypes(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var q = question.Trim().ToLowerInvariant();
        foreach (Match cue in HeadCue().Matches(q))
        {
            var quantity = cue.Groups["quantity"].Success;
            if (!quantity && !OpensQuestion().IsMatch(q[..cue.Index]))
            {
                continue;
            }

            if (quantity)
            {
                return new HashSet<string>(StringComparer.Ordinal) { EntityTypes.Quantity };
            }

            if (cue.Groups["date"].Success)
            {
                return new HashSet<string>(StringComparer.Ordinal) { EntityTypes.Date };
            }

            if (cue.Groups["where"].Success)
            {
                return new HashSet<string>(StringComparer.Ordinal) { EntityTypes.Location };
            }

            if (cue.Groups["who"].Success)
            {
                return new HashSet<string>(StringComparer.Ordinal) { EntityTypes.Person, EntityTypes.Organization };
            }

            // "what/which (up to two words) NOUN": the class of the last such noun, the phrase's head ("which venture
            // capital firm" asks for a firm, not a capital).
            var head = new[] { (LocationQuestion, EntityTypes.Location), (OrganizationQuestion, EntityTypes.Organization), (WorkQuestion, EntityTypes.Work) }
                .Select(c => (Match: c.Item1.Value.Match(q, cue.Index), Type: c.Item2))
                .Where(c => c.Match.Success && c.Match.Index == cue.Index)
                .OrderByDescending(c => c.Match.Length)
                .Select(c => c.Type)
                .FirstOrDefault();
            return head is null ? new HashSet<string>(StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal) { head };
        }

        return new HashSet<string>(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\b(?:(?<quantity>" + QuantityPhrases + ")|(?<date>" + DatePhrases + ")|(?<where>" + WherePhrases + ")|(?<who>" + WhoPhrases + @")|what|which)\b")]
    private static partial Regex HeadCue();

    [GeneratedRegex(@"^\W*(?:(?:in|from|to|of|at|by|for|with|on|during|since|until|into|under)\s+)?$")]
    private static partial Regex OpensQuestion();

    /// <summary>
    /// The words of a question that name the kind of its answer rather than a relation to follow: the modifiers of the
    /// class noun after "which"/"what" ("Which venture capital firm …": "venture", "capital"), and the class noun itself
    /// when the question equates it with a relation ("Which city is the capital of X?": "city").
    /// </summary>
    public static IReadOnlyList<string> KindWords(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var q = question.Trim().ToLowerInvariant();
        var words = new List<string>();
        if (WhHead(q) is { } head && head.Index > 0)
        {
            words.AddRange(head.Words[..head.Index]);
        }

        var definition = ClassIsRelation().Match(q);
        if (definition.Success)
        {
            words.Add(definition.Groups["noun"].Value);
        }

        return words;
    }

    /// <summary>
    /// The class noun that heads the question's own "which/what …" phrase ("In which country …" → "country", "Which
    /// venture capital firm …" → "firm", "What river …" → "river"), or null when the question opens otherwise or its
    /// phrase names no class ("What is …", "Who …").
    /// </summary>
    public static string? ClassNoun(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        // "What is the country where X lies named after?" asks about something the country is not.
        return WhHead(question.Trim().ToLowerInvariant()) is { } head && !head.Words[..head.Index].Any(Auxiliaries.Contains)
            ? head.Words[head.Index]
            : null;
    }

    private static readonly HashSet<string> Auxiliaries =
        new(["is", "was", "are", "were", "be", "been", "do", "does", "did", "has", "have", "had"], StringComparer.Ordinal);

    /// <summary>
    /// The words after the opening "which/what" and the index of the last class noun among the first three: the
    /// phrase's head ("venture capital firm" is a firm). Null without such a phrase.
    /// </summary>
    private static (string[] Words, int Index)? WhHead(string q)
    {
        var phrase = WhPhrase().Match(q);
        if (!phrase.Success)
        {
            return null;
        }

        var after = phrase.Groups["rest"].Value.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
        for (var n = Math.Min(2, after.Length - 1); n >= 0; n--)
        {
            if (ClassNouns.Contains(after[n]))
            {
                return (after, n);
            }
        }

        return null;
    }

    private static readonly HashSet<string> ClassNouns =
        LocationNouns.Concat(OrganizationNouns).Concat(WorkNouns).Append("person").ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^\W*(?:in\s+|at\s+|from\s+|for\s+|by\s+)?(?:which|what)\s+(?<rest>[a-z ]+)")]
    private static partial Regex WhPhrase();

    [GeneratedRegex(@"^\W*(?:in\s+)?(?:which|what)\s+(?<noun>[a-z]+)\s+(?:is|was|are|were)\s+(?:the|a|an)\s+(?:[a-z]+\s+){0,2}?[a-z]+\s+of\b")]
    private static partial Regex ClassIsRelation();

    /// <summary>
    /// "what/which/whose (up to two words) NOUN" for any noun of a list, as one regex: it matches exactly when one of the
    /// per-noun patterns would. Built once; a pattern per noun per call (73 of them) overflowed the static regex cache,
    /// so every question parsed them all again.
    /// </summary>
    private static Lazy<Regex> NounAfterWh(string[] nouns) =>
        new(() => new Regex(@"\b(what|which|in which|in what|whose)\s+(\w+\s+){0,2}?(?:" + string.Join('|', nouns.Select(Plural)) + @")\b"));

    private static readonly Lazy<Regex> LocationQuestion = NounAfterWh(LocationNouns);
    private static readonly Lazy<Regex> OrganizationQuestion = NounAfterWh(OrganizationNouns);
    private static readonly Lazy<Regex> WorkQuestion = NounAfterWh(WorkNouns);

    // The wording that asks for each type, shared by Expect (anywhere in the question) and HeadTypes (its own wh-form).
    private const string DatePhrases = "when|what year|which year|what date|what decade|what century|what time|how long ago";
    private const string QuantityPhrases = "how many|how much|how long|how old|how far|how tall|how big|what percentage|what number|what is the population|what was the population";
    private const string WherePhrases = "where";
    private const string WhoPhrases = "who|whom|whose";

    [GeneratedRegex(@"\b(" + DatePhrases + @")\b")]
    private static partial Regex DateCue();

    [GeneratedRegex(@"\b(" + QuantityPhrases + @")\b")]
    private static partial Regex QuantityCue();

    [GeneratedRegex(@"\b(" + WherePhrases + @")\b")]
    private static partial Regex WhereCue();

    [GeneratedRegex(@"\b(" + WhoPhrases + @")\b")]
    private static partial Regex WhoCue();

    [GeneratedRegex(@"(?:,|:)\s*(?<a>[^,?]+?)\s+or\s+(?<b>[^,?]+?)\s*\?*$")]
    private static partial Regex OrAlternatives();

    [GeneratedRegex(@"^.*\b(?:of|between)\s+(?<a>[^,?]+?)\s+(?:and|with|to|vs\.?|versus)\s+(?<b>[^,?]+?)\s*\?*$", RegexOptions.IgnoreCase)]
    private static partial Regex ComparedPair();

    [GeneratedRegex(@"^\W*compare\s+(?<a>[^,?]+?)\s+(?:and|with|to)\s+(?<b>[^,?]+?)\s*\?*$", RegexOptions.IgnoreCase)]
    private static partial Regex CompareImperative();

    [GeneratedRegex(@"^(?:which|who|what)\b[^,?]*?\b(?:between|of)\s+(?<a>[^,?]+?)\s+(?:and|or)\s+(?<b>[^,?]+?)\s*\?*$", RegexOptions.IgnoreCase)]
    private static partial Regex ChoiceBetween();

    /// <summary>The noun and its plural ("company" and "companies", "city" and "cities").</summary>
    private static string Plural(string noun) =>
        noun.EndsWith('y') && noun.Length > 2 && !"aeiou".Contains(noun[^2], StringComparison.Ordinal) ? noun[..^1] + "(y|ies)" : noun + "s?";

    [GeneratedRegex(@"^(is|are|was|were|do|does|did|can|could|has|have|had|will|would|should)\b")]
    private static partial Regex YesNoOpener();
}
