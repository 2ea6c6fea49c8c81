using System.Collections.Immutable;
using System.Text.RegularExpressions;
using GraphRag.Graph;

namespace GraphRag.Ingest.Extraction;

/// <summary>
/// Candidates from a domain profile: gazetteer phrases (with their synonyms' canonical names) and type patterns. They
/// run first, so a profile can claim spans that would otherwise be names, dates or quantities.
/// </summary>
internal sealed class ProfileCandidates(TokenizedDocument document, CandidateCollector found)
{
    private readonly ImmutableArray<Token> tokens = document.Tokens;
    private readonly string text = document.Text;

    public void Find(PhraseMatcher gazetteer, DomainProfile? profile)
    {
        if (!gazetteer.IsEmpty)
        {
            FindPhrases(gazetteer);
        }

        if (profile is null)
        {
            return;
        }

        foreach (var pattern in profile.TypePatterns)
        {
            try
            {
                foreach (var match in pattern.Regex.EnumerateMatches(text))
                {
                    AddPatternMatch(pattern.Type, match.Index, match.Index + match.Length);
                }
            }
            catch (RegexMatchTimeoutException ex)
            {
                throw new GraphRagException(
                    $"Domain profile '{profile.Name}' pattern '{pattern.Pattern}' for type {pattern.Type} exceeded its "
                    + $"{DomainProfile.Describe(profile.RegexTimeout)} time limit on document {document.Id}.",
                    ex);
            }
        }
    }

    private void FindPhrases(PhraseMatcher gazetteer)
    {
        for (var s = 0; s < document.SentenceTokens.Length; s++)
        {
            var (start, end) = document.SentenceTokens[s];
            for (var i = start; i < end; i++)
            {
                var token = tokens[i];
                if (found.IsCovered(i) || token.Kind is not (TokenKind.Word or TokenKind.Number)
                    || !gazetteer.ByFirstKey.TryGetValue(token.Key, out var entries))
                {
                    continue;
                }

                foreach (var entry in entries)
                {
                    if (!found.MatchKeys(entry.Keys, i, end, allowComma: false, out var stop)
                        || (!entry.CaseInsensitive && !SameLetters(tokens[i].Start, tokens[stop - 1].End, entry.Surface)))
                    {
                        continue;
                    }

                    var candidate = found.Add(i, stop, s, CandidateKind.Profile);
                    candidate.FixedType = entry.Type;
                    if (entry.CanonicalName is not null)
                    {
                        candidate.CanonicalName = entry.CanonicalName;
                        candidate.Resolution = string.Equals(entry.CanonicalKey, EntityKey.Normalize(entry.Surface), StringComparison.Ordinal)
                            ? "exact"
                            : "alias:synonym";
                    }
                    else
                    {
                        // A gazetteer phrase names its entity as the profile writes it, in every document.
                        candidate.CanonicalName = entry.Surface;
                    }

                    i = stop - 1;
                    break;
                }
            }
        }
    }

    private void AddPatternMatch(string type, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (end <= start)
        {
            return;
        }

        // Snap to the tokens the match touches so coverage stays token-based; the mention keeps the exact match.
        var first = document.LowerBoundToken(start);
        var last = first;
        while (last < tokens.Length && tokens[last].Start < end)
        {
            last++;
        }

        if (first >= last || found.AnyCovered(first, last) || EntityKey.Normalize(text[start..end]).Length == 0)
        {
            return;
        }

        var sentence = document.SentenceOfToken(first);
        if (sentence < 0 || last > document.SentenceTokens[sentence].End)
        {
            return;
        }

        var candidate = found.Add(first, last, sentence, CandidateKind.Profile);
        candidate.Start = start;
        candidate.End = end;
        candidate.FixedType = type;
    }

    private bool SameLetters(int start, int end, string surface)
    {
        var k = 0;
        for (var i = start; i < end; i++)
        {
            if (!char.IsLetterOrDigit(text[i]))
            {
                continue;
            }

            while (k < surface.Length && !char.IsLetterOrDigit(surface[k]))
            {
                k++;
            }

            if (k >= surface.Length || surface[k] != text[i])
            {
                return false;
            }

            k++;
        }

        while (k < surface.Length && !char.IsLetterOrDigit(surface[k]))
        {
            k++;
        }

        return k == surface.Length;
    }
}
