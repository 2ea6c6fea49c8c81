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

    /// <summary>One instance of each name, type, surface text and key the lineage has seen (single writer).</summary>
    public StringPool Strings { get; } = new();

    public IdMap Entities { get; } = entities;

    public IdMap Chunks { get; } = chunks;

    public IdMap Documents { get; } = documents;

    public IdMap Relations { get; } = relations;

    public KeyIndex Keys { get; } = keys;
}

/// <summary>
/// One instance of each distinct string: the same name, surface text or key read from thousands of documents (or from
/// the index file) is held once. Append-only, like the slots; used by the single writer only.
/// </summary>
internal sealed class StringPool
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    public string Intern(string value)
    {
        if (_strings.TryGetValue(value, out var existing))
        {
            return existing;
        }

        _strings[value] = value;
        return value;
    }
}

/// <summary>
/// Every surface key ever used, with the entities that have used it (a superset: a snapshot checks its own entities),
/// and the keys in ordinal order for prefix searches. Append-only.
/// </summary>
internal sealed class KeyIndex
{
    private readonly ReadMostlyMap<string, int[]> _entities;
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
        _entities = new ReadMostlyMap<string, int[]>(
            entries.Select(e => new KeyValuePair<string, int[]>(e.Key, e.Entities)), StringComparer.Ordinal);
        foreach (var (key, _) in _entities.Entries())
        {
            _maxWords = Math.Max(_maxWords, WordsIn(key));
        }
    }

    /// <summary>The most words in any key: longer n-grams cannot match.</summary>
    public int MaxWords => Volatile.Read(ref _maxWords);

    public int[] Candidates(string key) => _entities.TryGetValue(key, out var entities) ? entities : [];

    /// <summary>Every key with its candidates (single writer).</summary>
    public IEnumerable<(string Key, int[] Entities)> Entries() => _entities.Entries().Select(p => (p.Key, p.Value));

    /// <summary>Records that the entity uses the key (single writer).</summary>
    public void Add(string key, int entity)
    {
        if (_entities.TryGetValue(key, out var existing))
        {
            if (Array.IndexOf(existing, entity) < 0)
            {
                _entities.Set(key, [.. existing, entity]);
            }

            return;
        }

        _entities.Set(key, [entity]);
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

    private SortedSet<string> Sorted() => _sorted ??= new SortedSet<string>(_entities.Entries().Select(p => p.Key), StringComparer.Ordinal);

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

/// <summary>
/// A relation in one snapshot, with each evidence chunk's share of its weight (chunk id order). Immutable. Its id is the
/// relations map's at its slot (<see cref="GraphSnapshot.RelationId"/>), not a field: there are millions of them.
/// </summary>
internal sealed class RelationState
{
    // Most relations rest on one chunk: that one is held inline and _many stays null; otherwise _single.Weight holds
    // the rounded sum and _many the chunks (an array per relation cost about 40 bytes for each of millions).
    private readonly RelationChunk _single;
    private readonly RelationChunk[]? _many;

    public RelationState(int index, int source, int target, string label, RelationChunk[] evidence)
    {
        Index = index;
        Source = source;
        Target = target;
        Label = label;
        if (evidence.Length == 1 && Math.Round(evidence[0].Weight, 9) == evidence[0].Weight)
        {
            _single = evidence[0];
        }
        else
        {
            _many = evidence;
            _single = new RelationChunk(-1, Sum(evidence));
        }
    }

    public int Index { get; }

    public int Source { get; }

    public int Target { get; }

    public string Label { get; }

    /// <summary>Each evidence chunk with its share of the weight, in chunk id order.</summary>
    public ReadOnlySpan<RelationChunk> Evidence => _many ?? new ReadOnlySpan<RelationChunk>(in _single);

    /// <summary>The sum of the evidence shares, rounded as the store rounds it.</summary>
    public double Weight => _single.Weight;

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
