using System.Globalization;
using System.Text.Json;
using GraphRag.Graph;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Extraction;

namespace GraphRag.Llm.Extraction;

/// <summary>
/// Checks a model's replies against their chunks and merges what holds into the document's rule-based graph. An entity
/// is kept when its type is allowed, its quote is in the chunk character for character and its name is in the chunk
/// too; its mention is the quote's first occurrence. A relation is kept when its label is allowed, its quote is in the
/// chunk, both ends name entities (of the reply, or of the rule-based graph by key or surface form) and the label allows
/// their types. Entities merge by key into the rule-based ones (whose name and type stand), mentions by span,
/// relations by (source, label, target) with the quote as evidence; every mention and piece of evidence added carries
/// the model's provenance tag. Ids are the rule-based extractor's content-derived ones, so the result is deterministic.
/// One instance per document; not thread-safe.
/// </summary>
internal sealed class GraphMerge
{
    /// <summary>Each piece of model evidence adds this to its relation's weight, as a labelled rule-based sentence does.</summary>
    public const double EvidenceWeight = 1.0;

    private readonly Document _document;
    private readonly string _tag;
    private readonly IReadOnlySet<string> _types;
    private readonly IReadOnlySet<string> _labels;
    private readonly DomainProfile? _profile;
    private readonly List<ExtractedEntity> _entities;
    private readonly Dictionary<string, string> _typeOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byKey = new(StringComparer.Ordinal);
    private readonly List<Mention> _mentions;
    private readonly HashSet<string> _mentionIds;
    private readonly List<string> _relationOrder = [];
    private readonly Dictionary<string, Relation> _relations = new(StringComparer.Ordinal);

