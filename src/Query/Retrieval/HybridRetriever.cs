using System.Diagnostics;
using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Traversal;
using GraphRag.Query.Analysis;
using GraphRag.Query.Linking;

namespace GraphRag.Query.Retrieval;

/// <summary>The ranked candidates of one query, with what each round did, and the graph as the caller saw it.</summary>
internal sealed record RetrievalOutcome(
    IReadOnlyList<Candidate> Ranked,
    IReadOnlyList<LinkedEntity> Links,
    IReadOnlyList<HopTrace> Hops,
    GraphView? Graph,
    IReadOnlySet<string> Bridges)
{
    /// <summary>The chains from the question's entities, when the retriever searched them (see <see cref="ChainSearch"/>).</summary>
    public IReadOnlyList<ChainCandidate>? Chains { get; init; }
}

/// <summary>
/// The answer's chain search: it needs only the caller's graph, the question's links and the question, so the retriever
/// runs it in round 1 while it waits for the question's embedding instead of answering running it after retrieval.
/// </summary>
internal delegate IReadOnlyList<ChainCandidate> ChainSearch(GraphView graph, IReadOnlyList<LinkedEntity> links, AnalyzedQuery analyzed, string question);

/// <summary>A chunk under consideration, with each channel's best normalised score and the round that found it.</summary>
internal sealed class Candidate
{
    public Candidate(string chunkId, string documentId, int hop)
        : this(chunkId, documentId, hop, new Dictionary<string, double>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal))
    {
    }

    /// <summary>A copy with a round's own score, sharing the evidence of the original (every round copies each of its candidates).</summary>
    public Candidate(Candidate original, double score)
        : this(original.ChunkId, original.DocumentId, original.Hop, original.Channels, original.Entities)
    {
        Score = score;
    }

    private Candidate(string chunkId, string documentId, int hop, Dictionary<string, double> channels, HashSet<string> entities)
    {
        ChunkId = chunkId;
        DocumentId = documentId;
        Hop = hop;
        Channels = channels;
        Entities = entities;
    }

    public string ChunkId { get; }

    public string DocumentId { get; }

    public int Hop { get; }

    public Dictionary<string, double> Channels { get; }

    public HashSet<string> Entities { get; }


    public double Score { get; set; }

    /// <summary>Only the vector channel found it (with a positive score): no lexical or graph evidence.</summary>
    public bool IsVectorOnly =>
        Channels.GetValueOrDefault(HybridRetriever.VectorChannelName) > 0
        && Channels.Where(p => p.Key != HybridRetriever.VectorChannelName).All(p => p.Value <= 0);

    public void Offer(string channel, double score)
    {
        if (score > Channels.GetValueOrDefault(channel))
        {
            Channels[channel] = score;
        }
    }
}

/// <summary>
/// Iterative hybrid retrieval. Round 1 asks every channel — BM25 (question terms and the names it links), personalised
/// PageRank seeded from the linked entities and the best lexical chunks, dense vectors when configured — and fuses
/// their scores. Each further round takes bridge entities from the best chunks so far — entities the question does not
/// name but the evidence points to — and searches again with them, until no new bridge appears or the hop budget is
/// spent. Each channel's work is an <see cref="Activity"/> span and a stage timing.
/// </summary>
internal sealed class HybridRetriever
{
    public const string LexicalChannelName = "bm25";
    public const string GraphChannelName = "graph";
    public const string VectorChannelName = "vector";

    private readonly ISnapshotSource _graph;
    private readonly QueryEngineOptions _options;
    private readonly RelationVocabulary _vocabulary;
    private readonly IRetrievalChannel _lexical;
    private readonly IRetrievalChannel _pageRank;
    private readonly IRetrievalChannel? _dense;
    private readonly VectorChannel? _vectors;
    private readonly IHopPlanner? _planner;
    private readonly Func<IReadOnlyList<Candidate>, QueryRequest, CancellationToken, Task<IReadOnlyList<RankedPassage>>>? _passages;
    private readonly ChainSearch? _chains;

