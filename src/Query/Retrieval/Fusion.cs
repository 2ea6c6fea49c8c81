using System.Runtime.InteropServices;

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
        var round = new Dictionary<string, RoundScores>(StringComparer.Ordinal);
        // Dense first, then lexical, then graph: the order a chunk first entered a round has always been this.
        foreach (var channel in new[] { HybridRetriever.VectorChannelName, HybridRetriever.LexicalChannelName, HybridRetriever.GraphChannelName })
        {
            if (!results.TryGetValue(channel, out var result))
            {
                continue;
            }

            foreach (var hit in result.Hits)
            {
                var candidate = Candidate(hit.ChunkId, hit.DocumentId, hop);
                ref var scores = ref CollectionsMarshal.GetValueRefOrAddDefault(round, hit.ChunkId, out _);
                scores.Candidate = candidate;
                scores.Set(channel, hit.Score);
                candidate.Offer(channel, hit.Score);
            }
        }

        var ranked = new (Candidate Candidate, double Score)[round.Count];
        var i = 0;
        foreach (var scores in round.Values)
        {
            var candidate = scores.Candidate!;
            candidate.Score = (WeightOf(options, HybridRetriever.LexicalChannelName) * scores.Lexical)
                + (WeightOf(options, HybridRetriever.GraphChannelName) * scores.Graph)
                + (WeightOf(options, HybridRetriever.VectorChannelName) * scores.Vector);
            if (scores.Vector > 0 && scores.Lexical <= 0 && scores.Graph <= 0)
            {
                candidate.Score *= options.VectorOnlyFactor;
            }

            ranked[i++] = (candidate, candidate.Score);
        }

        // Best first, ties by chunk id: a total order, so the sort's instability cannot show.
        Array.Sort(ranked, static (a, b) =>
        {
            var byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(a.Candidate.ChunkId, b.Candidate.ChunkId);
        });
        var ranking = new List<Candidate>(ranked.Length);
        foreach (var (candidate, score) in ranked)
        {
            ranking.Add(new Candidate(candidate, score));
        }

        return ranking;
    }

    /// <summary>A chunk's normalised score from each channel this round (0 from a channel that did not find it).</summary>
    private struct RoundScores
    {
        public Candidate? Candidate;
        public double Lexical;
        public double Graph;
        public double Vector;

        public void Set(string channel, double score)
        {
            switch (channel)
            {
                case HybridRetriever.LexicalChannelName:
                    Lexical = score;
                    break;
                case HybridRetriever.GraphChannelName:
                    Graph = score;
                    break;
                default:
                    Vector = score;
                    break;
            }
        }
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
