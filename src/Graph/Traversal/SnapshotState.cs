using System.Collections.Concurrent;

namespace GraphRag.Graph.Traversal;

/// <summary>
/// The id → slot maps shared by every snapshot of one lineage. They only grow: an id keeps its slot for life (ids are
/// content hashes, so a document written again finds its old slots), and a snapshot tells live from gone by its own
/// arrays. One writer adds; any number of readers look up.
/// </summary>
internal sealed class SnapshotTables(IdMap entities, IdMap chunks, IdMap documents, IdMap relations, KeyIndex keys)
{
    public SnapshotTables()
        : this(new IdMap(), new IdMap(), new IdMap(), new IdMap(), new KeyIndex())
    {
    }

    public IdMap Entities { get; } = entities;

    public IdMap Chunks { get; } = chunks;

    public IdMap Documents { get; } = documents;

    public IdMap Relations { get; } = relations;

    public KeyIndex Keys { get; } = keys;
}

/// <summary>
/// An append-only map from ids to dense slots: a plain dictionary for the slots a load restored (read-only after it)
/// and a concurrent one for slots added since, so lookups stay lock-free while one writer adds.
/// </summary>
internal sealed class IdMap
{
    private readonly Dictionary<string, int> _loaded;
    private readonly ConcurrentDictionary<string, int> _added = new(StringComparer.Ordinal);
    private readonly List<string> _ids;
    private int _count;

    public IdMap()
        : this([])
    {
    }

    /// <summary>A map holding <paramref name="ids"/> at slots 0, 1, 2, … in order.</summary>
    public IdMap(IReadOnlyList<string> ids)
    {
        _loaded = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        _ids = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            _loaded[id] = _ids.Count;
            _ids.Add(id);
        }

        _count = _ids.Count;
    }

    /// <summary>Slots handed out so far: every snapshot's arrays are at least this long when it is built.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Every id, by slot (single writer; read it only where no write runs).</summary>
    public IReadOnlyList<string> Ids => _ids;

    /// <summary>The slot of an id, adding it (single writer).</summary>
    public int GetOrAdd(string id)
    {
        if (TryGet(id, out var slot))
        {
            return slot;
        }

        slot = _count;
        _added[id] = slot;
        _ids.Add(id);
        Volatile.Write(ref _count, slot + 1);
        return slot;
    }

    public bool TryGet(string id, out int slot) => _loaded.TryGetValue(id, out slot) || _added.TryGetValue(id, out slot);
}

/// <summary>
/// Every surface key ever used, with the entities that have used it (a superset: a snapshot checks its own entities),
/// and the keys in ordinal order for prefix searches. Append-only.
/// </summary>
internal sealed class KeyIndex
{
    private readonly ConcurrentDictionary<string, int[]> _entities;
    private readonly Lock _gate = new();
    // Built on the first prefix search: most processes never make one, and a load should not pay for it.
    private SortedSet<string>? _sorted;
    private int _maxWords;

    public KeyIndex()
        : this([])
    {
    }

    /// <summary>An index holding the keys <see cref="Entries"/> gave.</summary>
    public KeyIndex(IEnumerable<(string Key, int[] Entities)> entries)
    {
        _entities = new ConcurrentDictionary<string, int[]>(
            entries.Select(e => new KeyValuePair<string, int[]>(e.Key, e.Entities)), StringComparer.Ordinal);
        foreach (var key in _entities.Keys)
        {
            _maxWords = Math.Max(_maxWords, WordsIn(key));
        }
    }

    /// <summary>The most words in any key: longer n-grams cannot match.</summary>
    public int MaxWords => Volatile.Read(ref _maxWords);

    public int[] Candidates(string key) => _entities.TryGetValue(key, out var entities) ? entities : [];

    /// <summary>Every key with its candidates (single writer).</summary>
    public IEnumerable<(string Key, int[] Entities)> Entries() => _entities.Select(p => (p.Key, p.Value));

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
            _sorted?.Add(key);
        }

        var words = WordsIn(key);
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
            foreach (var key in Sorted().GetViewBetween(prefix, prefix + '\uffff'))
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
            return [.. Sorted().Where(keep)];
        }
    }

    private SortedSet<string> Sorted() => _sorted ??= new SortedSet<string>(_entities.Keys, StringComparer.Ordinal);

    private static int WordsIn(string key)
    {
        var words = 1;
        foreach (var c in key)
        {
            words += c == ' ' ? 1 : 0;
        }

        return words;
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
