namespace GraphRag.Ingest.Extraction;

/// <summary>What the candidate pass found: every span that may become a mention, in document order, and the title.</summary>
/// <param name="Candidates">Sorted by <see cref="Candidate.ByPosition"/>; not yet keyed or typed.</param>
/// <param name="Title">The document title, when it was anchored in the text.</param>
internal sealed record CandidateSet(IReadOnlyList<Candidate> Candidates, TitleInfo? Title);

/// <summary>
/// The first pass: finds the spans that may be mentions. The finders run in order of precedence — profile phrases and
/// patterns, the title, quoted works, dates and quantities, then names from capitalisation — and each claims its tokens,
/// so a later finder never takes a token an earlier one covered.
/// </summary>
internal static class CandidatePass
{
    public static CandidateSet Run(
        TokenizedDocument document, ExtractionOptions options, PhraseMatcher gazetteer, DomainProfile? profile, CancellationToken cancellationToken)
    {
        var found = new CandidateCollector(document);
        new ProfileCandidates(document, found).Find(gazetteer, profile);
        var title = options.TitleEntities ? new TitleCandidates(document, found).Find() : null;

        var quoted = new QuotedWorkCandidates(document, found);
        var values = new DateQuantityCandidates(document, found);
        for (var s = 0; s < document.Sentences.Count; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            quoted.Find(s);
            values.Find(s);
        }

        var names = new NameCandidates(document, found, options.MaxNameTokens);
        for (var s = 0; s < document.Sentences.Count; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            names.Find(s);
        }

        return new CandidateSet(found.Sorted(), title);
    }
}

/// <summary>
/// The candidate pass's working state: the candidates so far and which tokens they cover. The finders share it so
/// that the first to claim a token keeps it.
/// </summary>
internal sealed class CandidateCollector(TokenizedDocument document)
{
    private readonly List<Candidate> candidates = [];
    private readonly bool[] covered = new bool[document.Tokens.Length];

    public bool IsCovered(int token) => covered[token];

    public bool AnyCovered(int start, int end)
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

    /// <summary>Adds a candidate over tokens [<paramref name="tokenStart"/>, <paramref name="tokenEnd"/>) and claims them.</summary>
    public Candidate Add(int tokenStart, int tokenEnd, int sentence, CandidateKind kind)
    {
        var tokens = document.Tokens;
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
        for (var i = tokenStart; i < tokenEnd; i++)
        {
            covered[i] = true;
        }

        return candidate;
    }

    /// <summary>Adds a candidate inside tokens another one already claimed ("1930" in "12 March 1930").</summary>
    public void AddInside(Candidate candidate) => candidates.Add(candidate);

    /// <summary>
    /// Matches key words against the tokens from <paramref name="start"/>, skipping punctuation that
    /// <see cref="Graph.EntityKey"/> treats as a separator ("Person - centered" matches "person centered").
    /// </summary>
    public bool MatchKeys(string[] keys, int start, int limit, bool allowComma, out int end)
    {
        var tokens = document.Tokens;
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

    /// <summary>The candidates in document order; the collector is done with them.</summary>
    public List<Candidate> Sorted()
    {
        candidates.Sort(Candidate.ByPosition);
        return candidates;
    }

    private bool IsSeparator(int j, bool allowComma)
    {
        var tokens = document.Tokens;
        var token = tokens[j];
        if (token.Length != 1)
        {
            return false;
        }

        var c = document.Text[token.Start];
        return Tokenizer.IsHyphen(c)
            || c is '&' or '/' or '+' or ':' or '\'' or '\u2019'
            || (c == ',' && allowComma)
            || (c == '.' && !token.Is(TokenShape.SpaceBefore) && j + 1 < tokens.Length && tokens[j + 1].Kind == TokenKind.Word);
    }
}
