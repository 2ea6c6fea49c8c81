using System.Collections.Frozen;

namespace GraphRag.Graph.Model;

/// <summary>
/// The one relation vocabulary: the labels relations carry, the type constraints that keep extracted ones plausible,
/// and the question words that ask along them ("author" → <c>written_by</c>). Extraction writes these labels;
/// chain reasoning and bridge scoring read questions with the same table, so a relation a domain profile adds
/// ("treats", cue "is prescribed for") is found in questions too. Immutable; <see cref="With"/> makes an extended copy.
/// </summary>
public sealed class RelationVocabulary
{
    public const string FoundedBy = "founded_by";
    public const string DirectedBy = "directed_by";
    public const string WrittenBy = "written_by";
    public const string ProducedBy = "produced_by";
    public const string PerformedBy = "performed_by";
    public const string BornIn = "born_in";
    public const string DiedIn = "died_in";
    public const string LocatedIn = "located_in";
    public const string HeadquarteredIn = "headquartered_in";
    public const string PartOf = "part_of";
    public const string MemberOf = "member_of";
    public const string SubsidiaryOf = "subsidiary_of";
    public const string Acquired = "acquired";
    public const string MarriedTo = "married_to";
    public const string CapitalOf = "capital_of";
    public const string EmployedBy = "employed_by";
    public const string OwnedBy = "owned_by";
    public const string DevelopedBy = "developed_by";
    public const string PublishedBy = "published_by";
    public const string EducatedAt = "educated_at";
    public const string CreatedBy = "created_by";
    public const string CustomerOf = "customer_of";
    public const string FundedBy = "funded_by";
    public const string LedBy = "led_by";
    public const string CollidedWith = "collided_with";

    private readonly FrozenDictionary<string, string[]> _questionWords;

