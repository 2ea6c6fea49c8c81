using System.Text.RegularExpressions;
using GraphRag.Graph;
using GraphRag.Graph.Model;
using GraphRag.Query.Analysis;

namespace GraphRag.Query.Answering;

/// <summary>
/// Answers without a model: picks the entity span from the retrieved passages that best fits what the question asks
/// for (a person for "who", a date for "when", …), sits in a sentence sharing the question's words, and is not
/// something the question already names. Yes/no and either/or questions are decided from the evidence of each side.
/// </summary>
public sealed partial class ExtractiveAnswerGenerator : IAnswerGenerator
{
    public Task<AnswerDraft> GenerateAsync(AnswerContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        if (context.Passages.Count == 0)
        {
            return Task.FromResult(new AnswerDraft(string.Empty, [], 0));
        }

        var expected = AnswerTypes.Expect(context.Question);
        var terms = QueryAnalyzer.Analyze(context.Question).Terms.ToHashSet(StringComparer.Ordinal);
        if (expected.Options.Count == 2)
        {
            return Task.FromResult(ChooseOption(context, expected, terms));
        }

        if (expected.YesNo)
        {
            return Task.FromResult(DecideYesNo(context, terms));
        }

        return Task.FromResult(PickSpan(context, expected, terms));
    }