    public GraphMerge(Document document, DocumentGraph rules, string tag, IReadOnlySet<string> types, IReadOnlySet<string> labels, DomainProfile? profile)
    {
        _document = document;
        _tag = tag;
        _types = types;
        _labels = labels;
        _profile = profile;
        _entities = [.. rules.Entities];
        foreach (var entity in rules.Entities)
        {
            _typeOf.TryAdd(entity.Id, entity.Type);
            _byKey.TryAdd(entity.Key, entity.Id);
        }

        // A surface form the rules resolved ("Voss" → Mara Voss) names that entity for the model too.
        foreach (var mention in rules.Mentions)
        {
            _byKey.TryAdd(EntityKey.Normalize(mention.Text), mention.EntityId);
        }

        _mentions = [.. rules.Mentions];
        _mentionIds = rules.Mentions.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var relation in rules.Relations)
        {
            if (_relations.TryAdd(relation.Id, relation))
            {
                _relationOrder.Add(relation.Id);
            }
        }
    }

    /// <summary>Checks one reply against its chunk and merges what holds.</summary>
    public ReplyOutcome Add(Chunk chunk, string reply)
    {
        var outcome = new ReplyOutcome();
        if (Parse(reply) is not { } root)
        {
            outcome.MalformedReply = true;
            return outcome;
        }

        using (root)
        {
            var local = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var item in Items(root.RootElement, "entities"))
            {
                outcome.EntitiesProposed++;
                if (AddEntity(chunk, item, local, outcome))
                {
                    outcome.EntitiesKept++;
                }
            }

            foreach (var item in Items(root.RootElement, "relations"))
            {
                outcome.RelationsProposed++;
                if (AddRelation(chunk, item, local, outcome))
                {
                    outcome.RelationsKept++;
                }
            }
        }

        return outcome;
    }

    public DocumentGraph Build() => new(_entities, _mentions, [.. _relationOrder.Select(id => _relations[id])]);

    private bool AddEntity(Chunk chunk, JsonElement item, Dictionary<string, string> local, ReplyOutcome outcome)
    {
        if (Field(item, "name") is not { } name || Field(item, "type") is not { } type || Field(item, "quote") is not { } quote
            || EntityKey.Normalize(name) is not { Length: > 0 } key)
        {
            outcome.Malformed++;
            return false;
        }

        if (!_types.Contains(type))
        {
            outcome.NotAllowed++;
            return false;
        }

        var at = chunk.Text.IndexOf(quote, StringComparison.Ordinal);
        if (at < 0 || (!string.Equals(name, quote, StringComparison.Ordinal) && !chunk.Text.Contains(name, StringComparison.OrdinalIgnoreCase)))
        {
            outcome.QuoteNotFound++;
            return false;
        }

        if (!_byKey.TryGetValue(key, out var id))
        {
            id = StableId.Create("ent", key);
            _byKey[key] = id;
        }

        if (_typeOf.TryAdd(id, type))
        {
            _entities.Add(new ExtractedEntity(id, key, name.Trim(), type));
        }

        local[key] = id;
        var start = chunk.Start + at;
        var end = start + quote.Length;
        var mentionId = StableId.Create("men", _document.Id, start.ToString(CultureInfo.InvariantCulture), end.ToString(CultureInfo.InvariantCulture));
        if (_mentionIds.Add(mentionId))
        {
            _mentions.Add(new Mention
            {
                Id = mentionId,
                EntityId = id,
                Text = _document.Text[start..end],
                Span = new TextSpan(_document.Id, chunk.Id, start, end),
                Type = type,
                Resolution = string.Equals(EntityKey.Normalize(quote), key, StringComparison.Ordinal) ? "exact" : "model",
                Extractor = _tag,
            });
        }

        return true;
    }

    private bool AddRelation(Chunk chunk, JsonElement item, Dictionary<string, string> local, ReplyOutcome outcome)
    {
        if (Field(item, "source") is not { } source || Field(item, "label") is not { } label || Field(item, "target") is not { } target
            || Field(item, "quote") is not { } quote)
        {
            outcome.Malformed++;
            return false;
        }

        if (!_labels.Contains(label))
        {
            outcome.NotAllowed++;
            return false;
        }

        var at = chunk.Text.IndexOf(quote, StringComparison.Ordinal);
        if (at < 0)
        {
            outcome.QuoteNotFound++;
            return false;
        }

        if (Resolve(source, local) is not { } sourceId || Resolve(target, local) is not { } targetId)
        {
            outcome.UnknownEntity++;
            return false;
        }

        if (string.Equals(sourceId, targetId, StringComparison.Ordinal))
        {
            outcome.Malformed++;
            return false;
        }

        if (!Allows(label, _typeOf[sourceId], _typeOf[targetId]))
        {
            outcome.NotAllowed++;
            return false;
        }

        var start = chunk.Start + at;
        var end = start + quote.Length;
        var evidence = new RelationEvidence(new TextSpan(_document.Id, chunk.Id, start, end), _document.Text[start..end], EvidenceWeight) { Extractor = _tag };
        var id = StableId.Create("rel", sourceId, label, targetId);
        if (!_relations.TryGetValue(id, out var relation))
        {
            _relationOrder.Add(id);
            _relations[id] = new Relation { Id = id, SourceId = sourceId, TargetId = targetId, Label = label, Weight = EvidenceWeight, Evidence = [evidence] };
        }
        else if (!relation.Evidence.Any(e => e.Span.Start <= start && end <= e.Span.End))
        {
            // Support from another part of the text; a span the relation already cites (its sentence) adds nothing.
            _relations[id] = relation with { Weight = relation.Weight + EvidenceWeight, Evidence = [.. relation.Evidence, evidence] };
        }

        return true;
    }

    private string? Resolve(string name, Dictionary<string, string> local)
    {
        var key = EntityKey.Normalize(name);
        return key.Length == 0 ? null : local.TryGetValue(key, out var id) || _byKey.TryGetValue(key, out id) ? id : null;
    }

    /// <summary>The vocabulary's type constraints, and a domain relation's declared source and target types.</summary>
    private bool Allows(string label, string sourceType, string targetType)
    {
        var patterns = _profile?.Relations.Where(r => string.Equals(r.Label, label, StringComparison.Ordinal)).ToList() ?? [];
        if (patterns.Count > 0)
        {
            return patterns.Any(p => (p.SourceType is null || p.SourceType == sourceType) && (p.TargetType is null || p.TargetType == targetType));
        }

        return RelationVocabulary.Allows(label, sourceType, targetType);
    }

    /// <summary>The reply as JSON, or null when it is not an object (code fences around it are tolerated).</summary>
    private static JsonDocument? Parse(string reply)
    {
        var text = reply.Trim();
        if (text.StartsWith("```", StringComparison.Ordinal))
        {
            var open = text.IndexOf('\n', StringComparison.Ordinal);
            var close = text.LastIndexOf("```", StringComparison.Ordinal);
            text = open > 0 && close > open ? text[(open + 1)..close] : text;
        }

        try
        {
            var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("entities", out var entities) && entities.ValueKind == JsonValueKind.Array
                && (!document.RootElement.TryGetProperty("relations", out var relations) || relations.ValueKind == JsonValueKind.Array))
            {
                return document;
            }

            document.Dispose();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IEnumerable<JsonElement> Items(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : [];

    private static string? Field(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
        && value.GetString() is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text)
            ? text
            : null;
}
