using System.Collections.Frozen;

namespace GraphRag.Query.Retrieval;

/// <summary>Question words that name a relation ("author of X" asks along written_by), for choosing bridge entities.</summary>
internal static class RelationCues
{
    private static readonly FrozenDictionary<string, string[]> Cues = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["author"] = ["written_by", "created_by"],
        ["wrote"] = ["written_by", "created_by"],
        ["written"] = ["written_by"],
        ["writer"] = ["written_by"],
        ["novelist"] = ["written_by"],
        ["poet"] = ["written_by"],
        ["composer"] = ["written_by", "created_by"],
        ["composed"] = ["written_by", "created_by"],
        ["director"] = ["directed_by"],
        ["directed"] = ["directed_by"],
        ["performer"] = ["performed_by"],
        ["performed"] = ["performed_by"],
        ["singer"] = ["performed_by"],
        ["sang"] = ["performed_by"],
        ["artist"] = ["performed_by", "created_by"],
        ["band"] = ["performed_by", "member_of"],
        ["recorded"] = ["performed_by"],
        ["producer"] = ["produced_by"],
        ["produced"] = ["produced_by"],
        ["founder"] = ["founded_by"],
        ["founded"] = ["founded_by"],
        ["established"] = ["founded_by"],
        ["creator"] = ["created_by"],
        ["maker"] = ["created_by", "developed_by", "produced_by"],
        ["made"] = ["created_by", "developed_by", "produced_by"],
        ["manufacturer"] = ["created_by", "developed_by", "produced_by"],
        ["manufactured"] = ["created_by", "developed_by", "produced_by"],
        ["built"] = ["created_by", "developed_by", "produced_by"],
        ["builds"] = ["created_by", "developed_by", "produced_by"],
        ["designed"] = ["created_by", "developed_by"],
        ["designer"] = ["created_by", "developed_by"],
        ["runs"] = ["employed_by", "member_of"],
        ["leads"] = ["employed_by", "member_of"],
        ["chief"] = ["employed_by"],
        ["executive"] = ["employed_by"],
        ["ceo"] = ["employed_by"],
        ["chair"] = ["member_of", "employed_by"],
        ["directs"] = ["employed_by"],
        ["operates"] = ["owned_by"],
        ["created"] = ["created_by"],
        ["born"] = ["born_in"],
        ["birthplace"] = ["born_in"],
        ["died"] = ["died_in"],
        ["death"] = ["died_in"],
        ["located"] = ["located_in", "headquartered_in", "part_of"],
        ["location"] = ["located_in", "headquartered_in"],
        ["headquarters"] = ["headquartered_in"],
        ["headquartered"] = ["headquartered_in"],
        ["city"] = ["located_in", "headquartered_in", "born_in"],
        ["country"] = ["located_in", "part_of", "capital_of"],
        ["state"] = ["located_in", "part_of"],
        ["county"] = ["located_in", "part_of"],
        ["capital"] = ["capital_of"],
        ["spouse"] = ["married_to"],
        ["married"] = ["married_to"],
        ["wife"] = ["married_to"],
        ["husband"] = ["married_to"],
        ["member"] = ["member_of"],
        ["owner"] = ["owned_by"],
        ["owned"] = ["owned_by"],
        ["owns"] = ["owned_by"],
        ["developer"] = ["developed_by"],
        ["developed"] = ["developed_by"],
        ["publisher"] = ["published_by"],
        ["published"] = ["published_by"],
        ["educated"] = ["educated_at"],
        ["attended"] = ["educated_at"],
        ["studied"] = ["educated_at"],
        ["employer"] = ["employed_by"],
        ["worked"] = ["employed_by"],
        ["acquired"] = ["acquired"],
        ["bought"] = ["acquired"],
        ["subsidiary"] = ["subsidiary_of"],
        ["parent"] = ["subsidiary_of", "owned_by"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>For each relation word of the question, the labels it may mean.</summary>
    public static IReadOnlyList<IReadOnlySet<string>> CuesFor(IEnumerable<string> terms) =>
        terms.Where(Cues.ContainsKey).Distinct(StringComparer.Ordinal).Select(t => (IReadOnlySet<string>)Cues[t].ToHashSet(StringComparer.Ordinal)).ToList();

    /// <summary>The relation labels the question's words point at.</summary>
    public static HashSet<string> LabelsFor(IEnumerable<string> terms)
    {
        var labels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            if (Cues.TryGetValue(term, out var found))
            {
                labels.UnionWith(found);
            }
        }

        return labels;
    }
}
