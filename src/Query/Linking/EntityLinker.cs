using GraphRag.Graph;
using GraphRag.Query.Retrieval;
using GraphRag.Query.Analysis;

namespace GraphRag.Query.Linking;

/// <summary>
/// Links the names a question uses to stored entities: every word n-gram (longest first) is normalised with
/// <see cref="EntityKey"/> and looked up among the surface forms the corpus used, so "AIP", "the American Institute of
/// Physics" and "American Institute of Physics'" all link. Matches do not overlap; a longer name wins over the words
/// inside it. Each link is weighted by specificity: a name mentioned in few chunks tells more than one mentioned everywhere.
/// </summary>
public static class EntityLinker
{
    public static IReadOnlyList<LinkedEntity> Link(string question, GraphView graph)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(graph);
        var words = QueryAnalyzer.Words(question);
        var covered = new bool[words.Count];
        var links = new List<LinkedEntity>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var maxWords = Math.Min(8, graph.MaxKeyWords);
        // Specificity counts only chunks the caller may read, so other tenants' documents cannot move a weight.
        var totalChunks = Math.Max(1, graph.VisibleChunkCount);
        for (var length = maxWords; length >= 1; length--)
        {
            for (var start = 0; start + length <= words.Count; start++)
            {
                if (Enumerable.Range(start, length).Any(i => covered[i]))
                {
                    continue;
                }

                var first = words[start];
                var last = words[start + length - 1];
                if (!Plausible(question, words, start, length))
                {
                    continue;
                }

                var surface = question[first.Start..last.End];
                var key = EntityKey.Normalize(surface);
                var matches = graph.LookupKey(key);
                if (IsPossessive(question, last.End))
                {
                    // "Big Eye's director" may mean the film "Big Eyes": the possessive's s may belong to the name.
                    matches = [.. graph.LookupKey(key + "s"), .. matches];
                }
                if (matches.Count == 0)
                {
                    continue;
                }

                for (var i = start; i < start + length; i++)
                {
                    covered[i] = true;
                }

                var capitalised = Enumerable.Range(start, length).Any(i => char.IsUpper(words[i].Word[0]) || char.IsDigit(words[i].Word[0]));
                foreach (var (entity, _) in matches.Take(5))
                {
                    if (!seen.Add(entity.Id))
                    {
                        continue;
                    }

                    var frequency = Math.Max(1, graph.ChunkFrequency(entity.Id));
                    var specificity = Math.Log(1 + (totalChunks / (double)frequency));
                    var weight = specificity * (capitalised ? 1.0 : 0.3) * (length > 1 ? 1.2 : 1.0);
                    // The name comes from mentions the caller may read; the stored name may be another tenant's spelling.
                    var name = graph.NameOf(entity.Id)!;
                    links.Add(new LinkedEntity(entity.Id, name, entity.Type, surface, matches.Count == 1 ? "exact" : "ambiguous", weight));
                }
            }
        }

        return links.OrderByDescending(l => l.Weight).ThenBy(l => l.EntityId, StringComparer.Ordinal).ToList();
    }

    private static bool IsPossessive(string question, int end) =>
        end + 1 < question.Length && question[end] is '\'' or '\u2019' && question[end + 1] is 's' or 'S'
        && (end + 2 == question.Length || !char.IsLetterOrDigit(question[end + 2]));

    /// <summary>Skips n-grams that cannot be names: function words at either end, or a lone common word.</summary>
    private static bool Plausible(string question, List<(string Word, int Start, int End)> words, int start, int length)
    {
        var first = words[start].Word.ToLowerInvariant();
        var last = words[start + length - 1].Word.ToLowerInvariant();
        if (StopWords.English.Contains(first) || StopWords.English.Contains(last))
        {
            return false;
        }

        if (length == 1)
        {
            var word = words[start].Word;
            // Lower-case single words link only when long and rare enough to be names of things ("photosynthesis").
            if (!char.IsUpper(word[0]) && !char.IsDigit(word[0]) && word.Length < 5)
            {
                return false;
            }
        }

        // Names do not run across sentence punctuation.
        for (var i = start; i < start + length - 1; i++)
        {
            var gap = question.AsSpan(words[i].End, words[i + 1].Start - words[i].End);
            if (gap.IndexOfAny(",;:?!()\"") >= 0)
            {
                return false;
            }
        }

        return true;
    }
}
