using System.Collections.Concurrent;
using System.Text.Json;
using GraphRag.Graph.Model;

namespace GraphRag.Neo4j;

/// <summary>
/// One <c>RELATES</c> relationship as the store computes it: its evidence as parallel arrays (one element per span, in the
/// order documents gave it), the weight summed per document and rounded as the SQLite store rounds it, and the count.
/// </summary>
internal sealed class RelationState(string id, string sourceId, string targetId, string label)
{
    private readonly List<(string Document, string Chunk, int Start, int End, string Phrase, double Weight, string Extractor)> _evidence = [];

    public string Id { get; } = id;

    public string SourceId { get; } = sourceId;

    public string TargetId { get; } = targetId;

    public string Label { get; } = label;

    public int Count => _evidence.Count;

    /// <summary>From a row of id, source, target, type and the seven evidence arrays (extractors last).</summary>
    public static RelationState Read(JsonElement[] r)
    {
        var state = new RelationState(r[0].GetString()!, r[1].GetString()!, r[2].GetString()!, r[3].GetString()!);
        var documents = Neo4jGraphStore.Strings(r[4]);
        var chunks = Neo4jGraphStore.Strings(r[5]);
        var starts = r[6].EnumerateArray().Select(v => v.GetInt32()).ToList();
        var ends = r[7].EnumerateArray().Select(v => v.GetInt32()).ToList();
        var phrases = Neo4jGraphStore.Strings(r[8]);
        var weights = r[9].EnumerateArray().Select(v => v.GetDouble()).ToList();
        var extractors = Extractors(r, 10);
        for (var i = 0; i < documents.Count; i++)
        {
            state._evidence.Add((documents[i], chunks[i], starts[i], ends[i], phrases[i], weights[i], ExtractorAt(extractors, i)));
        }

        return state;
    }

    /// <summary>The evidence as records, ordered as the SQLite store reads it (document, then start).</summary>
    public static List<RelationEvidence> Evidence(JsonElement[] r, int first)
    {
        var documents = Neo4jGraphStore.Strings(r[first]);
        var chunks = Neo4jGraphStore.Strings(r[first + 1]);
        var starts = r[first + 2].EnumerateArray().Select(v => v.GetInt32()).ToList();
        var ends = r[first + 3].EnumerateArray().Select(v => v.GetInt32()).ToList();
        var phrases = Neo4jGraphStore.Strings(r[first + 4]);
        var weights = r[first + 5].EnumerateArray().Select(v => v.GetDouble()).ToList();
        var extractors = Extractors(r, first + 6);
        return Enumerable.Range(0, documents.Count)
            .Select(i => new RelationEvidence(new TextSpan(documents[i], chunks[i], starts[i], ends[i]), phrases[i], weights[i])
            {
                Extractor = ExtractorAt(extractors, i),
            })
            .OrderBy(e => e.Span.DocumentId, StringComparer.Ordinal)
            .ThenBy(e => e.Span.Start)
            .ToList();
    }

    public void RemoveDocuments(IReadOnlySet<string> documents) => _evidence.RemoveAll(e => documents.Contains(e.Document));

    public void Add(string documentId, IEnumerable<RelationEvidence> evidence) =>
        _evidence.AddRange(evidence.Select(e => (documentId, e.Span.ChunkId, e.Span.Start, e.Span.End, e.Phrase, e.Weight, e.Extractor)));

    /// <summary>The evidence extractors of a row; relations written before provenance was stored have none (all rules).</summary>
    private static List<string> Extractors(JsonElement[] r, int index) =>
        index < r.Length && r[index].ValueKind == JsonValueKind.Array ? Neo4jGraphStore.Strings(r[index]) : [];

    private static string ExtractorAt(List<string> extractors, int i) =>
        i < extractors.Count && !string.IsNullOrEmpty(extractors[i]) ? extractors[i] : GraphRag.Graph.Model.Extractors.Rules;

    /// <summary>
    /// The weight as the SQLite store keeps it: each document's share summed and rounded to 9 decimals, added in the
    /// order the documents arrived, rounded again at each step.
    /// </summary>
    public double Weight()
    {
        var total = 0.0;
        foreach (var share in _evidence.GroupBy(e => e.Document, StringComparer.Ordinal))
        {
            total = Round(total + Round(share.Sum(e => e.Weight)));
        }

        return total;
    }

    /// <summary>SQLite's ROUND(x, 9): half away from zero.</summary>
    private static double Round(double value) => Math.Round(value, 9, MidpointRounding.AwayFromZero);

    public Dictionary<string, object?> ToRow() => new()
    {
        ["id"] = Id,
        ["source"] = SourceId,
        ["target"] = TargetId,
        ["type"] = Label,
        ["weight"] = Weight(),
        ["evidenceCount"] = _evidence.Count,
        ["documentIds"] = _evidence.Select(e => e.Document).ToList(),
        ["chunkIds"] = _evidence.Select(e => e.Chunk).ToList(),
        ["starts"] = _evidence.Select(e => e.Start).ToList(),
        ["ends"] = _evidence.Select(e => e.End).ToList(),
        ["phrases"] = _evidence.Select(e => e.Phrase).ToList(),
        ["weights"] = _evidence.Select(e => e.Weight).ToList(),
        ["extractors"] = _evidence.Select(e => e.Extractor).ToList(),
    };
}

/// <summary>
/// Each relation's source entity, as this process has seen it in rows and writes: a relation id never changes its
/// endpoints, so the entry stays right, and a lookup by relation id can start from an indexed entity node.
/// </summary>
internal sealed class RelationSources
{
    private readonly ConcurrentDictionary<string, string> _sources = new(StringComparer.Ordinal);

    public void Add(string relationId, string sourceId) => _sources.TryAdd(relationId, sourceId);

    /// <summary>The ids with a known source (as rows of id and source) and the rest.</summary>
    public (List<Dictionary<string, object?>> Known, List<string> Unknown) Split(IEnumerable<string> relationIds)
    {
        var known = new List<Dictionary<string, object?>>();
        var unknown = new List<string>();
        foreach (var id in relationIds.Distinct(StringComparer.Ordinal))
        {
            if (_sources.TryGetValue(id, out var source))
            {
                known.Add(new Dictionary<string, object?> { ["id"] = id, ["source"] = source });
            }
            else
            {
                unknown.Add(id);
            }
        }

        return (known, unknown);
    }
}
