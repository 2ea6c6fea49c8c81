using System.Text.RegularExpressions;
using GraphRag.Graph;
using GraphRag.Graph.Model;
using GraphRag.Graph.Text;
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
        var terms = context.Analysis.Terms.ToHashSet(StringComparer.Ordinal);
        if (expected.Form != AnswerForm.Factual && ComposedAnswers.Compose(context, expected, terms) is { } composed)
        {
            return Task.FromResult(composed);
        }

        if (expected.Options.Count == 2)
        {
            // Options compared on a value ("founded earlier", "more employees") are decided by each side's cited value.
            var byValue = Criterion().IsMatch(context.Question.ToLowerInvariant()) ? ComposedAnswers.Compare(context, expected, terms, pick: true) : null;
            return Task.FromResult(byValue is { Claims.Count: 2 } ? byValue : ChooseOption(context, expected, terms));
        }

        if (expected.YesNo)
        {
            return Task.FromResult(DecideYesNo(context, terms));
        }

        var draft = Answer(context, expected, terms);
        if (draft.Text.Length > 0 && MissingPredicate(context, terms, draft) is { } missing)
        {
            // The passages never use a word the question hinges on ("financial" in "chief financial officer"):
            // whatever span fits best, the asked fact is not stated.
            return Task.FromResult(draft with { Confidence = Math.Min(draft.Confidence, 0.3), Missing = missing });
        }

        return Task.FromResult(draft);
    }

    private static AnswerDraft Answer(AnswerContext context, ExpectedAnswer expected, HashSet<string> terms)
    {
        var chain = context.Chains.FirstOrDefault();
        if (chain is not null && chain.Score >= ChainThreshold)
        {
            return FromChain(context, chain);
        }

        return PickSpan(context, expected, terms);
    }

    /// <summary>
    /// A predicate word of the question that none of the top passages contains, or null. A relation word that the
    /// answer's chain follows is stated by that relation's evidence ("spouse" by "is married to").
    /// </summary>
    private static string? MissingPredicate(AnswerContext context, HashSet<string> terms, AnswerDraft draft)
    {
        var followed = draft.Kind == AnswerKind.Chain
            ? context.Chains.FirstOrDefault(c => c.Entity.Id == draft.AnswerEntityId)?.Labels ?? []
            : [];
        var nameWords = context.QuestionEntities.SelectMany(l => QueryAnalyzer.Analyze(l.MatchedText).Terms).ToHashSet(StringComparer.Ordinal);
        nameWords.UnionWith(terms.Where(t => context.RelationWords.TryGetValue(t, out var labels) && followed.Any(labels.Contains)));
        var stems = context.Passages.Take(5)
            .SelectMany(p => QueryAnalyzer.Words(p.DocumentTitle + "\n" + p.Chunk.Text))
            .Select(w => Stem(w.Word.ToLowerInvariant()))
            .ToHashSet(StringComparer.Ordinal);
        return terms.Where(t => !nameWords.Contains(t) && !AskWords.Contains(t) && t.Length > 3 && !char.IsDigit(t[0]))
            .FirstOrDefault(t => !stems.Contains(Stem(t)));
    }

    /// <summary>A chain that follows every relation the question names and ends in the right type scores about 3.</summary>
    private const double ChainThreshold = 1.45;

    /// <summary>
    /// The answer is the chain's end entity; it is quoted from a passage that mentions it when one does, and the
    /// engine cites the chain's relation evidence either way.
    /// </summary>
    private static AnswerDraft FromChain(AnswerContext context, Retrieval.ChainCandidate chain)
    {
        var passages = context.Passages.Select((p, i) => (Passage: p, Rank: i)).ToDictionary(p => p.Passage.Chunk.Id, StringComparer.Ordinal);
        var mention = context.Mentions
            .Where(m => m.EntityId == chain.Entity.Id && passages.ContainsKey(m.Span.ChunkId))
            .OrderBy(m => passages[m.Span.ChunkId].Rank)
            .ThenBy(m => m.Span.Start)
            .FirstOrDefault();
        var runnerUp = context.Chains.Skip(1).FirstOrDefault(c => c.Entity.Id != chain.Entity.Id)?.Score ?? 0;
        var signals = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["chainScore"] = Math.Round(chain.Score, 4),
            ["chainSteps"] = chain.Path.RelationIds.Count,
            ["coverage"] = Math.Round(chain.Coverage, 4),
            ["unmatched"] = chain.Unmatched,
            ["coOccurs"] = chain.Labels.Count(l => l == Graph.Model.RelationLabels.CoOccurs),
            ["margin"] = Math.Round((chain.Score - runnerUp) / chain.Score, 4),
            ["quoted"] = mention is null ? 0 : 1,
        };
        if (mention is null)
        {
            return new AnswerDraft(chain.Entity.Name, [], Math.Clamp(chain.Score / 2.5, 0, 1), chain.Entity.Id) { Kind = AnswerKind.Chain, Signals = signals };
        }

        var passage = passages[mention.Span.ChunkId].Passage;
        var text = AnswerNames.For(mention.Text, chain.Entity.Name, chain.Entity.Type);
        return new AnswerDraft(text, Support(passage, mention.Span.Start, mention.Span.End), Math.Clamp(chain.Score / 2.5, 0, 1), chain.Entity.Id)
        {
            Kind = AnswerKind.Chain,
            Signals = signals,
        };
    }

    /// <summary>
    /// Scores every entity mention in the passages that the question does not already name: it must fit the answer
    /// type, and its sentence should state the question's predicate ("born", "capital", "acquired") next to a
    /// question or bridge entity. The best-supported mention is the answer; its support is the confidence.
    /// </summary>
    private static AnswerDraft PickSpan(AnswerContext context, ExpectedAnswer expected, HashSet<string> terms)
    {
        var questionKey = " " + EntityKey.Normalize(context.Question) + " ";
        var named = context.QuestionEntities.Select(l => l.EntityId).ToHashSet(StringComparer.Ordinal);
        var passages = context.Passages.Select((p, i) => (Passage: p, Rank: i)).ToDictionary(p => p.Passage.Chunk.Id, StringComparer.Ordinal);
        var best = (Score: 0.0, Support: 0.0, Mention: (Mention?)null, Passage: (RankedPassage?)null);
        var runnerUp = 0.0;
        var typeFitOfBest = 0.0;
        var rankOfBest = 0;
        var scorer = new SupportScorer(context, terms);
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
                : Math.Max(0.05, Retrieval.ChainReasoner.TypeFit(expected.Types, type));
            var support = scorer.Score(entry.Passage, mention);
            var score = typeFit * (0.1 + support) / (1 + (0.15 * entry.Rank));
            if (score > best.Score)
            {
                if (best.Mention is not null && best.Mention.EntityId != mention.EntityId)
                {
                    runnerUp = best.Score;
                }

                best = (score, support * Math.Min(1, typeFit * 1.25), mention, entry.Passage);
                typeFitOfBest = typeFit;
                rankOfBest = entry.Rank;
            }
            else if (score > runnerUp && best.Mention?.EntityId != mention.EntityId)
            {
                runnerUp = score;
            }
        }

        if (best.Mention is null || best.Passage is null)
        {
            return new AnswerDraft(string.Empty, [], 0);
        }

        var answer = best.Mention;
        var answerId = answer.EntityId;
        var text = AnswerNames.For(answer.Text, context.Graph?.NameOf(answerId), context.EntityTypes.GetValueOrDefault(answerId, answer.Type));
        return new AnswerDraft(text, Support(best.Passage, answer.Span.Start, answer.Span.End), best.Support, answerId)
        {
            Kind = AnswerKind.Span,
            Signals = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["typeFit"] = Math.Round(typeFitOfBest, 4),
                ["support"] = Math.Round(best.Support, 4),
                ["margin"] = Math.Round((best.Score - runnerUp) / best.Score, 4),
                ["rank"] = rankOfBest,
                ["answerPassages"] = context.Mentions.Where(m => m.EntityId == answerId).Select(m => m.Span.ChunkId).Distinct(StringComparer.Ordinal).Count(),
            },
        };
    }

    /// <summary>
    /// How well the sentence holding the answer states what the question asks: the share of the question's words
    /// that are not names (the predicate: "chief financial officer", "revenue", "pay") found in it, halved when
    /// neither the sentence nor its passage's title names a question or bridge entity. Low support means the
    /// passages mention the right things but never say the asked fact. Sentences, their word stems and which of them
    /// name a question or bridge entity are worked out once per chunk, not once per mention.
    /// </summary>
    private sealed class SupportScorer
    {
        private readonly AnswerContext _context;
        private readonly List<string> _predicate;
        private readonly HashSet<string> _anchors;
        private readonly Dictionary<string, List<(int Start, int End, HashSet<string> Stems, bool Anchored)>> _sentences = new(StringComparer.Ordinal);

        public SupportScorer(AnswerContext context, HashSet<string> terms)
        {
            _context = context;
            var nameWords = context.QuestionEntities.SelectMany(l => QueryAnalyzer.Analyze(l.MatchedText).Terms).ToHashSet(StringComparer.Ordinal);
            _predicate = terms.Where(t => !nameWords.Contains(t) && !AskWords.Contains(t)).Select(Stem).ToList();
            _anchors = context.QuestionEntities.Select(l => l.EntityId).Concat(context.BridgeEntities).ToHashSet(StringComparer.Ordinal);
        }

        public double Score(RankedPassage passage, Mention answer)
        {
            var chunk = passage.Chunk;
            if (!_sentences.TryGetValue(chunk.Id, out var sentences))
            {
                var anchorOffsets = _context.Mentions
                    .Where(m => m.Span.ChunkId == chunk.Id && _anchors.Contains(m.EntityId))
                    .Select(m => (Start: m.Span.Start - chunk.Start, End: m.Span.End - chunk.Start))
                    .ToList();
                sentences = SentenceSplitter.Split(chunk.Text)
                    .Select(span => (
                        span.Start,
                        span.End,
                        QueryAnalyzer.Words(chunk.Text[span.Start..span.End]).Select(w => Stem(w.Word.ToLowerInvariant())).ToHashSet(StringComparer.Ordinal),
                        anchorOffsets.Any(a => a.Start >= span.Start && a.End <= span.End)))
                    .ToList();
                _sentences[chunk.Id] = sentences;
            }

            var offset = answer.Span.Start - chunk.Start;
            var sentence = sentences.FirstOrDefault(x => offset >= x.Start && offset < x.End);
            if (sentence.Stems is null)
            {
                return 0;
            }

            var coverage = _predicate.Count == 0 ? 1.0 : _predicate.Count(sentence.Stems.Contains) / (double)_predicate.Count;
            var anchored = sentence.Anchored
                || _context.QuestionEntities.Any(l => passage.DocumentTitle.Contains(l.MatchedText, StringComparison.OrdinalIgnoreCase));
            return Math.Round(coverage * (anchored ? 1.0 : 0.5), 4);
        }
    }

    private static string Stem(string word) => ComposedAnswers.Stem(word);

    /// <summary>Words that say what kind of answer is wanted rather than what is asked about.</summary>
    internal static readonly HashSet<string> AskWords = new(StringComparer.Ordinal)
    {
        "year", "city", "country", "state", "town", "place", "person", "date", "many", "much", "company", "kind", "type",
        "long", "old", "number", "term", "county", "name",
    };

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

        return new AnswerDraft(all ? "yes" : "no", support, 0.5)
        {
            Kind = AnswerKind.YesNo,
            Signals = new Dictionary<string, double>(StringComparer.Ordinal) { ["subjectsFound"] = support.Count, ["subjects"] = subjects.Count },
        };
    }

    private static AnswerDraft ChooseOption(AnswerContext context, ExpectedAnswer expected, HashSet<string> terms)
    {
        var question = context.Question.ToLowerInvariant();
        var wantsEarliest = ComposedAnswers.EarlierCue().IsMatch(question);
        var wantsLatest = ComposedAnswers.LaterCue().IsMatch(question);
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

            var year = ComposedAnswers.Year().Matches(passage.Chunk.Text).Select(m => int.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty().Min();
            var words = QueryAnalyzer.Words(passage.Chunk.Text).Select(w => w.Word.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            var overlap = terms.Count(words.Contains);
            scored.Add((option, passage.Score + overlap, year == 0 ? null : year, Citations.BestSentence(passage.Chunk, passage.DocumentTitle, terms)));
        }

        var pick = (wantsEarliest || wantsLatest) && scored.All(s => s.Year is not null)
            ? (wantsEarliest ? scored.OrderBy(s => s.Year) : scored.OrderByDescending(s => s.Year)).First()
            : scored.OrderByDescending(s => s.Score).First();
        var support = scored.Where(s => s.Cite is not null).Select(s => s.Cite!).ToList();
        var others = scored.Where(s => s.Option != pick.Option).Select(s => s.Score).DefaultIfEmpty(0).Max();
        return new AnswerDraft(pick.Option, support, support.Count == 2 ? 0.5 : 0.2)
        {
            Kind = AnswerKind.Option,
            Signals = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["optionsFound"] = support.Count,
                ["byYear"] = (wantsEarliest || wantsLatest) && scored.All(s => s.Year is not null) ? 1 : 0,
                ["margin"] = pick.Score <= 0 ? 0 : Math.Round((pick.Score - others) / pick.Score, 4),
            },
        };
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


    [GeneratedRegex(@"\b(first|earlier|earliest|older|oldest|before|later|latest|younger|youngest|newer|newest|more|most|less|fewer|larger|largest|bigger|biggest|smaller|smallest|higher|highest|lower|lowest)\b")]
    private static partial Regex Criterion();
}
