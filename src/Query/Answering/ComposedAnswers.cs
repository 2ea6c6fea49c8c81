using System.Globalization;
using System.Text.RegularExpressions;
using GraphRag.Graph;
using GraphRag.Graph.Model;
using GraphRag.Graph.Text;
using GraphRag.Query.Analysis;

namespace GraphRag.Query.Answering;

/// <summary>
/// Answers that are more than one span, composed without a model from sentences of the passages, each sentence quoted
/// verbatim and cited: a list (every entity that fits), a comparison (each side's value side by side), a timeline
/// (dated sentences in date order) and an extractive summary (the few sentences about what the question names).
/// </summary>
internal static partial class ComposedAnswers
{
    private const int MaxSentences = 6;

    public static AnswerDraft? Compose(AnswerContext context, ExpectedAnswer expected, HashSet<string> terms) => expected.Form switch
    {
        AnswerForm.Summary => Summary(context, terms),
        AnswerForm.Timeline => Timeline(context, terms),
        AnswerForm.List => List(context, expected, terms),
        AnswerForm.Comparison when expected.Options.Count == 2 => Compare(context, expected, terms, pick: false),
        _ => null,
    };

    /// <summary>
    /// Each option's value for what the question compares (the date or quantity in the sentence that names the option
    /// and the question's predicate), cited, and the option the question's criterion picks (earliest, larger, …).
    /// </summary>
    public static AnswerDraft? Compare(AnswerContext context, ExpectedAnswer expected, HashSet<string> terms, bool pick)
    {
        var sentences = Sentences(context);
        var predicate = Predicate(context, terms, expected.Options);
        var question = context.Question.ToLowerInvariant();
        var wanted = EarlierCue().IsMatch(question) || LaterCue().IsMatch(question) || expected.Types.Contains(EntityTypes.Date) ? EntityTypes.Date
            : MoreCue().IsMatch(question) || LessCue().IsMatch(question) || expected.Types.Contains(EntityTypes.Quantity) ? EntityTypes.Quantity
            : null;
        var sides = new List<(string Option, Sentence? Sentence, double? Value, string? ValueText)>();
        foreach (var option in expected.Options)
        {
            var best = sentences
                .Where(s => Plain(s.Text).Contains(Plain(option), StringComparison.Ordinal) || s.OwnDocumentOf([option]))
                .Select(s => (Sentence: s, Value: ValueIn(s, context, predicate, wanted), Score: Overlap(s, predicate) - (0.01 * s.Rank)))
                .Where(p => p.Value is not null && (predicate.Count == 0 || Overlap(p.Sentence, predicate) > 0))
                .OrderByDescending(p => p.Score)
                .FirstOrDefault();
            sides.Add(best.Sentence is null ? (option, null, null, null) : (option, best.Sentence, best.Value!.Value.Number, best.Value.Value.Text));
        }

        var found = sides.Where(s => s.Sentence is not null).ToList();
        if (found.Count == 0)
        {
            return null;
        }

        var claims = found.Select(s => new AnswerClaim($"{s.Option}: {s.ValueText}", [s.Sentence!.Cite()])).ToList();
        var sideBySide = string.Join("; ", found.Select(s => $"{s.Option}: {s.ValueText}"));
        var confidence = found.Count == 2 ? 0.5 : 0.2;
        if (!pick || found.Count < 2)
        {
            return new AnswerDraft(sideBySide, [.. claims.SelectMany(c => c.Citations)], confidence)
            {
                Kind = AnswerKind.Comparison,
                Claims = claims,
                Signals = new Dictionary<string, double>(StringComparer.Ordinal) { ["optionsFound"] = found.Count },
            };
        }

        var wantsLess = LessCue().IsMatch(question) || EarlierCue().IsMatch(question);
        var ordered = wantsLess ? found.OrderBy(s => s.Value).ToList() : found.OrderByDescending(s => s.Value).ToList();
        var chosen = ordered[0];
        var tie = ordered[0].Value == ordered[1].Value;
        // The answer names the option; the claims give both values side by side.
        return new AnswerDraft(tie ? sideBySide : chosen.Option, [.. claims.SelectMany(c => c.Citations)], tie ? 0.2 : confidence)
        {
            Kind = AnswerKind.Option,
            Claims = claims,
            Signals = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["optionsFound"] = found.Count,
                ["byValue"] = 1,
                ["margin"] = tie ? 0 : 1,
            },
        };
    }

    /// <summary>Every entity of the asked type the question's chain or predicate leads to, each with its sentence.</summary>
    private static AnswerDraft? List(AnswerContext context, ExpectedAnswer expected, HashSet<string> terms)
    {
        var sentences = Sentences(context);
        var items = new List<(string Id, string Name, Sentence Sentence)>();
        var best = context.Chains.FirstOrDefault();
        if (best is not null && best.Coverage >= 1)
        {
            foreach (var chain in context.Chains.Where(c => c.Coverage >= 1 && c.Labels.SequenceEqual(best.Labels, StringComparer.Ordinal) && Fits(expected, c.Entity.Type)))
            {
                var sentence = sentences.FirstOrDefault(s => s.Entities.Contains(chain.Entity.Id) && s.Anchored(context));
                if (sentence is not null)
                {
                    items.Add((chain.Entity.Id, chain.Entity.Name, sentence));
                }
            }
        }

        if (items.Count == 0)
        {
            var predicate = Predicate(context, terms, []);
            var named = context.QuestionEntities.Select(l => l.EntityId).ToHashSet(StringComparer.Ordinal);
            foreach (var sentence in sentences.Where(s => s.Anchored(context) && (predicate.Count == 0 || Overlap(s, predicate) >= 0.5)))
            {
                foreach (var mention in sentence.Mentions.Where(m => !named.Contains(m.EntityId) && Fits(expected, context.EntityTypes.GetValueOrDefault(m.EntityId, m.Type))))
                {
                    if (items.All(i => i.Id != mention.EntityId))
                    {
                        items.Add((mention.EntityId, mention.Text, sentence));
                    }
                }
            }
        }

        if (items.Count == 0)
        {
            return null;
        }

        items = items.Take(MaxSentences * 2).ToList();
        var claims = items.GroupBy(i => i.Sentence)
            .Select(g => new AnswerClaim(string.Join(", ", g.Select(i => i.Name)), [g.Key.Cite()]))
            .ToList();
        var names = items.Select(i => i.Name).ToList();
        var text = names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];
        return new AnswerDraft(text, [.. claims.SelectMany(c => c.Citations)], items.Count > 1 ? 0.5 : 0.3, items.Count == 1 ? items[0].Id : null)
        {
            Kind = AnswerKind.List,
            Claims = claims,
            Signals = new Dictionary<string, double>(StringComparer.Ordinal) { ["items"] = items.Count, ["fromChain"] = best?.Coverage >= 1 ? 1 : 0 },
        };
    }

    /// <summary>Of the asked type; with none asked, a thing rather than a date or an amount.</summary>
    private static bool Fits(ExpectedAnswer expected, string type) =>
        expected.Types.Count == 0 ? type is not (EntityTypes.Date or EntityTypes.Quantity) : expected.Types.Contains(type);

    /// <summary>The dated sentences about what the question names, oldest first.</summary>
    private static AnswerDraft? Timeline(AnswerContext context, HashSet<string> terms)
    {
        var dated = Sentences(context)
            .Where(s => s.Anchored(context) && s.IsFullSentence)
            .Select(s => (Sentence: s, Year: YearIn(s, context)))
            .Where(p => p.Year is not null)
            .GroupBy(p => p.Sentence.Text, StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(p => p.Year)
            .ThenBy(p => p.Sentence.Rank)
            .ThenBy(p => p.Sentence.Start)
            .Take(MaxSentences)
            .ToList();
        if (dated.Count == 0)
        {
            return null;
        }

        var claims = dated.Select(p => new AnswerClaim(p.Sentence.Text, [p.Sentence.Cite()])).ToList();
        return new AnswerDraft(string.Join(" ", claims.Select(c => c.Text)), [.. claims.SelectMany(c => c.Citations)], dated.Count > 1 ? 0.5 : 0.3)
        {
            Kind = AnswerKind.Timeline,
            Claims = claims,
            Signals = new Dictionary<string, double>(StringComparer.Ordinal) { ["sentences"] = dated.Count },
        };
    }

    /// <summary>The few sentences that say most about what the question names, in the order the documents give them.</summary>
    private static AnswerDraft? Summary(AnswerContext context, HashSet<string> terms)
    {
        var predicate = Predicate(context, terms, []);
        var chosen = Sentences(context)
            .Where(s => s.Anchored(context))
            .GroupBy(s => s.Text, StringComparer.Ordinal)
            .Select(g => g.First())
            .Where(s => s.IsFullSentence)
            .Select(s => (Sentence: s, Score: (s.NamesQuestionEntity(context) ? 1.0 : 0.5) + Overlap(s, predicate) + (1.0 / (1 + s.Rank))))
            .OrderByDescending(p => p.Score)
            .Take(3)
            .Select(p => p.Sentence)
            .OrderBy(s => s.Rank)
            .ThenBy(s => s.Start)
            .ToList();
        if (chosen.Count == 0)
        {
            return null;
        }

        var claims = chosen.Select(s => new AnswerClaim(s.Text, [s.Cite()])).ToList();
        return new AnswerDraft(string.Join(" ", claims.Select(c => c.Text)), [.. claims.SelectMany(c => c.Citations)], chosen.Count > 1 ? 0.5 : 0.3)
        {
            Kind = AnswerKind.Summary,
            Claims = claims,
            Signals = new Dictionary<string, double>(StringComparer.Ordinal) { ["sentences"] = chosen.Count },
        };
    }

    /// <summary>The question's words that are neither names nor what kind of answer it wants, stemmed.</summary>
    private static HashSet<string> Predicate(AnswerContext context, HashSet<string> terms, IReadOnlyList<string> options)
    {
        var names = context.QuestionEntities.Select(l => l.MatchedText).Concat(options)
            .SelectMany(n => QueryAnalyzer.Analyze(n).Terms)
            .ToHashSet(StringComparer.Ordinal);
        return terms.Where(t => !names.Contains(t) && !FormWords.Contains(t)).Select(Stem).ToHashSet(StringComparer.Ordinal);
    }

    private static double Overlap(Sentence sentence, HashSet<string> predicate) =>
        predicate.Count == 0 ? 0 : predicate.Count(sentence.Stems.Contains) / (double)predicate.Count;

    /// <summary>
    /// The date or quantity (of the wanted type, when one is) the sentence states nearest to a predicate word of the
    /// question ("founded in 1978", "revenue of £42 million"), as a number to compare and as written.
    /// </summary>
    private static (double Number, string Text)? ValueIn(Sentence sentence, AnswerContext context, HashSet<string> predicate, string? wanted)
    {
        var anchors = QueryAnalyzer.Words(sentence.Text).Where(w => predicate.Contains(Stem(w.Word.ToLowerInvariant()))).Select(w => sentence.Start + w.Start).ToList();
        (double Number, string Text, int Distance)? best = null;
        foreach (var mention in sentence.Mentions)
        {
            var type = context.EntityTypes.GetValueOrDefault(mention.EntityId, mention.Type);
            if (wanted is not null && type != wanted)
            {
                continue;
            }

            double? number = type == EntityTypes.Date && Year().Match(mention.Text) is { Success: true } year ? double.Parse(year.Value, CultureInfo.InvariantCulture)
                : type == EntityTypes.Quantity ? Number(mention.Text)
                : null;
            if (number is null)
            {
                continue;
            }

            var distance = anchors.Count == 0 ? 0 : anchors.Min(a => Math.Abs(mention.Span.Start - a));
            if (best is null || distance < best.Value.Distance)
            {
                best = (number.Value, mention.Text, distance);
            }
        }

        if (best is { } found)
        {
            return (found.Number, found.Text);
        }

        if (wanted == EntityTypes.Quantity)
        {
            // An amount the extractor did not type ("310 people"): the number nearest a predicate word, years aside.
            return NumberPattern().Matches(sentence.Text)
                .Where(m => !Year().IsMatch(m.Value) && Number(m.Value) is not null)
                .OrderBy(m => anchors.Count == 0 ? 0 : anchors.Min(a => Math.Abs(sentence.Start + m.Index - a)))
                .Select(m => ((double, string)?)(Number(m.Value)!.Value, m.Value.Trim()))
                .FirstOrDefault();
        }

        return Year().Match(sentence.Text) is { Success: true } bare ? (double.Parse(bare.Value, CultureInfo.InvariantCulture), bare.Value) : null;
    }

    private static int? YearIn(Sentence sentence, AnswerContext context) =>
        ValueIn(sentence, context, [], EntityTypes.Date) is { } value ? (int)value.Number : null;

    /// <summary>"€18.5 million" → 18,500,000; "1,200 staff" → 1200.</summary>
    internal static double? Number(string text)
    {
        var match = NumberPattern().Match(text);
        if (!match.Success || !double.TryParse(match.Groups["n"].Value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        return match.Groups["scale"].Value.ToLowerInvariant() switch
        {
            "thousand" => value * 1e3,
            "million" or "m" => value * 1e6,
            "billion" or "bn" => value * 1e9,
            _ => value,
        };
    }

    /// <summary>The sentences of the passages, best passage first, with the mentions inside each.</summary>
    private static List<Sentence> Sentences(AnswerContext context)
    {
        var sentences = new List<Sentence>();
        var mentionsByChunk = context.Mentions.ToLookup(m => m.Span.ChunkId, StringComparer.Ordinal);
        for (var rank = 0; rank < context.Passages.Count; rank++)
        {
            var passage = context.Passages[rank];
            var chunk = passage.Chunk;
            foreach (var span in SentenceSplitter.Split(chunk.Text))
            {
                // A heading or a list item runs into the next sentence without a full stop: each line stands alone.
                foreach (var line in Lines(chunk.Text, span.Start, span.End))
                {
                    var start = chunk.Start + line.Start;
                    var end = chunk.Start + line.End;
                    var text = chunk.Text[line.Start..line.End];
                    if (QueryAnalyzer.Words(text).Count < 4)
                    {
                        continue;
                    }

                    var mentions = mentionsByChunk[chunk.Id].Where(m => m.Span.Start >= start && m.Span.End <= end).OrderBy(m => m.Span.Start).ToList();
                    sentences.Add(new Sentence(passage, rank, start, text, mentions));
                }
            }
        }

        return sentences;
    }

    /// <summary>The non-blank lines of <c>text[start..end]</c>, trimmed, as offsets into the text.</summary>
    private static IEnumerable<(int Start, int End)> Lines(string text, int start, int end)
    {
        var at = start;
        while (at < end)
        {
            var newline = text.IndexOf('\n', at, end - at);
            var stop = newline < 0 ? end : newline;
            var s = at;
            var e = stop;
            while (s < e && char.IsWhiteSpace(text[s]))
            {
                s++;
            }

            while (e > s && char.IsWhiteSpace(text[e - 1]))
            {
                e--;
            }

            if (e > s)
            {
                yield return (s, e);
            }

            at = stop + 1;
        }
    }

    /// <summary>Lower-case words joined by single spaces: a name's words, legal form included.</summary>
    private static string Plain(string text) => " " + string.Join(' ', QueryAnalyzer.Words(text).Select(w => w.Word.ToLowerInvariant())) + " ";

    /// <summary>The crude stem both generators compare words by: five letters, or the word without a plural s.</summary>
    internal static string Stem(string word) => word.Length > 5 ? word[..5] : word.TrimEnd('s');

    /// <summary>Words that say what shape of answer is wanted rather than what is asked.</summary>
    private static readonly HashSet<string> FormWords = new(StringComparer.Ordinal)
    {
        "list", "name", "names", "all", "every", "compare", "comparison", "difference", "versus", "summarise", "summarize",
        "summary", "describe", "overview", "tell", "timeline", "chronology", "chronological", "history", "order", "happened",
        "events", "key", "milestones", "known", "earlier", "later", "first", "more", "less", "larger", "smaller",
    };

    [GeneratedRegex(@"\b(1[0-9]{3}|20[0-9]{2})\b")]
    internal static partial Regex Year();

    [GeneratedRegex(@"(?<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?<scale>thousand|million|billion|bn|m)?\b", RegexOptions.IgnoreCase)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"\b(less|fewer|smaller|lower|least|smallest|lowest|cheaper|cheapest)\b")]
    private static partial Regex LessCue();

    [GeneratedRegex(@"\b(first|earlier|earliest|older|oldest|before)\b")]
    internal static partial Regex EarlierCue();

    [GeneratedRegex(@"\b(later|latest|younger|youngest|newer|newest|more recent|most recent|after)\b")]
    internal static partial Regex LaterCue();

    [GeneratedRegex(@"\b(more|most|larger|largest|bigger|biggest|higher|highest|greater)\b")]
    private static partial Regex MoreCue();

    /// <summary>One sentence of a passage: absolute span, text, the mentions inside, and its stems.</summary>
    private sealed class Sentence(RankedPassage passage, int rank, int start, string text, IReadOnlyList<Mention> mentions)
    {
        public int Rank { get; } = rank;

        public int Start { get; } = start;

        public string Text { get; } = text;

        public string Title => passage.DocumentTitle;

        /// <summary>Ends as a sentence does, unlike a heading or a caption.</summary>
        public bool IsFullSentence => Text[^1] is '.' or '!' or '?' or '"' or '”' or ')';

        public IReadOnlyList<Mention> Mentions { get; } = mentions;

        public HashSet<string> Entities { get; } = mentions.Select(m => m.EntityId).ToHashSet(StringComparer.Ordinal);

        public HashSet<string> Stems { get; } = QueryAnalyzer.Words(text).Select(w => Stem(w.Word.ToLowerInvariant())).ToHashSet(StringComparer.Ordinal);

        public bool NamesQuestionEntity(AnswerContext context) => context.QuestionEntities.Any(l => Entities.Contains(l.EntityId));

        /// <summary>About what the question names: it mentions a question entity, or stands in that entity's own document.</summary>
        public bool Anchored(AnswerContext context) =>
            NamesQuestionEntity(context)
            || OwnDocumentOf(context.QuestionEntities.Select(l => l.MatchedText));

        /// <summary>
        /// The sentence stands in the document of one of these names: its title starts with the name, word for word
        /// (legal form included, so "Acme Ltd." does not own "Acme Co. annual report").
        /// </summary>
        public bool OwnDocumentOf(IEnumerable<string> names) =>
            names.Any(n => Plain(Title).StartsWith(Plain(n), StringComparison.Ordinal));

        /// <summary>The sentence as stored, so the quote equals the text at the span.</summary>
        public Citation Cite() => Citations.Cite(passage.Chunk, passage.DocumentTitle, Start, Start + Text.Length)!;
    }
}
