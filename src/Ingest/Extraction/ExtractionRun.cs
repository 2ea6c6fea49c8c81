using GraphRag.Graph.Text;
using GraphRag.Graph;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Chunking;

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

/// <summary>A span that may become a mention, before resolution.</summary>
internal sealed class Candidate
{
    public int Start;
    public int End;
    public int TokenStart;
    public int TokenEnd;
    public int Sentence;
    public CandidateKind Kind;
    public TypeScores Scores;

    /// <summary>A type that evidence cannot change: dates, quantities, profile types.</summary>
    public string? FixedType;

    /// <summary>A name that replaces the surface as the entity's name: canonical dates, synonyms, the title.</summary>
    public string? CanonicalName;

    public string Key = string.Empty;
    public string EntityKey = string.Empty;
    public string Resolution = "exact";

    /// <summary>Set on the "(ACR)" of "Full Name (ACR)": the key of the full name it defines.</summary>
    public string? DefinesAcronymOf;

    public bool SentenceInitial;

    /// <summary>A place named inside a longer name ("Ellis Island" in "Ellis Island Immigration Museum").</summary>
    public bool Nested;
}

/// <summary>One extraction: all the mutable state of one call, so the extractor itself stays immutable.</summary>
internal sealed partial class ExtractionRun
{
    private readonly RuleBasedGraphExtractor extractor;
    private readonly ExtractionOptions options;
    private readonly Document document;
    private readonly string text;
    private readonly CancellationToken cancellationToken;
    private readonly ChunkLocator chunks;
    private readonly List<Token> tokens;
    private readonly IReadOnlyList<SentenceSpan> sentences;
    private readonly (int Start, int End)[] sentenceTokens;
    private readonly bool[] covered;
    private readonly List<Candidate> candidates = [];
    private readonly HashSet<string> lowerWords = new(StringComparer.Ordinal);
    private readonly HashSet<string> midSentenceNames = new(StringComparer.Ordinal);
    private TitleInfo? title;

    public ExtractionRun(RuleBasedGraphExtractor extractor, Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken)
    {
        this.extractor = extractor;
        options = extractor.Options;
        this.document = document;
        text = document.Text;
        this.cancellationToken = cancellationToken;
        this.chunks = new ChunkLocator(chunks);
        tokens = Tokenizer.Tokenize(text);
        sentences = SentenceSplitter.Split(text);
        sentenceTokens = MapSentences();
        covered = new bool[tokens.Count];
    }

    public DocumentGraph Run()
    {
        CollectWordStatistics();
        FindProfileMatches();
        FindTitle();
        for (var s = 0; s < sentences.Count; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            FindQuotedWorks(s);
            FindDatesAndQuantities(s);
        }

        for (var s = 0; s < sentences.Count; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            FindNames(s);
        }

        candidates.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
        ScoreTypes();
        AddNestedPlaces();
        var entities = Resolve();
        cancellationToken.ThrowIfCancellationRequested();
        var relations = FindRelations(entities);
        return Assemble(entities, relations);
    }

    private (int Start, int End)[] MapSentences()
    {
        var map = new (int Start, int End)[sentences.Count];
        var t = 0;
        for (var s = 0; s < sentences.Count; s++)
        {
            var sentence = sentences[s];
            while (t < tokens.Count && tokens[t].Start < sentence.Start)
            {
                t++;
            }

            var first = t;
            while (t < tokens.Count && tokens[t].Start < sentence.End)
            {
                t++;
            }

            map[s] = (first, t);
        }

        return map;
    }

    private void CollectWordStatistics()
    {
        for (var s = 0; s < sentenceTokens.Length; s++)
        {
            var (start, end) = sentenceTokens[s];
            var first = FirstWordIndex(start, end);
            for (var i = start; i < end; i++)
            {
                var token = tokens[i];
                if (token.Kind != TokenKind.Word)
                {
                    continue;
                }

                if (token.Is(TokenShape.Lower))
                {
                    lowerWords.Add(token.Key);
                }
                else if (i != first && token.IsNameShaped && !IsAfterOpeningQuote(i))
                {
                    midSentenceNames.Add(token.Key);
                }
            }
        }
    }

    private int FirstWordIndex(int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (tokens[i].Kind is TokenKind.Word or TokenKind.Number)
            {
                return i;
            }
        }