    private static AnswerDraft PickSpan(AnswerContext context, ExpectedAnswer expected, HashSet<string> terms)
    {
        var questionKey = " " + EntityKey.Normalize(context.Question) + " ";
        var named = context.QuestionEntities.Select(l => l.EntityId).ToHashSet(StringComparer.Ordinal);
        var passages = context.Passages.Select((p, i) => (Passage: p, Rank: i)).ToDictionary(p => p.Passage.Chunk.Id, StringComparer.Ordinal);
        var top = context.Passages[0].Score;
        var best = (Score: 0.0, Mention: (Mention?)null, Passage: (RankedPassage?)null);
        var byEntity = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var mention in context.Mentions)
        {
            if (!passages.TryGetValue(mention.Span.ChunkId, out var entry) || named.Contains(mention.EntityId))
            {
                continue;
            }

            var key = EntityKey.Normalize(mention.Text);
            if (key.Length == 0 || questionKey.Contains(" " + key + " ", StringComparison.Ordinal))
            {
                continue;
            }

            var type = context.EntityTypes.GetValueOrDefault(mention.EntityId, mention.Type);
            var typeFit = expected.Types.Count == 0
                ? (type is EntityTypes.Date or EntityTypes.Quantity ? 0.3 : 0.6)
                : expected.Types.Contains(type) ? 1.0 : 0.1;
            var chunk = entry.Passage.Chunk;
            var (sentenceStart, sentenceEnd) = Citations.SentenceAround(chunk.Text, mention.Span.Start - chunk.Start);
            var sentence = chunk.Text[sentenceStart..sentenceEnd];
            var sentenceWords = QueryAnalyzer.Words(sentence).Select(w => w.Word.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            var overlap = terms.Count == 0 ? 0 : terms.Count(sentenceWords.Contains) / (double)terms.Count;
            var passageScore = top > 0 ? entry.Passage.Score / top : 0;
            var score = passageScore * typeFit * (0.2 + overlap) / (1 + (0.25 * entry.Rank));
            byEntity[mention.EntityId] = byEntity.GetValueOrDefault(mention.EntityId) + score;
            if (score > best.Score)
            {
                best = (score, mention, entry.Passage);
            }
        }

        if (best.Mention is null || best.Passage is null)
        {
            return new AnswerDraft(string.Empty, [], 0);
        }

        // The entity with the most accumulated support wins; its best-scoring mention is what gets quoted.
        var winner = byEntity.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).First().Key;
        var mentionOfWinner = context.Mentions
            .Where(m => m.EntityId == winner && passages.ContainsKey(m.Span.ChunkId))
            .OrderBy(m => passages[m.Span.ChunkId].Rank)
            .ThenBy(m => m.Span.Start)
            .First();
        var passage = passages[mentionOfWinner.Span.ChunkId].Passage;
        var support = Support(passage, mentionOfWinner.Span.Start, mentionOfWinner.Span.End);
        var confidence = Math.Clamp(byEntity[winner] / (byEntity.Values.Sum() + 1e-9), 0, 1);
        return new AnswerDraft(mentionOfWinner.Text, support, confidence, winner);
    }

    private static AnswerDraft DecideYesNo(AnswerContext context, HashSet<string> terms)
    {
        // Terms that are not part of a named entity are the property asked about ("film directors").
        var nameWords = context.QuestionEntities
            .SelectMany(l => QueryAnalyzer.Analyze(l.MatchedText).Terms)
            .ToHashSet(StringComparer.Ordinal);
        var property = terms.Where(t => !nameWords.Contains(t)).ToList();
        var subjects = context.QuestionEntities.Take(2).ToList();
        if (subjects.Count == 0 || property.Count == 0)
        {
            return new AnswerDraft(string.Empty, [], 0);
        }

        var support = new List<Citation>();
        var all = true;
        foreach (var subject in subjects)
        {
            var passage = context.Passages.FirstOrDefault(p => context.Mentions.Any(m => m.EntityId == subject.EntityId && m.Span.ChunkId == p.Chunk.Id));
            if (passage is null)
            {
                all = false;
                continue;
            }

            var words = QueryAnalyzer.Words(passage.Chunk.Text).Select(w => w.Word.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            var share = property.Count(p => words.Contains(p) || words.Contains(p.TrimEnd('s'))) / (double)property.Count;
            all &= share >= 0.5;
            support.Add(Citations.BestSentence(passage.Chunk, passage.DocumentTitle, property));
        }

        return new AnswerDraft(all ? "yes" : "no", support, 0.5);
    }

    private static AnswerDraft ChooseOption(AnswerContext context, ExpectedAnswer expected, HashSet<string> terms)
    {
        var question = context.Question.ToLowerInvariant();
        var wantsEarliest = EarliestCue().IsMatch(question);
        var wantsLatest = LatestCue().IsMatch(question);
        var scored = new List<(string Option, double Score, int? Year, Citation? Cite)>();
        foreach (var option in expected.Options)
        {
            var key = EntityKey.Normalize(option);
            var passage = context.Passages.FirstOrDefault(p => EntityKey.Normalize(p.DocumentTitle) == key)
                ?? context.Passages.FirstOrDefault(p => (" " + EntityKey.Normalize(p.Chunk.Text) + " ").Contains(" " + key + " ", StringComparison.Ordinal));
            if (passage is null)
            {
                scored.Add((option, 0, null, null));
                continue;
            }

            var year = Years().Matches(passage.Chunk.Text).Select(m => int.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty().Min();
            var words = QueryAnalyzer.Words(passage.Chunk.Text).Select(w => w.Word.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            var overlap = terms.Count(words.Contains);
            scored.Add((option, passage.Score + overlap, year == 0 ? null : year, Citations.BestSentence(passage.Chunk, passage.DocumentTitle, terms)));
        }

        var pick = (wantsEarliest || wantsLatest) && scored.All(s => s.Year is not null)
            ? (wantsEarliest ? scored.OrderBy(s => s.Year) : scored.OrderByDescending(s => s.Year)).First()
            : scored.OrderByDescending(s => s.Score).First();
        var support = scored.Where(s => s.Cite is not null).Select(s => s.Cite!).ToList();
        return new AnswerDraft(pick.Option, support, support.Count == 2 ? 0.5 : 0.2);
    }

    private static IReadOnlyList<Citation> Support(RankedPassage passage, int start, int end)
    {
        var chunk = passage.Chunk;
        var (sentenceStart, sentenceEnd) = Citations.SentenceAround(chunk.Text, start - chunk.Start);
        var citations = new List<Citation>();
        if (Citations.Cite(chunk, passage.DocumentTitle, start, end) is { } span)
        {
            citations.Add(span);
        }

        if (Citations.Cite(chunk, passage.DocumentTitle, chunk.Start + sentenceStart, chunk.Start + sentenceEnd) is { } sentence)
        {
            citations.Add(sentence);
        }

        return citations;
    }

    [GeneratedRegex(@"\b(first|earlier|earliest|older|oldest|before)\b")]
    private static partial Regex EarliestCue();

    [GeneratedRegex(@"\b(later|latest|younger|youngest|newer|newest|more recent|most recent|after)\b")]
    private static partial Regex LatestCue();

    [GeneratedRegex(@"\b(1[0-9]{3}|20[0-9]{2})\b")]
    private static partial Regex Years();
}
