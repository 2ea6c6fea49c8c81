using System.Diagnostics;
using System.Text.RegularExpressions;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Traversal;
using GraphRag.Query.Analysis;
using GraphRag.Query.Answering;
using GraphRag.Query.Retrieval;
using Microsoft.Extensions.Logging;

namespace GraphRag.Query;

/// <summary>
/// Answers a question: hybrid multi-hop retrieval, an answer from the evidence (or "insufficient information"),
/// citations that quote the stored text at their spans, and the entity → relation → entity paths behind the answer.
/// Thread-safe; build once and share.
/// </summary>
public sealed partial class QueryEngine
{
    public const string InsufficientInformation = "insufficient information";

    public static readonly ActivitySource Activity = new("GraphRag.Query");

    private readonly IDocumentReader _documents;
    private readonly IGraphReader _graph;
    private readonly ISnapshotSource _snapshots;
    private readonly IAnswerGenerator _answers;
    private readonly QueryEngineOptions _options;
    private readonly HybridRetriever _retriever;
    private readonly RelationVocabulary _vocabulary;
    private readonly IQueryUsageMeter? _usage;
    private readonly ConfidenceModel? _confidence;
    private readonly double _threshold;

    /// <param name="vectors">Dense retrieval, when an embedding provider and a vector index are configured; null leaves it off.</param>
    /// <param name="vocabulary">The relation vocabulary extraction used (with a domain profile's relations); built-in by default.</param>
    /// <param name="planner">A model that proposes each further round's sub-question and bridges; null leaves rounds to the graph.</param>
    /// <param name="usage">Meters language-model spending per query (and bounds it); null when no model is configured.</param>
    public QueryEngine(
        IDocumentReader documents,
        ILexicalIndex lexical,
        IGraphReader graph,
        ISnapshotSource snapshots,
        IAnswerGenerator answers,
        QueryEngineOptions options,
        VectorChannel? vectors = null,
        RelationVocabulary? vocabulary = null,
        IHopPlanner? planner = null,
        IQueryUsageMeter? usage = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(lexical);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(options);
        _documents = documents;
        _graph = graph;
        _snapshots = snapshots;
        _answers = answers;
        _options = options;
        _vocabulary = vocabulary ?? RelationVocabulary.BuiltIn;
        _usage = usage;
        _confidence = options.ConfidenceModel?.Trim() switch
        {
            null or "" or "builtin" => ConfidenceModel.BuiltIn,
            "coverage" => null,
            var path => ConfidenceModel.Load(path),
        };
        _threshold = options.InsufficientEvidenceThreshold ?? _confidence?.Threshold ?? QueryEngineOptions.CoverageThreshold;
        _retriever = new HybridRetriever(lexical, snapshots, options, _vocabulary, vectors, planner, planner is null ? null : LoadPassagesAsync, Chains);
    }

    /// <summary>Where answered queries are logged (mode, counts and time; never the question's text).</summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// True when this engine can answer in <paramref name="mode"/>: every mode but <see cref="QueryMode.Vector"/> always,
    /// that one only with a vector channel (embeddings on). Hosts check it to reject an unavailable mode clearly.
    /// </summary>
    public bool Supports(QueryMode mode) => Enum.IsDefined(mode) && _retriever.Supports(mode);

