using System.Diagnostics;
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
    IReadOnlySet<string> Bridges);

/// <summary>A chunk under consideration, with each channel's best normalised score and the round that found it.</summary>
internal sealed class Candidate(string chunkId, string documentId, int hop)
{
    /// <summary>A copy with a round's own score, sharing the evidence of the original.</summary>
    public Candidate(Candidate original, double score)
        : this(original.ChunkId, original.DocumentId, original.Hop)
    {
        Channels = original.Channels;
        Entities = original.Entities;
        Score = score;
    }

    public string ChunkId { get; } = chunkId;

    public string DocumentId { get; } = documentId;

    public int Hop { get; } = hop;

    public Dictionary<string, double> Channels { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Entities { get; } = new(StringComparer.Ordinal);


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

    public HybridRetriever(ILexicalIndex lexical, ISnapshotSource graph, QueryEngineOptions options, RelationVocabulary vocabulary, VectorChannel? vectors = null)
    {
        _graph = graph;
        _options = options;
        _vocabulary = vocabulary;
        _lexical = new LexicalChannel(lexical, options.LexicalCandidates);
        _pageRank = new GraphChannel(options.Restart, options.SynonymWeight);
        _dense = vectors is null ? null : new DenseChannel(vectors, options.LexicalCandidates);
    }

    public async Task<RetrievalOutcome> RetrieveAsync(
        QueryRequest request, AnalyzedQuery analyzed, List<StageTiming> timings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
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
        for (var hop = 1; hop <= rounds; hop++)
        {
            var terms = analyzed.Terms.ToList();
            var phrases = analyzed.Phrases.Concat(links.Where(l => l.MatchedText.Contains(' ', StringComparison.Ordinal)).Select(l => l.MatchedText)).ToList();
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
            var results = new Dictionary<string, ChannelResult>(StringComparer.Ordinal);
            // The dense channel (embedding the round's text, then searching) needs nothing from the others, so it runs
            // beside them on the pool and is awaited after them: its model time overlaps BM25 and PageRank.
            var dense = _dense is not null && ChannelsFor(request.Mode, graph).Contains(_dense)
                ? SearchBesideAsync(_dense, new RoundQuery(request, hop, text, terms, phrases, graph, seeds, new Dictionary<string, ChannelResult>()), cancellationToken)
                : null;
            foreach (var channel in ChannelsFor(request.Mode, graph).Where(c => c != _dense || dense is null))
            {
                using var activity = QueryEngine.Activity.StartActivity($"hop{hop}:{channel.Name}");
                var query = new RoundQuery(request, hop, text, terms, phrases, graph, seeds, results);
                results[channel.Name] = await channel.SearchAsync(query, cancellationToken).ConfigureAwait(false);
                activity?.SetTag("graphrag.hits", results[channel.Name].Hits.Count);
                Lap(timings, $"hop{hop}:{(channel.Name == GraphChannelName ? "pagerank" : channel.Name)}", clock);
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
            if (bridges.Count == 0)
            {
                break;
            }
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
        return new RetrievalOutcome(final, links, hops, graph, used);
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
