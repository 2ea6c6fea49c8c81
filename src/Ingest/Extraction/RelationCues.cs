using System.Collections.Frozen;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>
/// The cue words that state the built-in relations of <see cref="RelationVocabulary"/> between two mentions. A cue is read from the words between two
/// mentions; <c>Reverse</c> means the right-hand mention is the relation's source ("Y founded X" → X founded_by Y).
/// </summary>
internal static class RelationCues
{
    private const string FoundedBy = RelationVocabulary.FoundedBy;
    private const string DirectedBy = RelationVocabulary.DirectedBy;
    private const string WrittenBy = RelationVocabulary.WrittenBy;
    private const string ProducedBy = RelationVocabulary.ProducedBy;
    private const string PerformedBy = RelationVocabulary.PerformedBy;
    private const string BornIn = RelationVocabulary.BornIn;
    private const string DiedIn = RelationVocabulary.DiedIn;
    private const string LocatedIn = RelationVocabulary.LocatedIn;
    private const string HeadquarteredIn = RelationVocabulary.HeadquarteredIn;
    private const string PartOf = RelationVocabulary.PartOf;
    private const string MemberOf = RelationVocabulary.MemberOf;
    private const string SubsidiaryOf = RelationVocabulary.SubsidiaryOf;
    private const string Acquired = RelationVocabulary.Acquired;
    private const string MarriedTo = RelationVocabulary.MarriedTo;
    private const string CapitalOf = RelationVocabulary.CapitalOf;
    private const string EmployedBy = RelationVocabulary.EmployedBy;
    private const string OwnedBy = RelationVocabulary.OwnedBy;
    private const string DevelopedBy = RelationVocabulary.DevelopedBy;
    private const string PublishedBy = RelationVocabulary.PublishedBy;
    private const string EducatedAt = RelationVocabulary.EducatedAt;
    private const string CreatedBy = RelationVocabulary.CreatedBy;
    private const string CustomerOf = RelationVocabulary.CustomerOf;
    private const string FundedBy = RelationVocabulary.FundedBy;
    private const string LedBy = RelationVocabulary.LedBy;
    private const string CollidedWith = RelationVocabulary.CollidedWith;

    /// <summary>"X was V … by Y": participles (and nouns: "a song by") that a closing "by" turns into a relation.</summary>
    private static readonly FrozenDictionary<string, (string Label, bool Reverse)> PassiveBy = Map(
        (FoundedBy, false, "founded cofounded established started"),
        (DirectedBy, false, "directed codirected film"),
        (WrittenBy, false, "written authored penned cowritten novel book poem play story"),
        (ProducedBy, false, "produced coproduced"),
        (PerformedBy, false, "performed sung recorded song album single ep"),
        (DevelopedBy, false, "developed"),
        (PublishedBy, false, "published"),
        (CreatedBy, false, "created designed invented conceived painted composed painting opera symphony made built manufactured"),
        (OwnedBy, false, "owned operated"),
        (Acquired, true, "acquired bought purchased"),
        (EmployedBy, false, "employed"),
        (FundedBy, false, "funded financed backed bankrolled"),
        (CollidedWith, true, "struck rammed"));

    /// <summary>Nouns of a financing that "led by" closes: "a Series B round led by Y" names the round's lead investor.</summary>
    private static readonly FrozenSet<string> Financings = Set("round financing funding investment raise");

    /// <summary>"Y V X": verbs in the active voice, as the last word before the second mention.</summary>
    private static readonly FrozenDictionary<string, (string Label, bool Reverse)> Active = Map(
        (FoundedBy, true, "founded cofounded established"),
        (DirectedBy, true, "directed codirected directs"),
        (WrittenBy, true, "wrote authored penned cowrote writes"),
        (ProducedBy, true, "produced coproduced produces"),
        (PerformedBy, true, "performed recorded sang sings performs"),
        (DevelopedBy, true, "developed develops"),
        (PublishedBy, true, "published publishes"),
        (CreatedBy, true, "created designed invented creates composed makes builds manufactures"),
        (OwnedBy, true, "owns operates"),
        (Acquired, false, "acquired bought purchased acquires"),
        (MarriedTo, false, "married marries wed"),
        (EducatedAt, false, "attended"),
        (MemberOf, false, "joined"),
        (EmployedBy, true, "employs"),
        (CollidedWith, false, "struck rammed"));

