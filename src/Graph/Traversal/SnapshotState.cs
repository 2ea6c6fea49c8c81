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
/// An append-only map from ids to dense slots: a plain dictionary, read-only once published, and a small concurrent
/// one for slots added since, so lookups stay lock-free while one writer adds. Ids of the shape
/// <see cref="StableId.Create"/> makes (three lower-case letters, '_', 24 lower-case hex digits) are held as 16-byte
/// keys rather than strings — millions of relation ids would otherwise be most of the snapshot's memory; any other id
/// is kept as it is.
/// </summary>
internal sealed class IdMap
{
    private readonly AppendOnlyList<IdKey> _keys = new();
    private readonly ConcurrentDictionary<string, int> _irregular = new(StringComparer.Ordinal);
    private readonly List<string> _irregularIds = [];
    // Open addressing over the compact keys: each entry is a slot + 1 (0 = empty), the key itself is read from _keys.
    // About 6 bytes per id beside its 16-byte key, where a dictionary entry costs 32 and more after growth.
    private volatile int[] _table = new int[16];
    private int _count;

    public IdMap()
    {
    }

    /// <summary>A map holding <paramref name="ids"/> at slots 0, 1, 2, … in order.</summary>
    public IdMap(IReadOnlyList<string> ids)
    {
        _table = new int[TableSize(ids.Count)];
        foreach (var id in ids)
        {
            Append(id);
        }
    }

    /// <summary>Slots handed out so far: every snapshot's arrays are at least this long when it is built.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The id at a slot (a new string each call for compact ids).</summary>
    public string IdOf(int slot)
    {
        var key = _keys[slot];
        return key.IsIrregular ? _irregularIds[key.IrregularIndex] : key.Format();
    }

    /// <summary>Orders two slots as their ids order ordinally, without making the strings when both are compact.</summary>
    public int Compare(int a, int b)
    {
        var (x, y) = (_keys[a], _keys[b]);
        return !x.IsIrregular && !y.IsIrregular ? x.CompareTo(y) : string.CompareOrdinal(IdOf(a), IdOf(b));
    }

    /// <summary>The slot of an id, adding it (single writer).</summary>
    public int GetOrAdd(string id) => TryGet(id, out var slot) ? slot : Append(id);

    public bool TryGet(string id, out int slot)
    {
        if (!IdKey.TryParse(id, out var key))
        {
            return _irregular.TryGetValue(id, out slot);
        }

        var table = _table;
        var mask = table.Length - 1;
        for (var i = key.Hash & mask; ; i = (i + 1) & mask)
        {
            var entry = Volatile.Read(ref table[i]);
            if (entry == 0)
            {
                slot = -1;
                return false;
            }

            if (_keys[entry - 1] == key)
            {
                slot = entry - 1;
                return true;
            }
        }
    }

    private int Append(string id)
    {
        var slot = _count;
        if (IdKey.TryParse(id, out var key))
        {
            _keys.Add(key);
            if ((slot + 1) * 4L > _table.Length * 3L)
            {
                Grow();
            }

            Insert(_table, key, slot);
        }
        else
        {
            _irregular[id] = slot;
            _irregularIds.Add(id);
            _keys.Add(IdKey.ForIrregular(_irregularIds.Count - 1));
        }

        Volatile.Write(ref _count, slot + 1);
        return slot;
    }

    /// <summary>Rehashes into a table twice the size, published whole so readers see the old one or the new one.</summary>
    private void Grow()
    {
        var table = new int[_table.Length * 2];
        for (var slot = 0; slot < _keys.Count; slot++)
        {
            var key = _keys[slot];
            if (!key.IsIrregular && slot < _count)
            {
                Insert(table, key, slot);
            }
        }

        _table = table;
    }

    private static void Insert(int[] table, IdKey key, int slot)
    {
        var mask = table.Length - 1;
        var i = key.Hash & mask;
        while (table[i] != 0)
        {
            i = (i + 1) & mask;
        }

        Volatile.Write(ref table[i], slot + 1);
    }

    private static int TableSize(int count)
    {
        var size = 16;
        while (size * 3L < count * 4L)
        {
            size *= 2;
        }

        return size;
    }
}

/// <summary>
/// A list one writer appends to while readers index it lock-free: values live in fixed pages (4,096 values), so
/// growing never copies them and no page reaches the large-object heap for values up to 20 bytes.
/// </summary>
internal sealed class AppendOnlyList<T>
    where T : struct
{
    private const int PageBits = 12;
    private const int PageSize = 1 << PageBits;

    private volatile T[][] _pages = [];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public T this[int index] => (uint)index < (uint)Volatile.Read(ref _count)
        ? _pages[index >> PageBits][index & (PageSize - 1)]
        : throw new IndexOutOfRangeException();

    /// <summary>Appends a value (single writer).</summary>
    public void Add(T value)
    {
        var index = _count;
        var page = index >> PageBits;
        if (page == _pages.Length)
        {
            var pages = new T[Math.Max(4, page * 2)][];
            Array.Copy(_pages, pages, page);
            pages[page] = new T[PageSize];
            _pages = pages;
        }
        else if (_pages[page] is null)
        {
            _pages[page] = new T[PageSize];
        }

        _pages[page][index & (PageSize - 1)] = value;
        Volatile.Write(ref _count, index + 1);
    }
}