    /// <param name="planner">Proposes the next round's sub-question and bridges; null chooses bridges by the graph alone.</param>
    /// <param name="passages">Loads candidates as passages the caller may read, for the planner.</param>
    /// <param name="chains">The answer's chain search, run in round 1 (its result is the outcome's chains); null leaves it to the caller.</param>
    public HybridRetriever(
        ILexicalIndex lexical,
        ISnapshotSource graph,
        QueryEngineOptions options,
        RelationVocabulary vocabulary,
        VectorChannel? vectors = null,
        IHopPlanner? planner = null,
        Func<IReadOnlyList<Candidate>, QueryRequest, CancellationToken, Task<IReadOnlyList<RankedPassage>>>? passages = null,
        ChainSearch? chains = null)
    {
        _planner = planner;
        _chains = chains;
        _passages = passages;
        _graph = graph;
        _options = options;
        _vocabulary = vocabulary;
        _lexical = new LexicalChannel(lexical, options.LexicalCandidates);
        _pageRank = new GraphChannel(options.Restart, options.SynonymWeight);
        _vectors = vectors;
        _dense = vectors is null ? null : new DenseChannel(vectors, options.LexicalCandidates);
    }

    public async Task<RetrievalOutcome> RetrieveAsync(
        QueryRequest request, AnalyzedQuery analyzed, List<StageTiming> timings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        // The question's vector serves round 1 and, moved toward each later round's evidence, the rounds after it, so it
        // is embedded once, from the start: the model runs beside linking and round 1's other channels.
        var questionVector = _vectors is not null && request.Mode is QueryMode.Hybrid or QueryMode.Vector
            ? Task.Run(() => _vectors.EmbedAsync(request.Question, cancellationToken), cancellationToken)
            : null;
        GraphView? graph = null;
        IReadOnlyList<LinkedEntity> links = [];
        if (request.Mode is QueryMode.Graph or QueryMode.Hybrid)
        {
            using (QueryEngine.Activity.StartActivity("link"))
            {
                var snapshot = await _graph.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
                graph = new GraphView(snapshot, Security.Visibilities.For(snapshot, request.Scope));
                links = EntityLinker.Link(request.Question, graph);
            }

            Lap(timings, "link", clock);
        }

        var fusion = new Fusion(_options);
        var hops = new List<HopTrace>();
        var rounds = request.Mode == QueryMode.Hybrid ? Math.Max(1, request.MaxHops) : 1;
        var bridges = new List<EntityNode>();
        var used = new HashSet<string>(links.Select(l => l.EntityId), StringComparer.Ordinal);
        var cueLabels = _vocabulary.LabelsFor(analyzed.Terms);
        var roundRankings = new List<List<Candidate>>();
        IReadOnlyDictionary<string, double>? lastRank = null;
        // A planner's sub-question for the round about to run.
        AnalyzedQuery? subQuestion = null;
        // The chunks that mention this round's bridges: the dense channel's feedback.
        IReadOnlyList<StoredChunk> feedback = [];
        IReadOnlyList<ChainCandidate>? chains = null;
        for (var hop = 1; hop <= rounds; hop++)
        {
            var terms = analyzed.Terms.ToList();
            var phrases = analyzed.Phrases.Concat(links.Where(l => l.MatchedText.Contains(' ', StringComparison.Ordinal)).Select(l => l.MatchedText)).ToList();
            if (subQuestion is not null)
            {
                terms.AddRange(subQuestion.Terms.Where(t => !terms.Contains(t, StringComparer.Ordinal)));
                phrases.AddRange(subQuestion.Phrases.Where(p => !phrases.Contains(p, StringComparer.Ordinal)));
            }

            foreach (var bridge in bridges)
            {
                phrases.Add(bridge.Name);
                terms.AddRange(QueryAnalyzer.Analyze(bridge.Name).Terms);
            }

            var seeds = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var link in links)
            {
                seeds[link.EntityId] = seeds.GetValueOrDefault(link.EntityId) + (bridges.Count > 0 ? 0.5 * link.Weight : link.Weight);
            }

            foreach (var bridge in bridges)
            {
                seeds[bridge.Id] = seeds.GetValueOrDefault(bridge.Id) + 2.0;
            }

            var text = bridges.Count == 0 ? request.Question : request.Question + " " + string.Join(' ', bridges.Select(b => b.Name));
            if (subQuestion is not null)
            {
                text += " " + subQuestion.Text;
            }

            var results = new Dictionary<string, ChannelResult>(StringComparer.Ordinal);
            // The dense channel needs nothing from the others, so it runs beside them on the pool and is awaited after
            // them: the question's embedding overlaps BM25 and PageRank. Without a probe (EmbedEveryRound, an index that
            // cannot give its vectors back, a planner's sub-question) it embeds the round's text, as it always did.
            var probe = questionVector is null || subQuestion is not null || (hop > 1 && (_options.EmbedEveryRound || !_vectors!.ReadsStoredVectors))
                ? null
                : new DenseProbe(questionVector, hop == 1 ? [] : feedback, _options.VectorFeedbackWeight);
            var dense = _dense is not null && ChannelsFor(request.Mode, graph).Contains(_dense)
                ? SearchBesideAsync(_dense, new RoundQuery(request, hop, text, terms, phrases, graph, seeds, new Dictionary<string, ChannelResult>()) { Dense = probe }, cancellationToken)
                : null;
            foreach (var channel in ChannelsFor(request.Mode, graph).Where(c => c != _dense || dense is null))
            {
                using var activity = QueryEngine.Activity.StartActivity($"hop{hop}:{channel.Name}");
                var query = new RoundQuery(request, hop, text, terms, phrases, graph, seeds, results);
                results[channel.Name] = await channel.SearchAsync(query, cancellationToken).ConfigureAwait(false);
                activity?.SetTag("graphrag.hits", results[channel.Name].Hits.Count);
                Lap(timings, $"hop{hop}:{(channel.Name == GraphChannelName ? "pagerank" : channel.Name)}", clock);
            }

            if (hop == 1 && graph is not null && _chains is not null)
            {
                // Before round 1 waits for the dense channel (the question's embedding, on the pool): the chain search
                // fills that wait instead of following retrieval.
                using (QueryEngine.Activity.StartActivity("chains"))
                {
                    chains = _chains(graph, links, analyzed, request.Question);
                }

                Lap(timings, "chains", clock);
            }

            if (dense is not null)
            {
                var (result, elapsed) = await dense.ConfigureAwait(false);
                results[VectorChannelName] = result;
                // Its own time (spent beside the other channels), then what the round still waited for it.
                timings.Add(new StageTiming($"hop{hop}:{VectorChannelName}", Math.Round(elapsed.TotalMilliseconds, 3)));
                Lap(timings, $"hop{hop}:{VectorChannelName}-wait", clock);
            }

            if (results.TryGetValue(GraphChannelName, out var pageRank))
            {
                lastRank = pageRank.EntityScores;
            }

            var ranking = fusion.Rank(hop, results);
            roundRankings.Add(ranking);
            var seen = roundRankings.Take(roundRankings.Count - 1).SelectMany(r => r.Take(request.TopK)).Select(c => c.ChunkId).ToHashSet(StringComparer.Ordinal);
            hops.Add(new HopTrace(
                hop,
                string.Join(' ', terms.Concat(phrases.Select(p => $"\"{p}\""))),
                bridges.Select(b => b.Name).ToList(),
                ranking.Where(c => !seen.Contains(c.ChunkId)).Take(request.TopK).Select(c => c.ChunkId).ToList(),
                ranking.Count > 0 ? ranking[0].Score : 0));

            if (hop == rounds || graph is null)
            {
                break;
            }

            // Bridges are named as the caller sees them: their names feed the next round's query text and the trace.
            bridges = SelectBridges(ranking, graph, used, links, cueLabels, lastRank)
                .Select(b => graph.Node(b.Id))
                .OfType<EntityNode>()
                .ToList();
            subQuestion = null;
            if (_planner is not null && _passages is not null)
            {
                using var planning = QueryEngine.Activity.StartActivity($"hop{hop + 1}:plan");
                var (planned, question, step, enough) = await PlanAsync(request, hop + 1, rounds, roundRankings, graph, used, links, bridges, cancellationToken)
                    .ConfigureAwait(false);
                hops[^1] = hops[^1] with { Plan = step };
                Lap(timings, $"hop{hop + 1}:plan", clock);
                if (enough)
                {
                    break;
                }

                bridges = planned;
                subQuestion = question;
            }

            if (bridges.Count == 0 && subQuestion is null)
            {
                break;
            }

            feedback = FeedbackChunks(graph, bridges, request.Scope);
        }

