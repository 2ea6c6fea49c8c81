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

        if (Regex.IsMatch(q, @"\b(when|what year|which year|what date|what decade|what century|what time|how long ago)\b"))
        {
            types.Add(EntityTypes.Date);
        }

        if (Regex.IsMatch(q, @"\b(how many|how much|how long|how old|how far|how tall|how big|what percentage|what number|what is the population|what was the population)\b"))
        {
            types.Add(EntityTypes.Quantity);
        }

        if (Regex.IsMatch(q, @"\bwhere\b") || NounAfterWh(q, LocationNouns))
        {
            types.Add(EntityTypes.Location);
        }

        if (NounAfterWh(q, OrganizationNouns))
        {
            types.Add(EntityTypes.Organization);
        }

        if (NounAfterWh(q, WorkNouns))
        {
            types.Add(EntityTypes.Work);
        }

        if (types.Count == 0 && Regex.IsMatch(q, @"\b(who|whom|whose)\b"))
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
        var match = Regex.Match(question, @"(?:,|:)\s*(?<a>[^,?]+?)\s+or\s+(?<b>[^,?]+?)\s*\?*$");
        if (!match.Success)
        {
            // "Compare the revenue of X and Y", "the difference between X and Y".
            var comparing = Comparing().IsMatch(question.ToLowerInvariant());
            match = Regex.Match(question, @"^.*\b(?:of|between)\s+(?<a>[^,?]+?)\s+(?:and|with|to|vs\.?|versus)\s+(?<b>[^,?]+?)\s*\?*$", RegexOptions.IgnoreCase);
            if (!match.Success)
            {
                match = Regex.Match(question, @"^\W*compare\s+(?<a>[^,?]+?)\s+(?:and|with|to)\s+(?<b>[^,?]+?)\s*\?*$", RegexOptions.IgnoreCase);
            }

            match = match.Success && comparing ? match : Match.Empty;
        }
        if (!match.Success)
        {
            match = Regex.Match(question, @"^(?:which|who|what)\b[^,?]*?\b(?:between|of)\s+(?<a>[^,?]+?)\s+(?:and|or)\s+(?<b>[^,?]+?)\s*\?*$", RegexOptions.IgnoreCase);
        }

        return match.Success ? [match.Groups["a"].Value.Trim(), match.Groups["b"].Value.Trim()] : [];
    }

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
        var phrase = WhPhrase().Match(q);
        if (phrase.Success)
        {
            var after = phrase.Groups["rest"].Value.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
            // The last class noun of the phrase is its head: "venture capital firm" is a firm.
            for (var n = Math.Min(2, after.Length - 1); n >= 1; n--)
            {
                if (ClassNouns.Contains(after[n]))
                {
                    words.AddRange(after[..n]);
                    break;
                }
            }
        }

        var definition = ClassIsRelation().Match(q);
        if (definition.Success)
        {
            words.Add(definition.Groups["noun"].Value);
        }

        return words;
    }

    private static readonly HashSet<string> ClassNouns =
        LocationNouns.Concat(OrganizationNouns).Concat(WorkNouns).Append("person").ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^\W*(?:in\s+|at\s+|from\s+|for\s+|by\s+)?(?:which|what)\s+(?<rest>[a-z ]+)")]
    private static partial Regex WhPhrase();

    [GeneratedRegex(@"^\W*(?:in\s+)?(?:which|what)\s+(?<noun>[a-z]+)\s+(?:is|was|are|were)\s+(?:the|a|an)\s+(?:[a-z]+\s+){0,2}?[a-z]+\s+of\b")]
    private static partial Regex ClassIsRelation();

    private static bool NounAfterWh(string q, string[] nouns) =>
        nouns.Any(n => Regex.IsMatch(q, @"\b(what|which|in which|in what|whose)\s+(\w+\s+){0,2}?" + Plural(n) + @"\b"));

    /// <summary>The noun and its plural ("company" and "companies", "city" and "cities").</summary>
    private static string Plural(string noun) =>
        noun.EndsWith('y') && noun.Length > 2 && !"aeiou".Contains(noun[^2], StringComparison.Ordinal) ? noun[..^1] + "(y|ies)" : noun + "s?";

    [GeneratedRegex(@"^(is|are|was|were|do|does|did|can|could|has|have|had|will|would|should)\b")]
    private static partial Regex YesNoOpener();
}
