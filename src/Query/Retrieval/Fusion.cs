namespace GraphRag.Query.Retrieval;

/// <summary>
/// The fusion stage: one round's channel results become one ranking (a weighted sum of each channel's normalised
/// score, ties by chunk id), and the rounds' rankings become the final list by interleaving. Every candidate keeps the
/// best score each channel ever gave it, which is what a passage's explanation shows.
/// </summary>
internal sealed class Fusion(QueryEngineOptions options)
{
    private readonly Dictionary<string, Candidate> _candidates = new(StringComparer.Ordinal);

    /// <summary>A channel's fusion weight: what one unit of its normalised score adds to a passage's fused score.</summary>
    public static double WeightOf(QueryEngineOptions options, string channel) => channel switch
    {
        HybridRetriever.LexicalChannelName => options.LexicalWeight,
        HybridRetriever.GraphChannelName => options.GraphWeight,
        HybridRetriever.VectorChannelName => options.VectorWeight,
        _ => 0,
    };

    /// <summary>Fuses one round. Channels absent from the round count zero.</summary>
    public List<Candidate> Rank(int hop, IReadOnlyDictionary<string, ChannelResult> results)
    {
        var round = new Dictionary<string, (string DocumentId, Dictionary<string, double> Scores)>(StringComparer.Ordinal);
        // Dense first, then lexical, then graph: the order a chunk first entered a round has always been this.
        foreach (var channel in new[] { HybridRetriever.VectorChannelName, HybridRetriever.LexicalChannelName, HybridRetriever.GraphChannelName })
        {
            if (!results.TryGetValue(channel, out var result))
            {
                continue;
            }

            foreach (var hit in result.Hits)
            {
                if (!round.TryGetValue(hit.ChunkId, out var entry))
                {
                    round[hit.ChunkId] = entry = (hit.DocumentId, new Dictionary<string, double>(StringComparer.Ordinal));
                }

                entry.Scores[channel] = hit.Score;
                Candidate(hit.ChunkId, hit.DocumentId, hop).Offer(channel, hit.Score);
            }
        }

        return round
            .Select(p =>
            {
                var candidate = _candidates[p.Key];
                var lexical = p.Value.Scores.GetValueOrDefault(HybridRetriever.LexicalChannelName);
                var graph = p.Value.Scores.GetValueOrDefault(HybridRetriever.GraphChannelName);
                var vector = p.Value.Scores.GetValueOrDefault(HybridRetriever.VectorChannelName);
                candidate.Score = (WeightOf(options, HybridRetriever.LexicalChannelName) * lexical)
                    + (WeightOf(options, HybridRetriever.GraphChannelName) * graph)
                    + (WeightOf(options, HybridRetriever.VectorChannelName) * vector);
                if (vector > 0 && lexical <= 0 && graph <= 0)
                {
                    candidate.Score *= options.VectorOnlyFactor;
                }

                return (Candidate: candidate, candidate.Score);
            })
            .OrderByDescending(p => p.Score)
            .ThenBy(p => p.Candidate.ChunkId, StringComparer.Ordinal)
            .Select(p => new Candidate(p.Candidate, p.Score))
            .ToList();
    }

    /// <summary>
    /// Merges the rounds' rankings so that each round contributes its best new evidence early: the first of round 1,
    /// the first new one of round 2, …, then the second of each round. A multi-hop answer needs one passage per hop,
    /// and a later hop's passage rarely outscores the first hop's runners-up on the original question's words.
    /// Scores are rescaled so that the merged list is strictly decreasing, and a later round's passage carries
    /// <see cref="QueryEngineOptions.HopDecay"/> per round behind the first, so a score says how direct the evidence is.
    /// </summary>
    public List<Candidate> Interleave(List<List<Candidate>> rounds, int limit)
    {
        var merged = new List<Candidate>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var documents = new HashSet<string>(StringComparer.Ordinal);
        var positions = new int[rounds.Count];
        var from = new List<int>();
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
                    from.Add(r);
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
            merged[i].Score = Math.Round(merged[i].Score * Math.Pow(options.HopDecay, from[i]) / (1 + (0.01 * i)), 6);
        }

        return merged;
    }

    private Candidate Candidate(string chunkId, string documentId, int hop)
    {
        if (!_candidates.TryGetValue(chunkId, out var candidate))
        {
            _candidates[chunkId] = candidate = new Candidate(chunkId, documentId, hop);
        }

        return candidate;
    }
}
