using System.Text.RegularExpressions;
using GraphRag.Graph.Model;

namespace GraphRag.Query.Answering;

/// <summary>What kind of thing a question asks for, read from its wording.</summary>
public sealed record ExpectedAnswer(IReadOnlySet<string> Types, bool YesNo, IReadOnlyList<string> Options);

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

        return new ExpectedAnswer(types, yesNo, options);
    }

    /// <summary>"X or Y" alternatives in a comparison question ("Who was born first, Ada or Grace?").</summary>
    private static List<string> Options(string question)
    {
        var match = Regex.Match(question, @"(?:,|:)\s*(?<a>[^,?]+?)\s+or\s+(?<b>[^,?]+?)\s*\?*$");
        if (!match.Success)
        {
            match = Regex.Match(question, @"^(?:which|who|what)\b[^,?]*?\b(?:between|of)\s+(?<a>[^,?]+?)\s+(?:and|or)\s+(?<b>[^,?]+?)\s*\?*$", RegexOptions.IgnoreCase);
        }

        return match.Success ? [match.Groups["a"].Value.Trim(), match.Groups["b"].Value.Trim()] : [];
    }

    private static bool NounAfterWh(string q, string[] nouns) =>
        nouns.Any(n => Regex.IsMatch(q, @"\b(what|which|in which|in what|whose)\s+(\w+\s+){0,2}?" + n + @"s?\b"));

    [GeneratedRegex(@"^(is|are|was|were|do|does|did|can|could|has|have|had|will|would|should)\b")]
    private static partial Regex YesNoOpener();
}
