using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

internal enum CandidateKind : byte
{
    Profile,
    Title,
    Quoted,
    Date,
    Quantity,
    Name,
}

/// <summary>Evidence for each coarse type; the entity takes the type with the most evidence over all its mentions.</summary>
internal struct TypeScores
{
    public float Person;
    public float Organization;
    public float Location;
    public float Work;
    public float Other;

    public void Add(string? type, float weight)
    {
        switch (type)
        {
            case EntityTypes.Person: Person += weight; break;
            case EntityTypes.Organization: Organization += weight; break;
            case EntityTypes.Location: Location += weight; break;
            case EntityTypes.Work: Work += weight; break;
            case EntityTypes.Other: Other += weight; break;
            default: break;
        }
    }

    public void Add(in TypeScores other)
    {
        Person += other.Person;
        Organization += other.Organization;
        Location += other.Location;
        Work += other.Work;
        Other += other.Other;
    }

    public void Subtract(in TypeScores other)
    {
        Person -= other.Person;
        Organization -= other.Organization;
        Location -= other.Location;
        Work -= other.Work;
        Other -= other.Other;
    }

    public readonly float Of(string type) => type switch
    {
        EntityTypes.Person => Person,
        EntityTypes.Organization => Organization,
        EntityTypes.Location => Location,
        EntityTypes.Work => Work,
        EntityTypes.Other => Other,
        _ => 0,
    };

    /// <summary>The type with the most evidence; <see cref="EntityTypes.Other"/> when there is none.</summary>
    public readonly string Best()
    {
        var best = EntityTypes.Other;
        var score = 0.99f;
        if (Location > score) { best = EntityTypes.Location; score = Location; }
        if (Person > score) { best = EntityTypes.Person; score = Person; }
        if (Organization > score) { best = EntityTypes.Organization; score = Organization; }
        if (Work > score) { best = EntityTypes.Work; score = Work; }
        if (Other > score) { best = EntityTypes.Other; }
        return best;
    }
}

/// <summary>
/// A span that may become a mention. Mutable while the passes work on it: candidates finds it, typing gives it a key and
/// type evidence, resolution an entity key. Each pass hands its candidates on and no longer touches them.
/// </summary>
internal sealed class Candidate
{
    /// <summary>Document order: by start, the longer span first where two start together.</summary>
    public static readonly Comparison<Candidate> ByPosition =
        static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End);

    public int Start;
    public int End;
    public int TokenStart;
    public int TokenEnd;
    public int Sentence;
    public CandidateKind Kind;
    public TypeScores Scores;

    /// <summary>
    /// The share of <see cref="Scores"/> that comes from the span's shape (head words, given names, a legal form). The
    /// same surface has the same shape every time, so an entity counts it once per surface, while context counts per mention.
    /// </summary>
    public TypeScores ShapeScores;

    /// <summary>A type that evidence cannot change: dates, quantities, profile types.</summary>
    public string? FixedType;

    /// <summary>A name that replaces the surface as the entity's name: canonical dates, synonyms, the title.</summary>
    public string? CanonicalName;

    public string Key = string.Empty;
    public string EntityKey = string.Empty;
    public string Resolution = "exact";

    /// <summary>Set on the "(ACR)" of "Full Name (ACR)" or the "(formerly X)" after a name: the key of the full name it is an alias of.</summary>
    public string? DefinesAliasOf;

    public bool SentenceInitial;

    /// <summary>A place named inside a longer name ("Ellis Island" in "Ellis Island Immigration Museum").</summary>
    public bool Nested;
}

/// <summary>The document title as an entity: its name without disambiguator, its key, and the type the disambiguator hints.</summary>
internal sealed record TitleInfo(string Name, string Key, string? TypeHint);