        var final = fusion.Interleave(roundRankings, request.TopK * 4);
        if (graph is not null)
        {
            foreach (var candidate in final.Take(Math.Max(request.TopK * 2, 10)))
            {
                foreach (var entity in graph.EntitiesIn(candidate.ChunkId))
                {
                    if (used.Contains(entity.Id))
                    {
                        candidate.Entities.Add(graph.NameOf(entity.Id)!);
                    }
                }
            }
        }

        used.ExceptWith(links.Select(l => l.EntityId));
        return new RetrievalOutcome(final, links, hops, graph, used) { Chains = chains };
    }

    /// <summary>
    /// Asks the planner what the next round should search for, from the best passages so far. Its entity names become
    /// bridges only when they name an entity the caller's graph shows (and not one already searched from); they come
    /// first, and the graph's own bridges fill the remaining places.
    /// </summary>
    private async Task<(List<EntityNode> Bridges, AnalyzedQuery? SubQuestion, PlannerStep Step, bool Enough)> PlanAsync(
        QueryRequest request,
        int nextHop,
        int rounds,
        List<List<Candidate>> roundRankings,
        GraphView graph,
        HashSet<string> used,
        IReadOnlyList<LinkedEntity> links,
        List<EntityNode> ruleBridges,
        CancellationToken cancellationToken)
    {
        var best = roundRankings.SelectMany(r => r.Take(request.TopK)).DistinctBy(c => c.ChunkId).Take(request.TopK).ToList();
        var evidence = await _passages!(best, request, cancellationToken).ConfigureAwait(false);
        var known = links.Select(l => l.Name)
            .Concat(used.Select(graph.NameOf).OfType<string>())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var plan = await _planner!.PlanAsync(
            new HopPlanRequest(request.Question, nextHop, rounds, evidence, known, [.. ruleBridges.Select(b => b.Name)]) { Masking = request.Masking },
            cancellationToken).ConfigureAwait(false);

        var accepted = new List<EntityNode>();
        var rejected = new List<string>();
        var ruleIds = ruleBridges.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var name in plan.Entities.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var key = EntityKey.Normalize(name);
            var match = key.Length == 0
                ? null
                : graph.LookupKey(key)
                    .Where(m => m.Entity.Type is not (EntityTypes.Date or EntityTypes.Quantity))
                    .OrderByDescending(m => m.Chunks)
                    .ThenBy(m => m.Entity.Id, StringComparer.Ordinal)
                    .Select(m => graph.Node(m.Entity.Id))
                    .FirstOrDefault(n => n is not null);
            // Bridges the graph chose this round are in `used` already; the planner may still confirm them.
            if (match is null || (used.Contains(match.Id) && !ruleIds.Contains(match.Id)) || accepted.Any(a => a.Id == match.Id)
                || links.Any(l => l.EntityId == match.Id))
            {
                rejected.Add(name);
                continue;
            }

            accepted.Add(match);
        }

        accepted = [.. accepted.Take(_options.BridgeEntities)];
        foreach (var entity in accepted)
        {
            used.Add(entity.Id);
        }

        var bridges = accepted.Concat(ruleBridges.Where(b => accepted.All(a => a.Id != b.Id))).Take(_options.BridgeEntities).ToList();
        var subQuestion = string.IsNullOrWhiteSpace(plan.SubQuestion) ? null : QueryAnalyzer.Analyze(plan.SubQuestion.Trim());
        var step = new PlannerStep(subQuestion?.Text, plan.Entities, [.. accepted.Select(a => a.Name)], rejected, plan.Usage) { Note = plan.Note };
        return (bridges, subQuestion, step, plan.Enough && accepted.Count == 0 && subQuestion is null);
    }

    /// <summary>True when the channels <paramref name="mode"/> asks are configured (the vector mode needs embeddings).</summary>
    public bool Supports(QueryMode mode) => mode != QueryMode.Vector || _dense is not null;

    /// <summary>The channels a mode asks, in the order they run (PageRank seeds from the round's lexical hits).</summary>
    private IEnumerable<IRetrievalChannel> ChannelsFor(QueryMode mode, GraphView? graph)
    {
        if (_dense is not null && mode is QueryMode.Hybrid or QueryMode.Vector)
        {
            yield return _dense;
        }

        if (mode is QueryMode.Bm25 or QueryMode.Hybrid)
        {
            yield return _lexical;
        }

        if (graph is not null)
        {
            yield return _pageRank;
        }
    }

    /// <summary>
    /// Entities in this round's best chunks that the question did not name: the "step one" answers the next round
    /// searches from. An entity scores for the chunks it appears in, for being specific, for PageRank reaching it,
    /// and most for a relation to a question entity — above all one whose label the question asks along ("author"
    /// → written_by). Dates and quantities end a chain rather than continue it, so they are not bridges.
    /// </summary>
    private List<EntityNode> SelectBridges(
        List<Candidate> ranking,
        GraphView graph,
        HashSet<string> used,
        IReadOnlyList<LinkedEntity> links,
        HashSet<string> cueLabels,
        IReadOnlyDictionary<string, double>? rank)
    {
        var related = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var link in links.Take(4))
        {
            foreach (var neighbour in graph.Neighbours(link.EntityId, limit: 200))
            {
                var bonus = neighbour.Label == RelationLabels.CoOccurs ? 1.0 : cueLabels.Contains(neighbour.Label) ? 4.0 : 2.0;
                related[neighbour.Entity.Id] = Math.Max(related.GetValueOrDefault(neighbour.Entity.Id), bonus);
            }
        }

        var maxRank = rank is { Count: > 0 } ? rank.Values.Max() : 0;
        var scores = new Dictionary<string, (EntityNode Entity, double Score)>(StringComparer.Ordinal);
        var totalChunks = Math.Max(1, graph.VisibleChunkCount);
        foreach (var candidate in ranking.Take(3))
        {
            foreach (var entity in graph.EntitiesIn(candidate.ChunkId))
            {
                if (used.Contains(entity.Id) || entity.Type is EntityTypes.Date or EntityTypes.Quantity)
                {
                    continue;
                }

                var specificity = Math.Log(1 + (totalChunks / (double)Math.Max(1, graph.ChunkFrequency(entity.Id))));
                var reached = maxRank > 0 && rank!.TryGetValue(entity.Id, out var r) ? r / maxRank : 0;
                var score = candidate.Score * specificity * (1 + related.GetValueOrDefault(entity.Id) + reached);
                scores[entity.Id] = (entity, scores.GetValueOrDefault(entity.Id).Score + score);
            }
        }

        var chosen = scores.Values.OrderByDescending(p => p.Score).ThenBy(p => p.Entity.Id, StringComparer.Ordinal)
            .Take(_options.BridgeEntities).Select(p => p.Entity).ToList();
        foreach (var entity in chosen)
        {
            used.Add(entity.Id);
        }

        return chosen;
    }

    /// <summary>
    /// The chunks whose stored vectors move a round's dense query toward its bridges: for each bridge, the visible chunks
    /// that mention it most. They stand for what the bridge's name adds to the round's text, without a model call. Of
    /// the choices measured (see <see cref="QueryEngineOptions.EmbedEveryRound"/>), the chunks among the round's best
    /// that name a bridge, or the round's best chunks alone, lost recall@5 on musique-100 (0.77-0.78, 0.76).
    /// </summary>
    private List<StoredChunk> FeedbackChunks(GraphView graph, List<EntityNode> bridges, AccessScope? scope)
    {
        if (_vectors is null || _options.EmbedEveryRound)
        {
            return [];
        }

        return bridges
            .SelectMany(b => graph.ChunksOf(b.Id)
                .OrderByDescending(c => c.Mentions)
                .ThenBy(c => c.ChunkId, StringComparer.Ordinal)
                .Take(_options.VectorFeedbackChunks))
            // The view shows only what the scope reads; checked again here, as every channel checks its own hits.
            .Where(c => scope is null || scope.CanRead(c.DocumentId))
            .Select(c => new StoredChunk(c.ChunkId, c.DocumentId))
            .DistinctBy(c => c.ChunkId)
            .ToList();
    }

    private static Task<(ChannelResult Result, TimeSpan Elapsed)> SearchBesideAsync(IRetrievalChannel channel, RoundQuery query, CancellationToken cancellationToken) =>
        Task.Run(
            async () =>
            {
                using var activity = QueryEngine.Activity.StartActivity($"hop{query.Hop}:{channel.Name}");
                var clock = Stopwatch.StartNew();
                var result = await channel.SearchAsync(query, cancellationToken).ConfigureAwait(false);
                activity?.SetTag("graphrag.hits", result.Hits.Count);
                return (result, clock.Elapsed);
            },
            cancellationToken);

    private static void Lap(List<StageTiming> timings, string stage, Stopwatch clock)
    {
        timings.Add(new StageTiming(stage, Math.Round(clock.Elapsed.TotalMilliseconds, 3)));
        clock.Restart();
    }
}
