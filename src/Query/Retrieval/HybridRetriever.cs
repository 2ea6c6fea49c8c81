using System.Diagnostics;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Traversal;
using GraphRag.Query.Analysis;
using GraphRag.Query.Linking;

namespace GraphRag.Query.Retrieval;

/// <summary>The ranked candidates of one query, with what each round did.</summary>
internal sealed record RetrievalOutcome(
    IReadOnlyList<Candidate> Ranked,
    IReadOnlyList<LinkedEntity> Links,
    IReadOnlyList<HopTrace> Hops,
    GraphSnapshot? Snapshot,
    Visibility? Visibility);

/// <summary>A chunk under consideration, with each channel's best normalised score and the round that found it.</summary>
internal sealed class Candidate(string chunkId, string documentId, int hop)
{
    public string ChunkId { get; } = chunkId;

    public string DocumentId { get; } = documentId;

    public int Hop { get; } = hop;

    public Dictionary<string, double> Channels { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Entities { get; } = new(StringComparer.Ordinal);

    public double Score { get; set; }

    public void Offer(string channel, double score)
    {
        if (score > Channels.GetValueOrDefault(channel))
        {
            Channels[channel] = score;
        }
    }
}

/// <summary>
/// Iterative hybrid retrieval. Round 1 fuses BM25 (question terms and the names it links) with personalised
/// PageRank seeded from the linked entities and the best lexical chunks. Each further round takes bridge entities
/// from the best chunks so far — entities the question does not name but the evidence points to — and searches
/// again with them, until no new bridge appears or the hop budget is spent.
/// </summary>
internal sealed class HybridRetriever(
    ILexicalIndex lexical, IDocumentReader documents, IGraphReader graph, QueryEngineOptions options)
{
    public const string LexicalChannelName = "bm25";
    public const string GraphChannelName = "graph";

    public async Task<RetrievalOutcome> RetrieveAsync(QueryRequest request, List<StageTiming> timings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var analyzed = QueryAnalyzer.Analyze(request.Question);
        GraphSnapshot? snapshot = null;
        Visibility? visibility = null;
        IReadOnlyList<LinkedEntity> links = [];
        if (request.Mode != QueryMode.Bm25)
        {
            snapshot = await graph.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
            visibility = request.Scope is null ? null : snapshot.CreateVisibility(request.Scope.CanRead);
            links = EntityLinker.Link(request.Question, snapshot, visibility);
            Lap(timings, "link", clock);
        }

        var candidates = new Dictionary<string, Candidate>(StringComparer.Ordinal);
        var hops = new List<HopTrace>();
        var rounds = request.Mode == QueryMode.Hybrid ? Math.Max(1, request.MaxHops) : 1;
        var bridges = new List<EntityNode>();
        var usedBridges = new HashSet<string>(links.Select(l => l.EntityId), StringComparer.Ordinal);
        for (var hop = 1; hop <= rounds; hop++)
        {
            var decay = Math.Pow(options.HopDecay, hop - 1);
            var before = candidates.Keys.ToHashSet(StringComparer.Ordinal);
            var terms = analyzed.Terms.ToList();
            var phrases = analyzed.Phrases.Concat(links.Where(l => l.MatchedText.Contains(' ', StringComparison.Ordinal)).Select(l => l.MatchedText)).ToList();
            foreach (var bridge in bridges)
            {
                phrases.Add(bridge.Name);
                terms.AddRange(QueryAnalyzer.Analyze(bridge.Name).Terms);
            }

            // Lexical channel.
            Dictionary<string, double> lexicalScores = [];
            if (request.Mode != QueryMode.Graph)
            {
                var hits = await lexical.SearchAsync(
                    new LexicalQuery(terms.Distinct(StringComparer.Ordinal).ToList(), phrases.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), options.LexicalCandidates)
                    {
                        DocumentIds = request.Scope?.ReadableDocuments,
                    },
                    cancellationToken).ConfigureAwait(false);
                var max = hits.Count > 0 ? hits.Max(h => h.Score) : 0;
                foreach (var hit in hits)
                {
                    if (request.Scope is not null && !request.Scope.CanRead(hit.DocumentId))
                    {
                        continue;
                    }

                    var normalised = max > 0 ? hit.Score / max : 0;
                    lexicalScores[hit.ChunkId] = normalised;
                    Get(candidates, hit.ChunkId, hit.DocumentId, hop).Offer(LexicalChannelName, normalised * decay);
                }

                Lap(timings, $"hop{hop}:bm25", clock);
            }

            // Graph channel: PageRank from the linked entities, the bridges, and (in hybrid) the best lexical chunks.
            if (snapshot is not null)
            {
                var seeds = links.ToDictionary(l => l.EntityId, l => l.Weight, StringComparer.Ordinal);
                foreach (var bridge in bridges)
                {
                    seeds[bridge.Id] = seeds.GetValueOrDefault(bridge.Id) + 1.0;
                }

                var chunkSeeds = request.Mode == QueryMode.Hybrid
                    ? lexicalScores.OrderByDescending(p => p.Value).Take(5).ToDictionary(p => p.Key, p => p.Value * 0.5, StringComparer.Ordinal)
                    : null;
                var rank = snapshot.PersonalizedPageRank(seeds, chunkSeeds, visibility, options.Restart);
                var max = rank.Chunks.Count > 0 ? rank.Chunks.Values.Max() : 0;
                foreach (var (chunkId, score) in rank.Chunks)
                {
                    var documentId = snapshot.DocumentOf(chunkId);
                    if (documentId is null || (request.Scope is not null && !request.Scope.CanRead(documentId)))
                    {
                        continue;
                    }

                    Get(candidates, chunkId, documentId, hop).Offer(GraphChannelName, max > 0 ? score / max * decay : 0);
                }

                Lap(timings, $"hop{hop}:pagerank", clock);
            }

            var ranked = Fuse(candidates.Values);
            var fresh = ranked.Where(c => !before.Contains(c.ChunkId)).Take(request.TopK).Select(c => c.ChunkId).ToList();
            hops.Add(new HopTrace(
                hop,
                string.Join(' ', terms.Concat(phrases.Select(p => $"\"{p}\""))),
                bridges.Select(b => b.Name).ToList(),
                fresh,
                ranked.Count > 0 ? ranked[0].Score : 0));

            if (hop == rounds || snapshot is null)
            {
                break;
            }

            bridges = SelectBridges(ranked, snapshot, visibility, usedBridges);
            if (bridges.Count == 0)
            {
                break;
            }
        }

        var final = Fuse(candidates.Values);
        if (snapshot is not null)
        {
            var named = links.Select(l => l.EntityId).ToHashSet(StringComparer.Ordinal);
            foreach (var candidate in final.Take(Math.Max(request.TopK * 2, 10)))
            {
                foreach (var entity in snapshot.EntitiesIn(candidate.ChunkId, visibility))
                {
                    if (named.Contains(entity.Id) || usedBridges.Contains(entity.Id))
                    {
                        candidate.Entities.Add(entity.Name);
                    }
                }
            }
        }

        return new RetrievalOutcome(final, links, hops, snapshot, visibility);
    }