/// <summary>
/// A map one writer adds to while any number of readers look up, lock-free: a plain dictionary, read-only once
/// published, and a small concurrent one for what was set since (it wins over the plain one). When the concurrent part
/// outgrows half the plain one, both are merged into a new plain dictionary and published together, so a reader always
/// sees one consistent pair, merges cost O(1) per entry over time, and most entries sit in a plain dictionary at about
/// a third of a concurrent one's memory.
/// </summary>
internal sealed class ReadMostlyMap<TKey, TValue>
    where TKey : notnull
{
    private readonly IEqualityComparer<TKey>? _comparer;
    private volatile Parts _parts;

    public ReadMostlyMap(IEnumerable<KeyValuePair<TKey, TValue>> entries, IEqualityComparer<TKey>? comparer = null)
    {
        _comparer = comparer;
        _parts = new Parts(new Dictionary<TKey, TValue>(entries, comparer), comparer);
    }

    public bool TryGetValue(TKey key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out TValue value)
    {
        var parts = _parts;
        return parts.Recent.TryGetValue(key, out value) || parts.Settled.TryGetValue(key, out value);
    }

    /// <summary>Sets a value (single writer).</summary>
    public void Set(TKey key, TValue value)
    {
        var parts = _parts;
        parts.Recent[key] = value;
        if (parts.Recent.Count > 4096 && parts.Recent.Count > parts.Settled.Count / 2)
        {
            _parts = new Parts(new Dictionary<TKey, TValue>(Entries(parts), _comparer), _comparer);
        }
    }

    /// <summary>Every entry (single writer).</summary>
    public IEnumerable<KeyValuePair<TKey, TValue>> Entries() => Entries(_parts);

    private static IEnumerable<KeyValuePair<TKey, TValue>> Entries(Parts parts) =>
        parts.Settled.Where(p => !parts.Recent.ContainsKey(p.Key)).Concat(parts.Recent);

    private sealed class Parts(Dictionary<TKey, TValue> settled, IEqualityComparer<TKey>? comparer)
    {
        public Dictionary<TKey, TValue> Settled { get; } = settled;

        public ConcurrentDictionary<TKey, TValue> Recent { get; } = new(comparer);
    }
}

/// <summary>
/// A stable id as two numbers: the first 16 hex digits, then the prefix's three letters and the last 8 digits. Two
/// keys compare as their ids compare ordinally. An id of any other shape is an index into the map's strings.
/// </summary>
internal readonly record struct IdKey(ulong High, ulong Low) : IComparable<IdKey>
{
    private const ulong IrregularFlag = 1UL << 63;

    public bool IsIrregular => (Low & IrregularFlag) != 0;

    public int IrregularIndex => (int)High;

    public static IdKey ForIrregular(int index) => new((ulong)index, IrregularFlag);

    /// <summary>A table position: the digits come from a cryptographic hash, so their low bits are already uniform.</summary>
    public int Hash => (int)(High ^ (High >> 32) ^ Low) & int.MaxValue;

    public static bool TryParse(string id, out IdKey key)
    {
        key = default;
        if (id.Length != 28 || id[3] != '_')
        {
            return false;
        }

        ulong prefix = 0;
        for (var i = 0; i < 3; i++)
        {
            var c = id[i];
            if (c is < 'a' or > 'z')
            {
                return false;
            }

            prefix = (prefix << 5) | (uint)(c - 'a');
        }

        if (!TryHex(id.AsSpan(4, 16), out var high) || !TryHex(id.AsSpan(20, 8), out var low))
        {
            return false;
        }

        key = new IdKey(high, (prefix << 32) | low);
        return true;
    }

    public string Format()
    {
        var (high, low) = (High, Low);
        return string.Create(28, (high, low), static (span, k) =>
        {
            var prefix = k.low >> 32;
            span[0] = (char)('a' + ((prefix >> 10) & 31));
            span[1] = (char)('a' + ((prefix >> 5) & 31));
            span[2] = (char)('a' + (prefix & 31));
            span[3] = '_';
            k.high.TryFormat(span[4..20], out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
            ((uint)k.low).TryFormat(span[20..], out _, "x8", System.Globalization.CultureInfo.InvariantCulture);
        });
    }

    /// <summary>Prefix first, then the digits: the ordinal order of the ids.</summary>
    public int CompareTo(IdKey other)
    {
        var c = (Low >> 32).CompareTo(other.Low >> 32);
        if (c == 0)
        {
            c = High.CompareTo(other.High);
        }

        return c != 0 ? c : ((uint)Low).CompareTo((uint)other.Low);
    }

    private static bool TryHex(ReadOnlySpan<char> digits, out ulong value)
    {
        value = 0;
        foreach (var c in digits)
        {
            int digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | (uint)digit;
        }

        return true;
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
