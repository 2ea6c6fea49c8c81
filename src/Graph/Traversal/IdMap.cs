using System.Collections.Concurrent;

namespace GraphRag.Graph.Traversal;

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