    private RelationVocabulary(IReadOnlyDictionary<string, string[]> questionWords, IReadOnlySet<string> labels)
    {
        _questionWords = questionWords.ToFrozenDictionary(StringComparer.Ordinal);
        Labels = labels.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The built-in vocabulary.</summary>
    public static RelationVocabulary BuiltIn { get; } = new(BuiltInQuestionWords(), BuiltInLabels());

    /// <summary>Every label, built-in and added.</summary>
    public IReadOnlySet<string> Labels { get; }

    /// <summary>
    /// A copy that also knows domain relations: each label with the words a question uses for it (a domain's cue
    /// phrases give them: "is prescribed for" → "prescribed").
    /// </summary>
    public RelationVocabulary With(IEnumerable<(string Label, IEnumerable<string> QuestionWords)> relations)
    {
        ArgumentNullException.ThrowIfNull(relations);
        var words = _questionWords.ToDictionary(p => p.Key, p => p.Value.ToList(), StringComparer.Ordinal);
        var labels = new HashSet<string>(Labels, StringComparer.Ordinal);
        foreach (var (label, questionWords) in relations)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(label);
            labels.Add(label);
            foreach (var word in questionWords.Select(w => w.ToLowerInvariant()).Where(w => w.Length > 2 && !Filler.Contains(w)))
            {
                if (!words.TryGetValue(word, out var list))
                {
                    words[word] = list = [];
                }

                if (!list.Contains(label, StringComparer.Ordinal))
                {
                    list.Add(label);
                }
            }
        }

        return new RelationVocabulary(words.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal), labels);
    }

    /// <summary>For each relation word among a question's terms, the labels it may mean.</summary>
    public IReadOnlyList<IReadOnlySet<string>> CuesFor(IEnumerable<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return terms.Where(_questionWords.ContainsKey).Distinct(StringComparer.Ordinal)
            .Select(t => (IReadOnlySet<string>)_questionWords[t].ToHashSet(StringComparer.Ordinal))
            .ToList();
    }

    /// <summary>The labels a question's terms point at.</summary>
    public HashSet<string> LabelsFor(IEnumerable<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var labels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            if (_questionWords.TryGetValue(term, out var found))
            {
                labels.UnionWith(found);
            }
        }

        return labels;
    }

    /// <summary>Type constraints that keep extracted relations plausible ("born in" does not point at a person).</summary>
    public static bool Allows(string label, string sourceType, string targetType) => label switch
    {
        BornIn or DiedIn =>
            sourceType is not (EntityTypes.Location or EntityTypes.Work) && targetType is not (EntityTypes.Person or EntityTypes.Work),
        LocatedIn or HeadquarteredIn or CapitalOf =>
            sourceType != EntityTypes.Person && targetType is not (EntityTypes.Person or EntityTypes.Work),
        MarriedTo => sourceType is EntityTypes.Person or EntityTypes.Other && targetType is EntityTypes.Person or EntityTypes.Other,
        EducatedAt or EmployedBy or MemberOf => sourceType is not (EntityTypes.Location or EntityTypes.Work) && targetType is not (EntityTypes.Location or EntityTypes.Work),
        _ => targetType != EntityTypes.Location,
    };

    private static readonly FrozenSet<string> Filler =
        new[] { "the", "and", "for", "with", "was", "were", "has", "had", "have", "been", "from", "into", "that", "this" }.ToFrozenSet(StringComparer.Ordinal);

    private static HashSet<string> BuiltInLabels() =>
    [
        FoundedBy, DirectedBy, WrittenBy, ProducedBy, PerformedBy, BornIn, DiedIn, LocatedIn, HeadquarteredIn, PartOf, MemberOf,
        SubsidiaryOf, Acquired, MarriedTo, CapitalOf, EmployedBy, OwnedBy, DevelopedBy, PublishedBy, EducatedAt, CreatedBy,
        CustomerOf, FundedBy, LedBy, CollidedWith,
    ];

    /// <summary>Question words (as the question analyser gives them: lower case, unstemmed) and the labels they ask along.</summary>
    private static Dictionary<string, string[]> BuiltInQuestionWords() => new(StringComparer.Ordinal)
    {
        ["author"] = [WrittenBy, CreatedBy],
        ["wrote"] = [WrittenBy, CreatedBy],
        ["written"] = [WrittenBy],
        ["writer"] = [WrittenBy],
        ["novelist"] = [WrittenBy],
        ["poet"] = [WrittenBy],
        ["composer"] = [WrittenBy, CreatedBy],
        ["composed"] = [WrittenBy, CreatedBy],
        ["director"] = [DirectedBy],
        ["directed"] = [DirectedBy],
        ["performer"] = [PerformedBy],
        ["performed"] = [PerformedBy],
        ["singer"] = [PerformedBy],
        ["sang"] = [PerformedBy],
        ["artist"] = [PerformedBy, CreatedBy],
        ["band"] = [PerformedBy, MemberOf],
        ["recorded"] = [PerformedBy],
        ["producer"] = [ProducedBy],
        ["produced"] = [ProducedBy],
        ["founder"] = [FoundedBy],
        ["founded"] = [FoundedBy],
        ["established"] = [FoundedBy],
        ["creator"] = [CreatedBy],
        ["maker"] = [CreatedBy, DevelopedBy, ProducedBy],
        ["made"] = [CreatedBy, DevelopedBy, ProducedBy],
        ["manufacturer"] = [CreatedBy, DevelopedBy, ProducedBy],
        ["manufactured"] = [CreatedBy, DevelopedBy, ProducedBy],
        ["built"] = [CreatedBy, DevelopedBy, ProducedBy],
        ["builds"] = [CreatedBy, DevelopedBy, ProducedBy],
        ["designed"] = [CreatedBy, DevelopedBy],
        ["designer"] = [CreatedBy, DevelopedBy],
        // Who leads an organisation (led_by) is also employed by it; "chief" alone may be any senior role ("chief engineer").
        ["runs"] = [EmployedBy, MemberOf, LedBy],
        ["leads"] = [EmployedBy, MemberOf, LedBy],
        ["chief"] = [EmployedBy, LedBy],
        ["executive"] = [LedBy],
        ["ceo"] = [LedBy],
        ["president"] = [LedBy],
        ["chairman"] = [LedBy],
        ["chair"] = [MemberOf, EmployedBy, LedBy],
        ["directs"] = [EmployedBy, LedBy],
        ["operates"] = [OwnedBy],
        ["operated"] = [OwnedBy],
        ["operator"] = [OwnedBy],
        ["created"] = [CreatedBy],
        ["born"] = [BornIn],
        ["birthplace"] = [BornIn],
        ["died"] = [DiedIn],
        ["death"] = [DiedIn],
        ["located"] = [LocatedIn, HeadquarteredIn, PartOf],
        ["location"] = [LocatedIn, HeadquarteredIn],
        ["headquarters"] = [HeadquarteredIn],
        ["headquartered"] = [HeadquarteredIn],
        ["city"] = [LocatedIn, HeadquarteredIn, BornIn],
        ["country"] = [LocatedIn, PartOf, CapitalOf],
        ["state"] = [LocatedIn, PartOf],
        ["county"] = [LocatedIn, PartOf],
        ["capital"] = [CapitalOf],
        ["spouse"] = [MarriedTo],
        ["married"] = [MarriedTo],
        ["wife"] = [MarriedTo],
        ["husband"] = [MarriedTo],
        ["member"] = [MemberOf],
        // What a company owns it has usually bought or holds as a subsidiary: "the company that owns X".
        ["owner"] = [OwnedBy, SubsidiaryOf, Acquired],
        ["owned"] = [OwnedBy, SubsidiaryOf, Acquired],
        ["owns"] = [OwnedBy, SubsidiaryOf, Acquired],
        ["developer"] = [DevelopedBy],
        ["developed"] = [DevelopedBy],
        ["publisher"] = [PublishedBy],
        ["published"] = [PublishedBy],
        ["educated"] = [EducatedAt],
        ["attended"] = [EducatedAt],
        ["studied"] = [EducatedAt],
        ["employer"] = [EmployedBy],
        ["worked"] = [EmployedBy],
        ["acquired"] = [Acquired],
        ["bought"] = [Acquired],
        ["subsidiary"] = [SubsidiaryOf],
        ["customer"] = [CustomerOf],
        ["customers"] = [CustomerOf],
        ["client"] = [CustomerOf],
        ["clients"] = [CustomerOf],
        ["buyer"] = [CustomerOf],
        ["investor"] = [FundedBy],
        ["investors"] = [FundedBy],
        ["invested"] = [FundedBy],
        ["backed"] = [FundedBy],
        ["funded"] = [FundedBy],
        ["financed"] = [FundedBy],
        ["round"] = [FundedBy],
        ["struck"] = [CollidedWith],
        ["collided"] = [CollidedWith],
        ["collision"] = [CollidedWith],
        ["rammed"] = [CollidedWith],
        ["held"] = [LocatedIn],
        ["hosted"] = [LocatedIn],
        ["parent"] = [SubsidiaryOf, OwnedBy],
    };
}
