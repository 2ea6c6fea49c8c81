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
    Visibility? Visibility,
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
    ILexicalIndex lexical, ISnapshotSource graph, QueryEngineOptions options, RelationVocabulary vocabulary, VectorChannel? vectors = null)
{
    public const string LexicalChannelName = "bm25";
    public const string GraphChannelName = "graph";
    public const string VectorChannelName = "vector";


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
            visibility = Security.Visibilities.For(snapshot, request.Scope);
            links = EntityLinker.Link(request.Question, snapshot, visibility);
            Lap(timings, "link", clock);
        }

        var candidates = new Dictionary<string, Candidate>(StringComparer.Ordinal);
        var hops = new List<HopTrace>();
        var rounds = request.Mode == QueryMode.Hybrid ? Math.Max(1, request.MaxHops) : 1;
        var bridges = new List<EntityNode>();
        var used = new HashSet<string>(links.Select(l => l.EntityId), StringComparer.Ordinal);
        var cueLabels = vocabulary.LabelsFor(analyzed.Terms);
        var roundRankings = new List<List<Candidate>>();
        PageRankScores? lastRank = null;
        for (var hop = 1; hop <= rounds; hop++)
        {
            var terms = analyzed.Terms.ToList();
            var phrases = analyzed.Phrases.Concat(links.Where(l => l.MatchedText.Contains(' ', StringComparison.Ordinal)).Select(l => l.MatchedText)).ToList();
            foreach (var bridge in bridges)
            {
                phrases.Add(bridge.Name);
                terms.AddRange(QueryAnalyzer.Analyze(bridge.Name).Terms);
            }

            // This round's own scores; candidates also keep each channel's best score over all rounds for explanations.
            var round = new Dictionary<string, (string DocumentId, double Lexical, double Graph)>(StringComparer.Ordinal);
            var dense = new Dictionary<string, double>(StringComparer.Ordinal);
            if (vectors is not null && request.Mode == QueryMode.Hybrid)
            {
                var text = bridges.Count == 0 ? request.Question : request.Question + " " + string.Join(' ', bridges.Select(b => b.Name));
                foreach (var hit in await vectors.SearchAsync(text, options.LexicalCandidates, request.Scope?.ReadableDocuments, cancellationToken).ConfigureAwait(false))
                {
                    if (request.Scope is not null && !request.Scope.CanRead(hit.DocumentId))
                    {
                        continue;
                    }

                    // Cosine similarity below zero is no evidence at all.
                    var similarity = Math.Max(0, hit.Similarity);
                    dense[hit.ChunkId] = similarity;
                    round.TryAdd(hit.ChunkId, (hit.DocumentId, 0, 0));
                    Get(candidates, hit.ChunkId, hit.DocumentId, hop).Offer(VectorChannelName, similarity);
                }

                Lap(timings, $"hop{hop}:vector", clock);
            }

            if (request.Mode != QueryMode.Graph)
            {
                var hits = await lexical.SearchAsync(
                    new LexicalQuery(terms.Distinct(StringComparer.Ordinal).ToList(), phrases.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), options.LexicalCandidates)
                    {
                        CanReadAcl = request.Scope?.CanReadAcl,
                        DocumentIds = request.Scope?.CanReadAcl is null ? request.Scope?.ReadableDocuments : null,
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
                    round[hit.ChunkId] = (hit.DocumentId, normalised, 0);
                    Get(candidates, hit.ChunkId, hit.DocumentId, hop).Offer(LexicalChannelName, normalised);
                }

                Lap(timings, $"hop{hop}:bm25", clock);
            }

            if (snapshot is not null)
            {
                // PageRank from the linked entities, this round's bridges and (in hybrid) the best lexical chunks.
                var seeds = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var link in links)
                {
                    seeds[link.EntityId] = seeds.GetValueOrDefault(link.EntityId) + (bridges.Count > 0 ? 0.5 * link.Weight : link.Weight);
                }

                foreach (var bridge in bridges)
                {
                    seeds[bridge.Id] = seeds.GetValueOrDefault(bridge.Id) + 2.0;
                }

                var chunkSeeds = request.Mode == QueryMode.Hybrid
                    ? round.OrderByDescending(p => p.Value.Lexical).Take(5).ToDictionary(p => p.Key, p => p.Value.Lexical * 0.5, StringComparer.Ordinal)
                    : null;
                var rank = snapshot.PersonalizedPageRank(seeds, chunkSeeds, visibility, options.Restart);
                lastRank = rank;
                var max = rank.Chunks.Count > 0 ? rank.Chunks.Values.Max() : 0;
                foreach (var (chunkId, score) in rank.Chunks)
                {
                    var documentId = snapshot.DocumentOf(chunkId);
                    if (documentId is null || (request.Scope is not null && !request.Scope.CanRead(documentId)))
                    {
                        continue;
                    }

                    var normalised = max > 0 ? score / max : 0;
                    var existing = round.GetValueOrDefault(chunkId, (documentId, 0, 0));
                    round[chunkId] = (documentId, existing.Item2, normalised);
                    Get(candidates, chunkId, documentId, hop).Offer(GraphChannelName, normalised);
                }

                Lap(timings, $"hop{hop}:pagerank", clock);
            }

            var ranking = round
                .Select(p =>
                {
                    var candidate = candidates[p.Key];
                    candidate.Score = (options.LexicalWeight * p.Value.Lexical) + (options.GraphWeight * p.Value.Graph)
                        + (options.VectorWeight * dense.GetValueOrDefault(p.Key));
                    return (Candidate: candidate, candidate.Score);
                })
                .OrderByDescending(p => p.Score)
                .ThenBy(p => p.Candidate.ChunkId, StringComparer.Ordinal)
                .Select(p => new Candidate(p.Candidate, p.Score))
                .ToList();
            roundRankings.Add(ranking);
            var seen = roundRankings.Take(roundRankings.Count - 1).SelectMany(r => r.Take(request.TopK)).Select(c => c.ChunkId).ToHashSet(StringComparer.Ordinal);
            hops.Add(new HopTrace(
                hop,
                string.Join(' ', terms.Concat(phrases.Select(p => $"\"{p}\""))),
                bridges.Select(b => b.Name).ToList(),
                ranking.Where(c => !seen.Contains(c.ChunkId)).Take(request.TopK).Select(c => c.ChunkId).ToList(),
                ranking.Count > 0 ? ranking[0].Score : 0));

            if (hop == rounds || snapshot is null)
            {
                break;
            }

            // Bridges are named as the caller sees them: their names feed the next round's query text and the trace.
            bridges = SelectBridges(ranking, snapshot, visibility, used, links, cueLabels, lastRank)
                .Select(b => snapshot.VisibleNode(b.Id, visibility))
                .OfType<EntityNode>()
                .ToList();
            if (bridges.Count == 0)
            {
                break;
            }
        }

        var final = Interleave(roundRankings, request.TopK * 4);
        if (snapshot is not null)
        {
            foreach (var candidate in final.Take(Math.Max(request.TopK * 2, 10)))
            {
                foreach (var entity in snapshot.EntitiesIn(candidate.ChunkId, visibility))
                {
                    if (used.Contains(entity.Id))
                    {
                        candidate.Entities.Add(snapshot.NameOf(entity.Id, visibility)!);
                    }
                }
            }
        }

        used.ExceptWith(links.Select(l => l.EntityId));
        return new RetrievalOutcome(final, links, hops, snapshot, visibility, used);
    }

    /// <summary>
    /// Merges the rounds' rankings so that each round contributes its best new evidence early: the first of round 1,
    /// the first new one of round 2, …, then the second of each round. A multi-hop answer needs one passage per hop,
    /// and a later hop's passage rarely outscores the first hop's runners-up on the original question's words.
    /// Scores are rescaled so that the merged list is strictly decreasing.
    /// </summary>
    private static List<Candidate> Interleave(List<List<Candidate>> rounds, int limit)
    {
        var merged = new List<Candidate>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var documents = new HashSet<string>(StringComparer.Ordinal);
        var positions = new int[rounds.Count];
        while (merged.Count < limit)
        {
            var progressed = false;
            for (var r = 0; r < rounds.Count && merged.Count < limit; r++)
            {
                var ranking = rounds[r];
                // Each round's next candidate from a document not already represented.
                while (positions[r] < ranking.Count
                       && (taken.Contains(ranking[positions[r]].ChunkId) || documents.Contains(ranking[positions[r]].DocumentId)))
                {
                    positions[r]++;
                }

                if (positions[r] < ranking.Count)
                {
                    var next = ranking[positions[r]++];
                    taken.Add(next.ChunkId);
                    documents.Add(next.DocumentId);
                    merged.Add(next);
                    progressed = true;
                }
            }

            if (!progressed)
            {
                break;
            }
        }

        for (var i = 0; i < merged.Count; i++)
        {
            // Keep the channel evidence, but make the order explicit in the score.
            merged[i].Score = Math.Round(merged[i].Score / (1 + (0.01 * i)), 6);
        }

        return merged;
    }

    /// <summary>
    /// Entities in this round's best chunks that the question did not name: the "step one" answers the next round
    /// searches from. An entity scores for the chunks it appears in, for being specific, for PageRank reaching it,
    /// and most for a relation to a question entity — above all one whose label the question asks along ("author"
    /// → written_by). Dates and quantities end a chain rather than continue it, so they are not bridges.
    /// </summary>
    private List<EntityNode> SelectBridges(
        List<Candidate> ranking,
        GraphSnapshot snapshot,
        Visibility? visibility,
        HashSet<string> used,
        IReadOnlyList<LinkedEntity> links,
        HashSet<string> cueLabels,
        PageRankScores? rank)
    {
        var related = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var link in links.Take(4))
        {
            foreach (var neighbour in snapshot.Neighbours(link.EntityId, visibility, limit: 200))
            {
                var bonus = neighbour.Label == RelationLabels.CoOccurs ? 1.0 : cueLabels.Contains(neighbour.Label) ? 4.0 : 2.0;
                related[neighbour.Entity.Id] = Math.Max(related.GetValueOrDefault(neighbour.Entity.Id), bonus);
            }
        }

        var maxRank = rank is { Entities.Count: > 0 } ? rank.Entities.Values.Max() : 0;
        var scores = new Dictionary<string, (EntityNode Entity, double Score)>(StringComparer.Ordinal);
        var totalChunks = Math.Max(1, snapshot.VisibleChunkCount(visibility));
        foreach (var candidate in ranking.Take(3))
        {
            foreach (var entity in snapshot.EntitiesIn(candidate.ChunkId, visibility))
            {
                if (used.Contains(entity.Id) || entity.Type is EntityTypes.Date or EntityTypes.Quantity)
                {
                    continue;
                }

                var specificity = Math.Log(1 + (totalChunks / (double)Math.Max(1, snapshot.ChunkFrequency(entity.Id, visibility))));
                var reached = maxRank > 0 && rank!.Entities.TryGetValue(entity.Id, out var r) ? r / maxRank : 0;
                var score = candidate.Score * specificity * (1 + related.GetValueOrDefault(entity.Id) + reached);
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
}