        return end;
    }

    private bool IsAfterOpeningQuote(int i) =>
        i > 0 && tokens[i - 1].Kind == TokenKind.Punctuation && text[tokens[i - 1].Start] is '"' or '\u201C' or '`' or '(' or ':';

    private string Slice(int start, int end) => text.Substring(start, end - start);

    private char CharAt(int token) => text[tokens[token].Start];

    private bool IsPunctuation(int token, char c) =>
        token >= 0 && token < tokens.Count && tokens[token].Kind == TokenKind.Punctuation && tokens[token].Length == 1 && text[tokens[token].Start] == c;

    private bool AnyCovered(int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (covered[i])
            {
                return true;
            }
        }

        return false;
    }

    private void Cover(int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            covered[i] = true;
        }
    }

    private Candidate AddCandidate(int tokenStart, int tokenEnd, int sentence, CandidateKind kind)
    {
        var candidate = new Candidate
        {
            Start = tokens[tokenStart].Start,
            End = tokens[tokenEnd - 1].End,
            TokenStart = tokenStart,
            TokenEnd = tokenEnd,
            Sentence = sentence,
            Kind = kind,
        };
        candidates.Add(candidate);
        Cover(tokenStart, tokenEnd);
        return candidate;
    }

    /// <summary>
    /// Matches key words against the tokens from <paramref name="start"/>, skipping punctuation that
    /// <see cref="EntityKey"/> treats as a separator ("Person - centered" matches "person centered").
    /// </summary>
    private bool MatchKeys(string[] keys, int start, int limit, bool allowComma, out int end)
    {
        end = start;
        var k = 0;
        var j = start;
        var last = -1;
        while (k < keys.Length)
        {
            if (j >= limit || covered[j])
            {
                return false;
            }

            var token = tokens[j];
            if (token.Kind is TokenKind.Word or TokenKind.Number)
            {
                if (!string.Equals(token.Key, keys[k], StringComparison.Ordinal))
                {
                    return false;
                }

                k++;
                last = j;
                j++;
                continue;
            }

            if (k > 0 && (token.Kind == TokenKind.Possessive || (token.Kind == TokenKind.Punctuation && IsSeparator(j, allowComma))))
            {
                j++;
                continue;
            }

            return false;
        }

        end = last + 1;
        return true;
    }

    private bool IsSeparator(int j, bool allowComma)
    {
        var token = tokens[j];
        if (token.Length != 1)
        {
            return false;
        }

        var c = text[token.Start];
        return Tokenizer.IsHyphen(c)
            || c is '&' or '/' or '+' or ':' or '\'' or '\u2019'
            || (c == ',' && allowComma)
            || (c == '.' && !token.Is(TokenShape.SpaceBefore) && j + 1 < tokens.Count && tokens[j + 1].Kind == TokenKind.Word);
    }

    private sealed record TitleInfo(string Name, string Key, string? TypeHint);

    /// <summary>Finds the chunk of a position: the lowest ordinal whose [Start, End) contains it.</summary>
    private sealed class ChunkLocator
    {
        private readonly Chunk[] byOrdinal;
        private readonly bool monotonic;

        public ChunkLocator(IReadOnlyList<Chunk> chunks)
        {
            byOrdinal = [.. chunks.OrderBy(c => c.Ordinal)];
            monotonic = true;
            for (var i = 1; i < byOrdinal.Length; i++)
            {
                if (byOrdinal[i].Start < byOrdinal[i - 1].Start)
                {
                    monotonic = false;
                    break;
                }
            }
        }

        public string Find(int position)
        {
            if (byOrdinal.Length == 0)
            {
                return string.Empty;
            }

            if (!monotonic)
            {
                foreach (var chunk in byOrdinal)
                {
                    if (chunk.Start <= position && position < chunk.End)
                    {
                        return chunk.Id;
                    }
                }

                return byOrdinal[0].Id;
            }

            // Last chunk starting at or before the position, then back to the first that still contains it.
            int lo = 0, hi = byOrdinal.Length - 1, found = -1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                if (byOrdinal[mid].Start <= position)
                {
                    found = mid;
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            if (found < 0)
            {
                return byOrdinal[0].Id;
            }

            var best = byOrdinal[found].End > position ? found : -1;
            for (var i = found - 1; i >= 0 && i >= found - 64; i--)
            {
                if (byOrdinal[i].End > position)
                {
                    best = i;
                }
            }

            return byOrdinal[best >= 0 ? best : found].Id;
        }
    }
}
