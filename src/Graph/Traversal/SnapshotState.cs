using System.Collections.Concurrent;

namespace GraphRag.Graph.Traversal;

/// <summary>
/// The id → slot maps shared by every snapshot of one lineage. They only grow: an id keeps its slot for life (ids are
/// content hashes, so a document written again finds its old slots), and a snapshot tells live from gone by its own
/// arrays. One writer adds; any number of readers look up.
/// </summary>
internal sealed class SnapshotTables
{
    public IdMap Entities { get; } = new();

    public IdMap Chunks { get; } = new();

    public IdMap Documents { get; } = new();

    public IdMap Relations { get; } = new();

    public KeyIndex Keys { get; } = new();
}

/// <summary>An append-only map from ids to dense slots.</summary>
internal sealed class IdMap
{
    private readonly ConcurrentDictionary<string, int> _slots = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>Slots handed out so far: every snapshot's arrays are at least this long when it is built.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The slot of an id, adding it (single writer).</summary>
    public int GetOrAdd(string id)
    {
        if (_slots.TryGetValue(id, out var slot))
        {
            return slot;
        }

        slot = _count;
        _slots[id] = slot;
        Volatile.Write(ref _count, slot + 1);
        return slot;
    }

    public bool TryGet(string id, out int slot) => _slots.TryGetValue(id, out slot);
}

/// <summary>
/// Every surface key ever used, with the entities that have used it (a superset: a snapshot checks its own entities),
/// and the keys in ordinal order for prefix searches. Append-only.
/// </summary>
internal sealed class KeyIndex
{
    private readonly ConcurrentDictionary<string, int[]> _entities = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _sorted = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _maxWords;

    /// <summary>The most words in any key: longer n-grams cannot match.</summary>
    public int MaxWords => Volatile.Read(ref _maxWords);

    public int[] Candidates(string key) => _entities.TryGetValue(key, out var entities) ? entities : [];

    /// <summary>Records that the entity uses the key (single writer).</summary>
    public void Add(string key, int entity)
    {
        if (_entities.TryGetValue(key, out var existing))
        {
            if (Array.IndexOf(existing, entity) < 0)
            {
                _entities[key] = [.. existing, entity];
            }

            return;
        }

        _entities[key] = [entity];
        lock (_gate)
        {
            _sorted.Add(key);
        }

        var words = 1;
        foreach (var c in key)
        {
            words += c == ' ' ? 1 : 0;
        }

        if (words > _maxWords)
        {
            Volatile.Write(ref _maxWords, words);
        }
    }

    /// <summary>The keys from <paramref name="prefix"/> on in ordinal order, while they start with it and pass the filter.</summary>
    public List<string> WithPrefix(string prefix, Func<string, bool> keep, int max)
    {
        var keys = new List<string>();
        lock (_gate)
        {
            foreach (var key in _sorted.GetViewBetween(prefix, prefix + '\uffff'))
            {
                if (!key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    break;
                }

                if (keep(key))
                {
                    keys.Add(key);
                    if (keys.Count >= max)
                    {
                        break;
                    }
                }
            }
        }

        return keys;
    }

    /// <summary>Every key in ordinal order that passes the filter.</summary>
    public string[] All(Func<string, bool> keep)
    {
        lock (_gate)
        {
            return [.. _sorted.Where(keep)];
        }
    }
}

/// <summary>An entity in one snapshot: what its live documents say of it, and its place in the graph. Immutable.</summary>
internal sealed class EntityState(
    int index, string id, string key, string name, string type, EntityChunk[] chunks, EntitySurface[] surfaces, DocumentVote[] votes)
{
    public int Index { get; } = index;

    public string Id { get; } = id;

    public string Key { get; } = key;

    /// <summary>The stored name: every document's vote.</summary>
    public string Name { get; } = name;

    /// <summary>The stored type: every document's vote.</summary>
    public string Type { get; } = type;

    /// <summary>The chunks that mention it, with mention counts, in chunk id order.</summary>
    public EntityChunk[] Chunks { get; } = chunks;

    /// <summary>Its surface texts chunk by chunk (chunk id order, then text): what names it for a caller.</summary>
    public EntitySurface[] Surfaces { get; } = surfaces;

    /// <summary>Each live document's name and type for it, in document id order.</summary>
    public DocumentVote[] Votes { get; } = votes;

    /// <summary>Its relations: labelled before co-occurrence, strongest first, then by id — the order traversals want.</summary>
    public RelationState[] Relations { get; init; } = [];

    /// <summary>Its surface keys, each with the chunks (and uses) that give it.</summary>
    public KeyHits[] Keys { get; init; } = [];

    /// <summary>True when its documents disagree on its name; a caller then sees its readable documents' vote.</summary>
    public bool NameDisputed { get; init; }

    /// <summary>True when its documents disagree on its type.</summary>
    public bool TypeDisputed { get; init; }

    public EntityNode Node { get; init; } = new(id, key, name, type);

    public int MentionCount
    {
        get
        {
            var total = 0;
            foreach (var chunk in Chunks)
            {
                total += chunk.Count;
            }

            return total;
        }
    }
}

internal readonly record struct EntityChunk(int Chunk, int Count);

internal readonly record struct EntitySurface(int Chunk, string Text, string Key, int Count);

internal readonly record struct DocumentVote(int Document, string Name, string Type, int Mentions);

/// <summary>One surface key of an entity and the chunks that give it, each with who may use the hit.</summary>
internal sealed record KeyHits(string Key, KeyHit[] Hits);

internal readonly record struct KeyHit(int Chunk, byte Use);

/// <summary>A chunk in one snapshot: its document and the entities it mentions (entity id order). Immutable.</summary>
internal sealed class ChunkState(int index, string id, int document, ChunkEntity[] entities)
{
    public int Index { get; } = index;

    public string Id { get; } = id;

    public int Document { get; } = document;

    public ChunkEntity[] Entities { get; } = entities;
}

internal readonly record struct ChunkEntity(int Entity, int Count);

/// <summary>What one live document contributed: its chunks, and the entities and relations it touches. Immutable.</summary>
internal sealed class DocumentEntry(int index, string id, int[] chunks, int[] entities, int[] relations)
{
    public int Index { get; } = index;

    public string Id { get; } = id;

    public int[] Chunks { get; } = chunks;

    public int[] Entities { get; } = entities;

    public int[] Relations { get; } = relations;
}

/// <summary>A relation in one snapshot, with each evidence chunk's share of its weight (chunk id order). Immutable.</summary>
internal sealed class RelationState(int index, string id, int source, int target, string label, RelationChunk[] evidence)
{
    public int Index { get; } = index;

    public string Id { get; } = id;

    public int Source { get; } = source;

    public int Target { get; } = target;

    public string Label { get; } = label;

    public RelationChunk[] Evidence { get; } = evidence;

    /// <summary>The sum of the evidence shares, rounded as the store rounds it.</summary>
    public double Weight { get; } = Sum(evidence);

    public bool Labelled => Label != Model.RelationLabels.CoOccurs;

    private static double Sum(RelationChunk[] evidence)
    {
        var sum = 0.0;
        foreach (var chunk in evidence)
        {
            sum += chunk.Weight;
        }

        return Math.Round(sum, 9);
    }
}

internal readonly record struct RelationChunk(int Chunk, double Weight);
