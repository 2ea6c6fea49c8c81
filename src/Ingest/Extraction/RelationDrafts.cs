using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>
/// The relation pass's working state: relations as they are found, in order of first evidence, each with at most one
/// evidence per sentence (the strongest). Turned into <see cref="Relation"/> records once the pass is done.
/// </summary>
internal sealed class RelationDrafts
{
    private readonly List<Draft> order = [];
    private readonly Dictionary<(string Source, string Label, string Target), Draft> byId = [];

    /// <summary>Adds one sentence's evidence to a relation; false when the relation already had evidence from the sentence.</summary>
    public bool Add(ResolvedEntity source, ResolvedEntity target, string label, int sentence, string phrase, double weight)
    {
        if (!byId.TryGetValue((source.Id, label, target.Id), out var relation))
        {
            relation = new Draft(FastStableId.Create("rel", source.Id, label, target.Id), source.Id, target.Id, label);
            byId.Add((source.Id, label, target.Id), relation);
            order.Add(relation);
        }

        // Sentences are visited in order, so evidence from this sentence can only be the last one added.
        if (relation.Evidence.Count > 0 && relation.Evidence[^1] is var existing && existing.Sentence == sentence)
        {
            if (weight > existing.Weight)
            {
                existing.Weight = weight;
                existing.Phrase = phrase;
            }

            return false;
        }

        relation.Evidence.Add(new EvidenceDraft(sentence, phrase, weight));
        return true;
    }

    /// <summary>The relations, each weighing the sum of its evidence, which cites the sentence's span and chunk.</summary>
    public List<Relation> ToRelations(TokenizedDocument document)
    {
        var result = new List<Relation>(order.Count);
        foreach (var relation in order)
        {
            var evidence = new List<RelationEvidence>(relation.Evidence.Count);
            var total = 0.0;
            foreach (var item in relation.Evidence)
            {
                var span = document.Sentences[item.Sentence];
                evidence.Add(new RelationEvidence(new TextSpan(document.Id, document.Chunks.Find(span.Start), span.Start, span.End), item.Phrase, item.Weight));
                total += item.Weight;
            }

            result.Add(new Relation
            {
                Id = relation.Id,
                SourceId = relation.SourceId,
                TargetId = relation.TargetId,
                Label = relation.Label,
                Weight = total,
                Evidence = evidence,
            });
        }

        return result;
    }

    private sealed class Draft(string id, string sourceId, string targetId, string label)
    {
        public string Id { get; } = id;

        public string SourceId { get; } = sourceId;

        public string TargetId { get; } = targetId;

        public string Label { get; } = label;

        public List<EvidenceDraft> Evidence { get; } = [];
    }

    private sealed class EvidenceDraft(int sentence, string phrase, double weight)
    {
        public int Sentence { get; } = sentence;

        public string Phrase { get; set; } = phrase;

        public double Weight { get; set; } = weight;
    }
}