    private List<Candidate> Fuse(IEnumerable<Candidate> candidates)
    {
        var list = candidates.ToList();
        foreach (var candidate in list)
        {
            candidate.Score = (options.LexicalWeight * candidate.Channels.GetValueOrDefault(LexicalChannelName))
                + (options.GraphWeight * candidate.Channels.GetValueOrDefault(GraphChannelName));
        }

        return list.OrderByDescending(c => c.Score).ThenBy(c => c.ChunkId, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Entities in the best chunks that the question did not name: the "step one" answers that the next round must
    /// search from. Dates and quantities end a chain rather than continue it, so they are not bridges.
    /// </summary>
    private List<EntityNode> SelectBridges(List<Candidate> ranked, GraphSnapshot snapshot, Visibility? visibility, HashSet<string> used)
    {
        var scores = new Dictionary<string, (EntityNode Entity, double Score)>(StringComparer.Ordinal);
        var totalChunks = Math.Max(1, snapshot.ChunkCount);
        foreach (var candidate in ranked.Take(3))
        {
            foreach (var entity in snapshot.EntitiesIn(candidate.ChunkId, visibility))
            {
                if (used.Contains(entity.Id) || entity.Type is EntityTypes.Date or EntityTypes.Quantity)
                {
                    continue;
                }

                var specificity = Math.Log(1 + (totalChunks / (double)Math.Max(1, snapshot.ChunkFrequency(entity.Id))));
                var score = candidate.Score * specificity;
                scores[entity.Id] = (entity, scores.GetValueOrDefault(entity.Id).Score + score);
            }
        }

        var chosen = scores.Values.OrderByDescending(p => p.Score).ThenBy(p => p.Entity.Id, StringComparer.Ordinal)
            .Take(options.BridgeEntities).Select(p => p.Entity).ToList();
        foreach (var entity in chosen)
        {
            used.Add(entity.Id);
        }

        return chosen;
    }

    private static Candidate Get(Dictionary<string, Candidate> candidates, string chunkId, string documentId, int hop)
    {
        if (!candidates.TryGetValue(chunkId, out var candidate))
        {
            candidates[chunkId] = candidate = new Candidate(chunkId, documentId, hop);
        }

        return candidate;
    }

    private static void Lap(List<StageTiming> timings, string stage, Stopwatch clock)
    {
        timings.Add(new StageTiming(stage, Math.Round(clock.Elapsed.TotalMilliseconds, 3)));
        clock.Restart();
    }

    internal IDocumentReader Documents => documents;
}