    /// <summary>"X … trigger prep Y": a trigger word and the prepositions that may close it.</summary>
    private static readonly (string Label, bool Reverse, FrozenSet<string> Triggers, FrozenSet<string> Tails)[] Prepositional =
    [
        (BornIn, false, Set("born"), Set("in at on")),
        (DiedIn, false, Set("died"), Set("in at")),
        (HeadquarteredIn, false, Set("headquartered based headquarters"), Set("in at")),
        (LocatedIn, false, Set("located situated lies lying sited held"), Set("in within on")),
        (LocatedIn, false, Set("city town village hamlet community municipality commune suburb neighborhood neighbourhood borough county district province region river lake mountain island settlement locality place cdp parish township"), Set("in")),
        (PartOf, false, Set("part"), Set("of")),
        (MemberOf, false, Set("member members"), Set("of")),
        (SubsidiaryOf, false, Set("subsidiary division imprint affiliate"), Set("of")),
        (CapitalOf, false, Set("capital"), Set("of")),
        (FoundedBy, true, Set("founder founders cofounder"), Set("of")),
        (WrittenBy, true, Set("author writer"), Set("of")),
        (CreatedBy, true, Set("creator inventor designer maker manufacturer builder"), Set("of")),
        (OwnedBy, true, Set("owner owners"), Set("of")),
        (PublishedBy, true, Set("publisher"), Set("of")),
        (ProducedBy, true, Set("producer"), Set("of")),
        (DevelopedBy, true, Set("developer"), Set("of")),
        (MarriedTo, false, Set("wife husband spouse widow widower"), Set("of")),
        (MarriedTo, false, Set("married"), Set("to")),
        (EmployedBy, false, Set("worked works working employed employee"), Set("for at by of")),
        (EducatedAt, false, Set("studied educated graduated enrolled trained alumnus graduate"), Set("at from")),
        (EmployedBy, false, Set("executive ceo cto cfo coo chairman chairwoman president director head manager officer engineer"), Set("of at")),
        (CustomerOf, false, Set("customer customers client clients buyer"), Set("of")),
        (CollidedWith, false, Set("collided"), Set("with")),
        (FundedBy, true, Set("investor investors backer backers"), Set("of in")),
        (FundedBy, true, Set("invested"), Set("in")),
    ];

    private static readonly FrozenSet<string> RelationalNouns = Prepositional
        .Where(static p => p.Tails.Contains("of"))
        .SelectMany(static p => p.Triggers)
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Roles that lead an organisation: who holds one is employed by it and leads it (led_by).</summary>
    private static readonly FrozenSet<string> LeadingRoles =
        Set("executive ceo chairman chairwoman chairperson chair president director head");

    /// <summary>Words inside a role's noun phrase that do not change the relation: "chief", "managing", "co" of "co-founder".</summary>
    private static readonly FrozenSet<string> RoleModifiers =
        Set("co chief managing executive general deputy vice senior founding former current first sole joint acting principal lead");

    private static readonly FrozenSet<string> Auxiliaries = Set("was were is are be been being");

    private static readonly FrozenSet<string> Determiners = Set("the a an his her its their our this that");

    /// <summary>Words that end a clause: a cue on the far side of one does not link the two mentions.</summary>
    private static readonly FrozenSet<string> ClauseBreaks = Set("that because although though while whereas but when after before since until if");