    public async Task<QueryResult> QueryAsync(QueryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Question);
        if (!Supports(request.Mode))
        {
            throw new ArgumentException(
                $"The {request.Mode.ToString().ToLowerInvariant()} mode needs embeddings, which this engine runs without.", nameof(request));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(request.TopK, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.TopK, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxHops, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.MaxHops, 10);

        using var activity = Activity.StartActivity("query");
        // Every model call of this query (planning, answering) is charged to this scope and bounded by its budget.
        using var spending = _usage?.Begin();
        activity?.SetTag("graphrag.mode", request.Mode.ToString());
        var timings = new List<StageTiming>();
        var total = Stopwatch.StartNew();
        // The question is analysed once; every stage reads this.
        var analyzed = QueryAnalyzer.Analyze(request.Question);
        var outcome = await _retriever.RetrieveAsync(request, analyzed, timings, cancellationToken).ConfigureAwait(false);

        var clock = Stopwatch.StartNew();
        var passages = await LoadPassagesAsync(outcome, request, cancellationToken).ConfigureAwait(false);
        var mentions = passages.Count == 0
            ? []
            : await _graph.GetMentionsAsync(new MentionQuery { ChunkIds = passages.Select(p => p.Chunk.Id).ToList() }, cancellationToken)
                .ConfigureAwait(false);
        var types = EntityTypesOf(mentions, outcome.Graph);
        timings.Add(new StageTiming("passages", Math.Round(clock.Elapsed.TotalMilliseconds, 3)));

        clock.Restart();
        var chains = outcome.Graph is not { } graph ? [] : outcome.Chains ?? Chains(graph, outcome.Links, analyzed, request.Question);
        var draft = await _answers.GenerateAsync(
            new AnswerContext(request.Question, passages, outcome.Links, mentions, types, chains, outcome.Bridges)
            {
                Analysis = analyzed,
                RelationWords = analyzed.Terms.Distinct(StringComparer.Ordinal)
                    .Select(t => (Term: t, Labels: (IReadOnlySet<string>)_vocabulary.LabelsFor([t])))
                    .Where(p => p.Labels.Count > 0)
                    .ToDictionary(p => p.Term, p => p.Labels, StringComparer.Ordinal),
                Graph = outcome.Graph,
                Masking = request.Masking,
                AnswerStream = request.AnswerStream,
            },
            cancellationToken)
            .ConfigureAwait(false);
        var evidence = EvidenceStrength(analyzed, passages, outcome.Links);
        var signals = Signals(draft, evidence, outcome, analyzed);
        var answerClass = await AnswerClassAsync(outcome.Graph, draft, request, cancellationToken).ConfigureAwait(false);
        AnswerSignals.Add(signals, draft, analyzed, passages, mentions, outcome.Links, types, answerClass);
        if (draft.Kind == AnswerKind.Chain && chains.FirstOrDefault(c => c.Entity.Id == draft.AnswerEntityId) is { } chain)
        {
            // The chain left a relation the question names unfollowed ("Who did the producer of X write Y for?"
            // answered by the producer): the answer may be the bridge, not the end. Names name no relation.
            var relations = Cues(analyzed, request.Question, leaveOut: AnswerSignals.NameTerms(outcome.Links));
            signals["partialChain"] = ChainReasoner.Followed(chain.Labels, relations) < relations.Count ? 1 : 0;
        }
        // A model's answer stands on its verified quotes: its confidence is the share of its claims that verified, and
        // it is insufficient only when none did. An extractive answer's confidence is the calibrated probability that
        // it is right, and below the threshold it is declined.
        var modelAnswer = draft.Kind == AnswerKind.Grounded;
        var confidence = Math.Round(Confidence(draft, signals), 4);
        var insufficient = passages.Count == 0 || draft.Text.Length == 0 || (!modelAnswer && confidence < _threshold);
        timings.Add(new StageTiming("answer", Math.Round(clock.Elapsed.TotalMilliseconds, 3)));

        clock.Restart();
        var terms = analyzed.Terms;
        List<Citation> citations = [];
        if (!insufficient)
        {
            citations.AddRange(draft.Support);
        }

        foreach (var passage in passages)
        {
            var cite = Citations.BestSentence(passage.Chunk, passage.DocumentTitle, terms);
            if (!citations.Any(c => c.ChunkId == cite.ChunkId && c.Start == cite.Start && c.End == cite.End))
            {
                citations.Add(cite);
            }
        }

        var paths = insufficient || outcome.Graph is null
            ? []
            : await BuildPathsAsync(outcome, draft.AnswerEntityId, chains.FirstOrDefault(c => c.Entity.Id == draft.AnswerEntityId), cancellationToken)
                .ConfigureAwait(false);
        if (!insufficient && paths.Count > 0 && draft.Support.Count == 0)
        {
            // An answer reached along relations is cited by the evidence of those relations.
            citations.InsertRange(0, paths[0].Steps.SelectMany(step => step.Evidence).DistinctBy(c => (c.ChunkId, c.Start, c.End)));
        }
        timings.Add(new StageTiming("citations", Math.Round(clock.Elapsed.TotalMilliseconds, 3)));
        timings.Add(new StageTiming("total", Math.Round(total.Elapsed.TotalMilliseconds, 3)));
        if (Logger is { } logger)
        {
            LogAnswered(logger, request.Mode, passages.Count, insufficient, Math.Round(total.Elapsed.TotalMilliseconds, 1));
        }

        return new QueryResult
        {
            Question = request.Question,
            Mode = request.Mode,
            Answer = insufficient ? InsufficientInformation : draft.Text,
            InsufficientEvidence = insufficient,
            Confidence = confidence,
            Passages = passages,
            Citations = citations,
            Paths = paths,
            Hops = outcome.Hops,
            LinkedEntities = outcome.Links,
            Timings = timings,
            Claims = draft.Claims is null ? null : insufficient ? [] : draft.Claims,
            DroppedClaims = draft.Dropped,
            Usage = spending?.Usage,
            AnswerNote = draft.Note,
            Kind = draft.Kind,
            ConfidenceSignals = signals,
            Candidate = draft.Text,
        };
    }

