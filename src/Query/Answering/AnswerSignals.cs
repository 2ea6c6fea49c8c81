using GraphRag.Graph;
using GraphRag.Graph.Model;
using GraphRag.Query.Analysis;

namespace GraphRag.Query.Answering;

/// <summary>
/// Signals about an answer that mean the same on any corpus, whatever generator produced it: does the answer's type fit
/// the question's wh-form, does the answer's own sentence state what the question asks, do the top passages name it,
/// did the question name its entities in full, and is the answer the class of thing the question names. The confidence
/// model reads them beside the generator's own signals; none of them changes what is retrieved or answered.
/// </summary>
internal static class AnswerSignals
{
    /// <summary>How many of the best-ranked passages count as the top evidence an answer should agree with.</summary>
    private const int TopPassages = 2;

    public static void Add(
        IDictionary<string, double> signals,
        AnswerDraft draft,
        AnalyzedQuery analyzed,
        IReadOnlyList<RankedPassage> passages,
        IReadOnlyList<Mention> mentions,
        IReadOnlyList<LinkedEntity> links,
        IReadOnlyDictionary<string, string> types,
        double answerClass)
    {
        signals["nameExact"] = NameExact(links);
        if (draft.AnswerEntityId is not { } answerId || draft.Text.Length == 0)
        {
            return;
        }

        var type = types.GetValueOrDefault(answerId) ?? mentions.FirstOrDefault(m => m.EntityId == answerId)?.Type ?? string.Empty;
        // The class noun refines the type: a town is a place, but not the country "In which country …" asks for.
        signals["answerClass"] = answerClass;
        signals["typeMatch"] = answerClass == AnswerClasses.Conflict ? 0 : Retrieval.ChainReasoner.TypeFit(AnswerTypes.HeadTypes(analyzed.Text), type);

        var ranks = passages.Select((p, i) => (p.Chunk.Id, Rank: i)).ToDictionary(p => p.Id, p => p.Rank, StringComparer.Ordinal);
        var own = mentions.Where(m => m.EntityId == answerId && ranks.ContainsKey(m.Span.ChunkId)).ToList();
        signals["answerTop"] = own.Any(m => ranks[m.Span.ChunkId] < TopPassages) ? 1 : 0;
        signals["sentenceOverlap"] = SentenceOverlap(analyzed, passages, links, own);
    }

    /// <summary>
    /// 1 when every name the question was linked by is the entity's full name (legal forms aside, as the linker's keys
    /// compare names) and no other entity has it, 0 when a link rests on a part of a name or on a name a look-alike
    /// shares ("Halden Marine" for "Halden Marine Ltd." and "Halden Marine Co."): the exact company, not a look-alike.
    /// A question that names nothing counts as 1.
    /// </summary>
    internal static double NameExact(IReadOnlyList<LinkedEntity> links) =>
        links.All(l => l.Match == "exact" && EntityKey.Normalize(l.MatchedText) == EntityKey.Normalize(l.Name)) ? 1 : 0;

    /// <summary>The question's words that belong to the names it was linked by ("county" in "Holm County"): no predicate.</summary>
    internal static HashSet<string> NameTerms(IReadOnlyList<LinkedEntity> links) =>
        links.SelectMany(l => QueryAnalyzer.Analyze(l.MatchedText).Terms).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The best share, over the sentences that mention the answer, of the question's predicate words (the words that
    /// are neither names nor answer-type words: "born", "founded", "capital") the sentence contains.
    /// </summary>
    private static double SentenceOverlap(AnalyzedQuery analyzed, IReadOnlyList<RankedPassage> passages, IReadOnlyList<LinkedEntity> links, List<Mention> own)
    {
        var nameWords = NameTerms(links);
        var predicate = analyzed.Terms
            .Where(t => !nameWords.Contains(t) && !ExtractiveAnswerGenerator.AskWords.Contains(t))
            .Select(ComposedAnswers.Stem)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (predicate.Count == 0 || own.Count == 0)
        {
            return own.Count == 0 ? 0 : 1;
        }

        var chunks = passages.ToDictionary(p => p.Chunk.Id, p => p.Chunk, StringComparer.Ordinal);
        var best = 0.0;
        foreach (var mention in own)
        {
            var chunk = chunks[mention.Span.ChunkId];
            var (start, end) = Citations.SentenceAround(chunk.Text, mention.Span.Start - chunk.Start);
            var stems = QueryAnalyzer.Words(chunk.Text[start..end]).Select(w => ComposedAnswers.Stem(w.Word.ToLowerInvariant())).ToHashSet(StringComparer.Ordinal);
            best = Math.Max(best, predicate.Count(stems.Contains) / (double)predicate.Count);
        }

        return Math.Round(best, 4);
    }
}