    /// <summary>Reads a relation from the key words between two mentions; null when the words state none.</summary>
    public static (string Label, bool Reverse)? Match(ReadOnlySpan<string> words)
    {
        if (words.IsEmpty)
        {
            return null;
        }

        foreach (var word in words)
        {
            if (ClauseBreaks.Contains(word))
            {
                return null;
            }
        }

        // Modifiers before the second mention do not change the cue: "published by the American company X".
        var stripped = words.Length;
        while (stripped > 1 && IsModifier(words[stripped - 1]))
        {
            stripped--;
        }

        // "by the marine biologist X": adjectives between a determiner and a stripped category noun go with it.
        if (stripped < words.Length && Lexicon.CategoryNouns.ContainsKey(words[stripped]))
        {
            for (var k = stripped - 1; k >= 1 && k >= stripped - 3; k--)
            {
                if (Determiners.Contains(words[k]))
                {
                    stripped = k;
                    break;
                }

                if (Lexicon.FunctionWords.Contains(words[k]) || PassiveBy.ContainsKey(words[k]) || Active.ContainsKey(words[k]))
                {
                    break;
                }
            }
        }

        var cueWords = words[..stripped];
        var last = cueWords[^1];
        if (last == "by")
        {
            // "raised €6 million in a round led by Y": the financing's lead investor.
            if (cueWords.Length >= 3 && cueWords[^2] == "led" && Financings.Contains(cueWords[^3]))
            {
                return (FundedBy, false);
            }

            for (var k = cueWords.Length - 2; k >= 0; k--)
            {
                if (PassiveBy.TryGetValue(cueWords[k], out var passive))
                {
                    return passive;
                }
            }

            return null;
        }

        // "Its chief executive is X", "whose founder was X": the relation noun before a copula, the other way round.
        if (last is "is" or "was" && cueWords.Length >= 2 && RelationalNouns.Contains(cueWords[^2]))
        {
            foreach (var (label, reverse, triggers, tails) in Prepositional)
            {
                if (tails.Contains("of") && triggers.Contains(cueWords[^2]))
                {
                    return (label, !reverse);
                }
            }
        }

        foreach (var (label, reverse, triggers, tails) in Prepositional)
        {
            if (!tails.Contains(last))
            {
                continue;
            }

            for (var k = cueWords.Length - 2; k >= 0 && k >= cueWords.Length - 8; k--)
            {
                if (triggers.Contains(cueWords[k]))
                {
                    return (label, reverse);
                }
            }
        }

        // Active voice: the verb is the last word, give or take modifiers ("founded the company X").
        var end = cueWords.Length;
        if (Active.TryGetValue(cueWords[end - 1], out var active) && !(end >= 2 && Auxiliaries.Contains(cueWords[end - 2])))
        {
            return active;
        }

        return null;
    }

    /// <summary>
    /// Every relation the words state: the one <see cref="Match"/> reads, and the other relation nouns coordinated with
    /// it before a closing "of" ("the co-founder and chief executive of Y" states founded_by and employed_by).
    /// </summary>
    public static IReadOnlyList<(string Label, bool Reverse)> MatchAll(ReadOnlySpan<string> words)
    {
        if (Match(words) is not { } first)
        {
            return [];
        }

        var found = new List<(string Label, bool Reverse)> { first };
        AddLeadership(words, first, found);
        if (words.Length < 4 || words[^1] != "of")
        {
            return found;
        }

        // Walk back over the noun phrase before "of": relation nouns, role modifiers ("chief", "managing") and "and".
        var coordinated = false;
        var nouns = new List<string>();
        for (var k = words.Length - 2; k >= 0; k--)
        {
            var word = words[k];
            if (word == "and")
            {
                coordinated = true;
            }
            else if (RelationalNouns.Contains(word))
            {
                nouns.Add(word);
            }
            else if (!RoleModifiers.Contains(word))
            {
                break;
            }
        }

        if (!coordinated || nouns.Count < 2)
        {
            return found;
        }

        foreach (var noun in nouns)
        {
            foreach (var (label, reverse, triggers, tails) in Prepositional)
            {
                if (tails.Contains("of") && triggers.Contains(noun))
                {
                    if (!found.Contains((label, reverse)))
                    {
                        found.Add((label, reverse));
                        AddLeadership(words, (label, reverse), found);
                    }

                    break;
                }
            }
        }

        return found;
    }