    /// <summary>
    /// How deeply the question nests what it asks ("the spouse of the director of the film that …"): relative words
    /// after the first, possessives and "of the" phrases. Each is a step the answer may have taken wrongly.
    /// </summary>
    internal static int Clauses(string question)
    {
        var opener = Opener().Match(question);
        return NestingWords().Count(opener.Success ? question[(opener.Index + opener.Length)..] : question);
    }

    /// <summary>The question word that opens the question ("In which …", "Who …"), which is not a nesting.</summary>
    [GeneratedRegex(@"^\W*(?:\w+\s+){0,2}?(?:who|whom|whose|what|which|where|when|how)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Opener();

    [GeneratedRegex(@"\b(?:that|which|who|whom|whose|where|when)\b|['’]s\b|\bof (?:the|a|an|its|his|her|their)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NestingWords();

    /// <summary>
    /// Chains from the question's entities along the relations it asks about: three relations deep, and one deeper
    /// only when no chain follows every relation the question names (a four-hop question), so the search costs more
    /// only for the questions that need it.
    /// </summary>
    private IReadOnlyList<ChainCandidate> Chains(GraphView graph, IReadOnlyList<LinkedEntity> links, AnalyzedQuery analyzed, string question)
    {
        var cues = Cues(analyzed, question, leaveOut: new HashSet<string>());
        var types = AnswerTypes.Expect(question).Types;
        var partners = PartnerLinks(question, links);
        var chains = WithoutPartner(ChainReasoner.Find(graph, links, cues, types));
        return chains.Any(c => c.Coverage >= 1) || cues.Count < 3
            ? chains
            : WithoutPartner(ChainReasoner.Find(graph, links, cues, types, maxDepth: 4));

        // "Who co-founded X with the founder of Y?": a chain from Y that never reaches X describes the partner, who is not
        // the answer; the answer's chain runs through X.
        IReadOnlyList<ChainCandidate> WithoutPartner(IReadOnlyList<ChainCandidate> found) =>
            partners.Count == 0
                ? found
                : found.Where(c => !partners.Contains(c.Path.EntityIds[0])
                        || c.Path.EntityIds.Skip(1).Any(e => !partners.Contains(e) && links.Any(l => l.EntityId == e)))
                    .ToList();
    }

    /// <summary>
    /// The entities named inside a "with the …" phrase of a question that also names something before it ("Who
    /// co-founded X with the founder of Y?" → Y): they describe the answer's partner. Empty for other questions.
    /// </summary>
    internal static IReadOnlySet<string> PartnerLinks(string question, IReadOnlyList<LinkedEntity> links)
    {
        var with = WithPhrase().Match(question);
        if (!with.Success)
        {
            return new HashSet<string>();
        }

        var before = question[..with.Index];
        var phrase = with.Value;
        var partners = links.Where(l => l.MatchedText.Length > 0 && phrase.Contains(l.MatchedText, StringComparison.OrdinalIgnoreCase))
            .Select(l => l.EntityId).ToHashSet(StringComparer.Ordinal);
        var named = links.Any(l => l.MatchedText.Length > 0 && l.Weight >= 1 && !partners.Contains(l.EntityId)
            && before.Contains(l.MatchedText, StringComparison.OrdinalIgnoreCase));
        return named ? partners : new HashSet<string>();
    }

    [GeneratedRegex(@"\bwith\s+(?:the|a|an)\s+[^?]+", RegexOptions.IgnoreCase)]
    private static partial Regex WithPhrase();

    /// <summary>
    /// The relation cues of the question's terms, leaving out <paramref name="leaveOut"/> and the words that name the
    /// answer's kind ("Which venture capital firm …" asks along no capital_of; "Which city is the capital of X?" only
    /// along capital_of), each unless nothing else cues a relation.
    /// </summary>
    /// <param name="leaveOut">
    /// Words that cue no relation here: the names' words ("Holm County" asks along no located_in) when judging whether a
    /// chain followed every relation the question names. The chain search keeps them: leaving them out there changes
    /// which chains are found (docs/decisions/0008).
    /// </param>
    private IReadOnlyList<IReadOnlySet<string>> Cues(AnalyzedQuery analyzed, string question, IReadOnlySet<string> leaveOut)
    {
        IReadOnlyList<string> terms = analyzed.Terms.Where(t => !leaveOut.Contains(t)).ToList();
        if (_vocabulary.CuesFor(terms).Count == 0)
        {
            terms = analyzed.Terms;
        }

        var kind = AnswerTypes.KindWords(question);
        if (kind.Count > 0)
        {
            var rest = _vocabulary.CuesFor(terms.Where(t => !kind.Contains(t, StringComparer.Ordinal)));
            if (rest.Count > 0)
            {
                return rest;
            }
        }

        return _vocabulary.CuesFor(terms);
    }

    /// <summary>
    /// How sure the engine is of the answer. With a confidence model, the probability that the answer is right for the
    /// kinds it was fitted on; a language model's verified claims (or a kind the model has no fit for) state their own.
    /// Without one, the evidence-coverage score: the passages' coverage of the question, capped by the answer's support.
    /// </summary>
    private double Confidence(AnswerDraft draft, IReadOnlyDictionary<string, double> signals) =>
        draft.Text.Length == 0 ? 0
        : _confidence is not null && _confidence.Kinds.ContainsKey(draft.Kind) ? _confidence.Probability(draft.Kind, signals)
        : draft.Kind == AnswerKind.Grounded || _confidence is not null ? Math.Clamp(draft.Confidence, 0, 1)
        : Math.Min(signals["evidence"], draft.Confidence);

    /// <summary>Everything the confidence is computed from: the generator's signals, evidence coverage and linking.</summary>
    private static Dictionary<string, double> Signals(AnswerDraft draft, double evidence, RetrievalOutcome outcome, AnalyzedQuery analyzed)
    {
        var signals = new Dictionary<string, double>(draft.Signals, StringComparer.Ordinal)
        {
            ["evidence"] = Math.Round(evidence, 4),
            ["draft"] = Math.Round(draft.Confidence, 4),
            ["missing"] = draft.Missing is null ? 0 : 1,
            ["links"] = outcome.Links.Select(l => l.EntityId).Distinct(StringComparer.Ordinal).Count(),
            ["ambiguousLinks"] = outcome.Links.Count(l => l.Match == "ambiguous"),
            ["linkWeight"] = Math.Round(outcome.Links.Select(l => l.Weight).DefaultIfEmpty(0).Max(), 4),
            ["hops"] = outcome.Hops.Count,
            ["clauses"] = Clauses(analyzed.Text),
            ["terms"] = analyzed.Terms.Count,
        };
        return signals;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Answered a {Mode} query: {Passages} passages, insufficient {Insufficient}, {Milliseconds} ms")]
    private static partial void LogAnswered(ILogger logger, QueryMode mode, int passages, bool insufficient, double milliseconds);

    private Task<IReadOnlyList<RankedPassage>> LoadPassagesAsync(RetrievalOutcome outcome, QueryRequest request, CancellationToken cancellationToken) =>
        LoadPassagesAsync([.. outcome.Ranked.Take(request.TopK)], request, cancellationToken);

    /// <summary>Candidates as passages: their chunks and document titles, only those the caller may read.</summary>
    private async Task<IReadOnlyList<RankedPassage>> LoadPassagesAsync(IReadOnlyList<Candidate> top, QueryRequest request, CancellationToken cancellationToken)
    {
        if (top.Count == 0)
        {
            return [];
        }

        var chunks = (await _documents.GetChunksAsync(top.Select(c => c.ChunkId).ToList(), cancellationToken).ConfigureAwait(false))
            .ToDictionary(c => c.Id, StringComparer.Ordinal);
        var documentIds = top.Select(c => c.DocumentId).Distinct(StringComparer.Ordinal).ToList();
        var titles = (await _documents.ListDocumentsAsync(new DocumentListRequest(0, documentIds.Count) { Ids = documentIds }, cancellationToken)
                .ConfigureAwait(false))
            .ToDictionary(d => d.Id, d => d.Title, StringComparer.Ordinal);
        return top.Where(c => chunks.ContainsKey(c.ChunkId) && (request.Scope is null || request.Scope.CanRead(c.DocumentId)))
            .Select(c => new RankedPassage(
                chunks[c.ChunkId],
                titles.GetValueOrDefault(c.DocumentId, c.DocumentId),
                Math.Round(c.Score, 6),
                new Explanation(
                    c.Channels.ToDictionary(p => p.Key, p => Math.Round(p.Value, 6), StringComparer.Ordinal),
                    c.Entities.Order(StringComparer.Ordinal).ToList(),
                    [],
                    c.Hop)
                {
                    Contributions = c.Channels.ToDictionary(p => p.Key, p => Math.Round(Fusion.WeightOf(_options, p.Key) * p.Value, 6), StringComparer.Ordinal),
                    VectorOnly = c.IsVectorOnly,
                }))
            .ToList();
    }


    /// <summary>Each mentioned entity's type as the caller sees it (readable documents' votes under a scope).</summary>
    private static Dictionary<string, string> EntityTypesOf(IReadOnlyList<Mention> mentions, GraphView? graph)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mention in mentions)
        {
            types.TryAdd(mention.EntityId, graph?.TypeOf(mention.EntityId) ?? mention.Type);
        }

        return types;
    }

    /// <summary>
    /// Whether the answer is the class of thing the question names ("In which country …"), from how the corpus
    /// describes it wherever the caller can read (<see cref="AnswerClasses"/>): its name, the defining sentences of the
    /// chunks that mention it most, and whether the visible graph places it inside another place. Only the caller's
    /// view is read, so a document the caller cannot read never changes the answer's confidence.
    /// </summary>
    private async Task<double> AnswerClassAsync(GraphView? graph, AnswerDraft draft, QueryRequest request, CancellationToken cancellationToken)
    {
        var asked = AnswerClasses.Asked(request.Question);
        var bridges = AnswerClasses.Bridges(request.Question);
        if ((asked is null && bridges.Count == 0) || graph is null || draft.AnswerEntityId is not { } id || draft.Text.Length == 0)
        {
            return AnswerClasses.Unknown;
        }

        var described = new HashSet<string>(StringComparer.Ordinal);
        if (graph.NameOf(id) is { } name && AnswerClasses.NameClass(name) is { } named)
        {
            described.Add(named);
        }

        if (graph.Neighbours(id, labelledOnly: true).Any(n => n.Outgoing && n.Label == RelationVocabulary.LocatedIn && n.Entity.Type == EntityTypes.Location))
        {
            described.Add(AnswerClasses.Inside);
        }

        var chunkIds = graph.ChunksOf(id)
            .Where(c => request.Scope is null || request.Scope.CanRead(c.DocumentId))
            .OrderByDescending(c => c.Mentions).ThenBy(c => c.ChunkId, StringComparer.Ordinal)
            .Take(DescriptionChunks)
            .Select(c => c.ChunkId)
            .ToList();
        if (chunkIds.Count > 0)
        {
            var chunks = (await _documents.GetChunksAsync(chunkIds, cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Id, StringComparer.Ordinal);
            var own = await _graph.GetMentionsAsync(new MentionQuery { EntityIds = [id], ChunkIds = chunkIds }, cancellationToken).ConfigureAwait(false);
            foreach (var mention in own.Where(m => m.EntityId == id && chunks.ContainsKey(m.Span.ChunkId)))
            {
                var chunk = chunks[mention.Span.ChunkId];
                described.UnionWith(AnswerClasses.Describe(chunk.Text, mention.Span.Start - chunk.Start, mention.Span.End - chunk.Start));
            }
        }

        return AnswerClasses.Judge(asked, bridges, described);
    }

    /// <summary>How many of the chunks that mention an answer most are read for what it is.</summary>
    private const int DescriptionChunks = 24;

    /// <summary>
    /// How well the best passages cover the question: the share of its content words they contain, and the share of
    /// the names it uses that either link to an entity or occur in them. A question about something the corpus never
    /// mentions scores low on names however many common words match.
    /// </summary>
    internal static double EvidenceStrength(AnalyzedQuery analyzed, IReadOnlyList<RankedPassage> passages, IReadOnlyList<LinkedEntity> links)
    {
        if (passages.Count == 0)
        {
            return 0;
        }

        var question = analyzed.Text;
        var text = string.Join('\n', passages.Take(5).Select(p => p.DocumentTitle + "\n" + p.Chunk.Text));
        var words = QueryAnalyzer.Words(text).Select(w => w.Word.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var stems = words.Select(Stem).ToHashSet(StringComparer.Ordinal);
        var termCoverage = analyzed.Terms.Count == 0
            ? 0
            : analyzed.Terms.Count(t => words.Contains(t) || stems.Contains(Stem(t))) / (double)analyzed.Terms.Count;
        var names = analyzed.Phrases.Concat(CapitalisedWords(question)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (names.Count == 0)
        {
            return termCoverage;
        }

        var normalisedText = " " + Graph.EntityKey.Normalize(text) + " ";
        var linked = links.Select(l => Graph.EntityKey.Normalize(l.MatchedText)).ToHashSet(StringComparer.Ordinal);
        var found = names.Count(n =>
        {
            var key = Graph.EntityKey.Normalize(n);
            return linked.Contains(key) || normalisedText.Contains(" " + key + " ", StringComparison.Ordinal);
        });
        return (0.4 * termCoverage) + (0.6 * found / names.Count);
    }

    private static IEnumerable<string> CapitalisedWords(string question)
    {
        var words = QueryAnalyzer.Words(question);
        for (var i = 1; i < words.Count; i++)
        {
            var word = words[i].Word;
            if (char.IsUpper(word[0]) && !StopWords.English.Contains(word.ToLowerInvariant()))
            {
                yield return word;
            }
        }
    }

    private static string Stem(string word) => word.Length > 5 ? word[..5] : word;

    private async Task<IReadOnlyList<AnswerPath>> BuildPathsAsync(
        RetrievalOutcome outcome, string? answerEntityId, ChainCandidate? chain, CancellationToken cancellationToken)
    {
        var graph = outcome.Graph!;
        var pairs = new List<(string From, string To)>();
        var linked = outcome.Links.Select(l => l.EntityId).Distinct(StringComparer.Ordinal).Take(3).ToList();
        if (answerEntityId is not null)
        {
            pairs.AddRange(linked.Where(l => l != answerEntityId).Select(l => (l, answerEntityId)));
        }
        else if (linked.Count >= 2)
        {
            pairs.Add((linked[0], linked[1]));
        }

        var found = pairs
            .Select(p => graph.FindPath(p.From, p.To, maxHops: 4))
            .Where(p => p is not null && p.RelationIds.Count > 0)
            .Select(p => p!)
            .OrderBy(p => p.Cost)
            .Take(3)
            .ToList();
        if (chain is not null)
        {
            found.Insert(0, chain.Path);
        }

        // The chain is usually also the cheapest path the search finds: one path, listed once (the chain's, first).
        found = found.DistinctBy(p => string.Join('\u001F', p.EntityIds.Concat(p.RelationIds)), StringComparer.Ordinal).ToList();
        if (found.Count == 0)
        {
            return [];
        }

        var relationIds = found.SelectMany(p => p.RelationIds).Distinct(StringComparer.Ordinal).ToList();
        var relations = (await _graph.GetRelationsAsync(new RelationQuery { RelationIds = relationIds }, cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => r.Id, StringComparer.Ordinal);
        // Only readable evidence is cited, so pick the first readable spans rather than the first spans.
        var evidenceChunks = relations.Values
            .SelectMany(r => r.Evidence.Where(e => graph.IsChunkVisible(e.Span.ChunkId)).Take(2))
            .Select(e => e.Span.ChunkId)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var chunks = (await _documents.GetChunksAsync(evidenceChunks, cancellationToken).ConfigureAwait(false))
            .ToDictionary(c => c.Id, StringComparer.Ordinal);
        var documentIds = chunks.Values.Select(c => c.DocumentId).Distinct(StringComparer.Ordinal).ToList();
        var titles = (await _documents.ListDocumentsAsync(new DocumentListRequest(0, Math.Max(1, documentIds.Count)) { Ids = documentIds }, cancellationToken)
                .ConfigureAwait(false))
            .ToDictionary(d => d.Id, d => d.Title, StringComparer.Ordinal);

        var paths = new List<AnswerPath>();
        foreach (var path in found)
        {
            var steps = new List<PathStep>();
            for (var i = 0; i < path.RelationIds.Count; i++)
            {
                if (!relations.TryGetValue(path.RelationIds[i], out var relation))
                {
                    continue;
                }

                var from = graph.Node(path.EntityIds[i])!;
                var to = graph.Node(path.EntityIds[i + 1])!;
                var forward = relation.SourceId == from.Id;
                var evidence = relation.Evidence
                    .Where(e => chunks.ContainsKey(e.Span.ChunkId)
                        && graph.IsChunkVisible(e.Span.ChunkId))
                    .Take(2)
                    .Select(e => Citations.Cite(chunks[e.Span.ChunkId], titles.GetValueOrDefault(e.Span.DocumentId, e.Span.DocumentId), e.Span.Start, e.Span.End))
                    .Where(c => c is not null)
                    .Select(c => c!)
                    .ToList();
                var step = forward
                    ? new PathStep(from.Name, relation.Label, to.Name, evidence)
                    : new PathStep(to.Name, relation.Label, from.Name, evidence);
                steps.Add(step with { SourceId = relation.SourceId, TargetId = relation.TargetId, RelationId = relation.Id });
            }

            paths.Add(new AnswerPath(steps, Math.Round(1.0 / (1.0 + path.Cost), 6)));
        }

        return paths;
    }
}