    /// <summary>"chief executive of Y", "Y's president is X": a leading role is employment and leadership (Y led_by X).</summary>
    private static void AddLeadership(ReadOnlySpan<string> words, (string Label, bool Reverse) cue, List<(string Label, bool Reverse)> found)
    {
        if (cue.Label != EmployedBy || found.Contains((LedBy, !cue.Reverse)))
        {
            return;
        }

        // The role noun is next to the closing preposition or copula: "chief executive of", "chief executive is".
        var end = words.Length;
        while (end > 0 && (Determiners.Contains(words[end - 1]) || words[end - 1] is "of" or "at" or "is" or "was"))
        {
            end--;
        }

        if (end > 0 && LeadingRoles.Contains(words[end - 1]))
        {
            found.Add((LedBy, !cue.Reverse));
        }
    }

    /// <summary>
    /// "[first large] customer was [the]": a relation noun and a copula, as after a possessive ("Marea's first large
    /// customer was Y", "the firm's founder is Y"), where the possessor is the relation's other side.
    /// </summary>
    public static bool IsRoleCopula(ReadOnlySpan<string> words)
    {
        var end = words.Length;
        while (end > 0 && Determiners.Contains(words[end - 1]))
        {
            end--;
        }

        return end >= 2 && end <= 5 && words[end - 1] is "is" or "was" && RelationalNouns.Contains(words[end - 2]);
    }

    /// <summary>A noun that states a relation with "of" ("the capital of", "a member of", "a co-founder of").</summary>
    public static bool IsRelationalNoun(string word) => RelationalNouns.Contains(word);

    /// <summary>A participle that opens a phrase about the name before it ("X, written by Y", "X, based in Y").</summary>
    public static bool IsParticiple(string word) =>
        (PassiveBy.ContainsKey(word) && !Lexicon.CategoryNouns.ContainsKey(word)) || word is "born" or "died" or "headquartered" or "based" or "located" or "situated";

    /// <summary>A relation from a work or product to who made it: not what an organisation has to its founders.</summary>
    public static bool MakesAWork(string label) =>
        label is CreatedBy or WrittenBy or DirectedBy or ProducedBy or PerformedBy or DevelopedBy;

    /// <summary>A participle or verb that states a relation ("directed by X and written by Y").</summary>
    public static bool IsVerbCue(string word) => (PassiveBy.ContainsKey(word) && !Lexicon.CategoryNouns.ContainsKey(word)) || Active.ContainsKey(word);

    private static bool IsModifier(string word) =>
        Determiners.Contains(word) || Lexicon.CategoryNouns.ContainsKey(word) || Lexicon.Demonyms.Contains(word)
        || word is "former" or "fellow" or "late" or "then" or "new" or "local" or "famous" or "noted" or "renowned";

    /// <summary>Type constraints that keep cue relations plausible (the vocabulary's rule).</summary>
    public static bool Allows(string label, string sourceType, string targetType) => RelationVocabulary.Allows(label, sourceType, targetType);

    private static FrozenDictionary<string, (string Label, bool Reverse)> Map(params (string Label, bool Reverse, string Words)[] rules)
    {
        var map = new Dictionary<string, (string, bool)>(StringComparer.Ordinal);
        foreach (var (label, reverse, words) in rules)
        {
            foreach (var word in words.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                map.TryAdd(word, (label, reverse));
            }
        }

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenSet<string> Set(string words) =>
        words.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);
}
