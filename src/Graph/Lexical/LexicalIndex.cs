using GraphRag.Graph.Abstractions;

namespace GraphRag.Graph.Lexical;

/// <summary>
/// BM25 over chunks, in memory, with postings kept apart per access partition: every document whose ACL is the same
/// lives in one partition, so a caller's readable documents are always whole partitions. A search reads only the
/// partitions the caller may read — their postings, their row counts and lengths — so what another tenant stores or
/// searched for changes neither the caller's scores nor the work done for it (<see cref="LexicalWork"/> counts it).
/// Scores are FTS5's <c>bm25()</c> (k1 = 1.2, b = 0.75, title weighted 2, text 1, phrases at consecutive positions)
/// over the readable rows only, so a scoped search equals an unscoped one on a store of just the readable documents.
/// Thread-safe: searches share a read lock, changes take the write lock and are applied by the store after each
/// commit (the writer pays for them, not the next reader).
/// </summary>
public sealed partial class LexicalIndex : IDisposable
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const double TitleWeight = 2.0;
    private const double TextWeight = 1.0;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, Partition> _partitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Partition> _documents = new(StringComparer.Ordinal);

    /// <summary>The store generation the index reflects.</summary>
    public long Generation { get; private set; } = -1;

    /// <summary>Documents indexed.</summary>
    public int DocumentCount
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _documents.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>
    /// Removes the given documents (absent ones are ignored), then adds the analysed ones (replacing any stored under
    /// the same id), and records the generation the index now reflects.
    /// </summary>
    public void Apply(long generation, IEnumerable<string> removedDocumentIds, IEnumerable<IndexedDocument> added)
    {
        ArgumentNullException.ThrowIfNull(removedDocumentIds);
        ArgumentNullException.ThrowIfNull(added);
        _lock.EnterWriteLock();
        try
        {
            foreach (var id in removedDocumentIds)
            {
                Remove(id);
            }

            foreach (var document in added)
            {
                Remove(document.DocumentId);
                if (!_partitions.TryGetValue(document.AclKey, out var partition))
                {
                    _partitions[document.AclKey] = partition = new Partition(document.Acl);
                }

                partition.Add(document);
                _documents[document.DocumentId] = partition;
            }

            Generation = generation;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Empties the index (before a full reload).</summary>
    public void Clear()
    {
        _lock.EnterWriteLock();
        try
        {
            _partitions.Clear();
            _documents.Clear();
            Generation = -1;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The best chunks for the query's terms and phrases (OR-ed), highest score first, then by chunk id.</summary>
    public IReadOnlyList<LexicalHit> Search(LexicalQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var phrases = query.Terms.Concat(query.Phrases)
            .Select(TextAnalyzer.Terms)
            .Where(terms => terms.Count > 0)
            .ToList();
        if (phrases.Count == 0 || query.Limit <= 0)
        {
            return [];
        }

        _lock.EnterReadLock();
        try
        {
            return Score(query, phrases);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private List<LexicalHit> Score(LexicalQuery query, List<List<string>> phrases)
    {
        var work = query.Work;
        IReadOnlySet<string>? documentFilter = query.DocumentIds is null
            ? null
            : query.DocumentIds as IReadOnlySet<string> ?? query.DocumentIds.ToHashSet(StringComparer.Ordinal);
        long rows = 0, tokens = 0;
        var frequencies = new Dictionary<(Partition Partition, int Row), double[]>();
        var hits = new long[phrases.Count];
        foreach (var partition in Readable(query, documentFilter))
        {
            work?.AddPartition();
            var (partitionRows, partitionTokens) = documentFilter is null ? (partition.LiveRows, partition.LiveTokens) : partition.Totals(documentFilter);
            rows += partitionRows;
            tokens += partitionTokens;
            for (var p = 0; p < phrases.Count; p++)
            {
                partition.Match(phrases[p], documentFilter, work, (row, frequency) =>
                {
                    if (!frequencies.TryGetValue((partition, row), out var f))
                    {
                        frequencies[(partition, row)] = f = new double[phrases.Count];
                    }

                    if (f[p] == 0)
                    {
                        hits[p]++;
                    }

                    f[p] += frequency;
                });
            }
        }

        if (rows == 0 || frequencies.Count == 0)
        {
            return [];
        }

        var idf = new double[phrases.Count];
        for (var p = 0; p < phrases.Count; p++)
        {
            idf[p] = Math.Log((rows - hits[p] + 0.5) / (hits[p] + 0.5));
            if (idf[p] <= 0.0)
            {
                idf[p] = 1e-6;
            }
        }

        var averageLength = tokens / (double)rows;
        var scored = new List<(RowInfo Row, double Score)>(frequencies.Count);
        foreach (var ((partition, row), f) in frequencies)
        {
            var info = partition.Row(row);
            var score = 0.0;
            for (var p = 0; p < f.Length; p++)
            {
                score += idf[p] * (f[p] * (K1 + 1.0)) / (f[p] + (K1 * (1 - B + (B * info.Length / averageLength))));
            }

            scored.Add((info, score));
        }

        work?.AddRows(scored.Count);
        return scored
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Row.ChunkId, StringComparer.Ordinal)
            .Take(query.Limit)
            .Select(s => new LexicalHit(s.Row.ChunkId, s.Row.DocumentId, s.Row.Title, s.Score))
            .ToList();
    }

    /// <summary>
    /// The partitions the query may read: by ACL under an access filter; only those holding filtered documents under
    /// a document filter (found through the filter itself, so other partitions are never looked at).
    /// </summary>
    private IEnumerable<Partition> Readable(LexicalQuery query, IReadOnlySet<string>? documentFilter)
    {
        IEnumerable<Partition> candidates = documentFilter is null
            ? _partitions.Values
            : documentFilter.Select(id => _documents.GetValueOrDefault(id)).OfType<Partition>().Distinct();
        return query.CanReadAcl is { } canRead ? candidates.Where(p => canRead(p.Acl)) : candidates;
    }

    private void Remove(string documentId)
    {
        if (!_documents.Remove(documentId, out var partition))
        {
            return;
        }

        partition.Remove(documentId);
        if (partition.LiveRows == 0 && partition.DocumentCount == 0)
        {
            _partitions.Remove(partition.AclKey);
        }
    }

    public void Dispose() => _lock.Dispose();

    private sealed record RowInfo(string ChunkId, string DocumentId, string Title, int Length)
    {
        public bool Dead { get; set; }
    }

    /// <summary>
    /// The rows (chunks) of documents that share one ACL, and their postings: per term, entries of
    /// [row, n, position × n] with rows ascending, since rows are only ever appended.
    /// </summary>
    private sealed partial class Partition(IReadOnlyList<string> acl)
    {
        private readonly List<RowInfo> _rows = [];
        private readonly Dictionary<string, Postings> _terms = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<int>> _documentRows = new(StringComparer.Ordinal);
        private int _deadRows;

        public IReadOnlyList<string> Acl { get; } = acl;

        public string AclKey { get; } = IndexedDocument.AclKeyOf(acl);

        public long LiveRows { get; private set; }

        public long LiveTokens { get; private set; }

        public int DocumentCount => _documentRows.Count;

        public RowInfo Row(int row) => _rows[row];

        public void Add(IndexedDocument document)
        {
            var rows = new List<int>(document.Chunks.Length);
            foreach (var chunk in document.Chunks)
            {
                var row = _rows.Count;
                _rows.Add(new RowInfo(chunk.ChunkId, document.DocumentId, document.Title, chunk.Length));
                rows.Add(row);
                LiveRows++;
                LiveTokens += chunk.Length;
                foreach (var (term, positions) in chunk.Terms)
                {
                    if (!_terms.TryGetValue(term, out var postings))
                    {
                        _terms[term] = postings = new Postings();
                    }

                    postings.Append(row, positions);
                }
            }

            _documentRows[document.DocumentId] = rows;
        }

        public void Remove(string documentId)
        {
            if (!_documentRows.Remove(documentId, out var rows))
            {
                return;
            }

            foreach (var row in rows)
            {
                var info = _rows[row];
                info.Dead = true;
                LiveRows--;
                LiveTokens -= info.Length;
                _deadRows++;
            }

            if (_deadRows > 1024 && _deadRows > LiveRows)
            {
                Compact();
            }
        }

        /// <summary>Row count and total length of the filtered documents in this partition.</summary>
        public (long Rows, long Tokens) Totals(IReadOnlySet<string> documents)
        {
            long rows = 0, tokens = 0;
            foreach (var (document, documentRows) in _documentRows)
            {
                if (documents.Contains(document))
                {
                    rows += documentRows.Count;
                    tokens += documentRows.Sum(r => (long)_rows[r].Length);
                }
            }

            return (rows, tokens);
        }

        /// <summary>
        /// Calls <paramref name="found"/> with each live row that holds the phrase (its terms at consecutive positions
        /// of one column) and the phrase's column-weighted frequency there.
        /// </summary>
        public void Match(List<string> phrase, IReadOnlySet<string>? documents, LexicalWork? work, Action<int, double> found)
        {
            var lists = new Postings[phrase.Count];
            for (var j = 0; j < phrase.Count; j++)
            {
                if (!_terms.TryGetValue(phrase[j], out var postings))
                {
                    return;
                }

                lists[j] = postings;
            }

            var cursors = new int[phrase.Count];
            var first = lists[0];
            for (var at = 0; at < first.Length; at = first.Next(at))
            {
                work?.AddPostings(1);
                var row = first.RowAt(at);
                var info = _rows[row];
                if (info.Dead || (documents is not null && !documents.Contains(info.DocumentId)))
                {
                    continue;
                }

                var positions = first.PositionsAt(at);
                if (phrase.Count == 1)
                {
                    found(row, Weighted(positions));
                    continue;
                }

                var all = true;
                for (var j = 1; j < phrase.Count && all; j++)
                {
                    var list = lists[j];
                    while (cursors[j] < list.Length && list.RowAt(cursors[j]) < row)
                    {
                        cursors[j] = list.Next(cursors[j]);
                        work?.AddPostings(1);
                    }

                    all = cursors[j] < list.Length && list.RowAt(cursors[j]) == row;
                }

                if (!all)
                {
                    continue;
                }

                var frequency = 0.0;
                foreach (var start in positions)
                {
                    var whole = true;
                    for (var j = 1; j < phrase.Count && whole; j++)
                    {
                        whole = lists[j].PositionsAt(cursors[j]).BinarySearch(start + j) >= 0;
                    }

                    if (whole)
                    {
                        frequency += (start & IndexedDocument.TitleColumn) != 0 ? TitleWeight : TextWeight;
                    }
                }

                if (frequency > 0)
                {
                    found(row, frequency);
                }
            }
        }

        private static double Weighted(ReadOnlySpan<int> positions)
        {
            var frequency = 0.0;
            foreach (var position in positions)
            {
                frequency += (position & IndexedDocument.TitleColumn) != 0 ? TitleWeight : TextWeight;
            }

            return frequency;
        }

        /// <summary>Drops dead rows and renumbers the live ones, keeping every list's rows ascending.</summary>
        private void Compact()
        {
            var map = new int[_rows.Count];
            var live = new List<RowInfo>((int)LiveRows);
            for (var row = 0; row < _rows.Count; row++)
            {
                map[row] = _rows[row].Dead ? -1 : live.Count;
                if (!_rows[row].Dead)
                {
                    live.Add(_rows[row]);
                }
            }

            foreach (var (term, postings) in _terms.ToList())
            {
                var kept = postings.Renumber(map);
                if (kept.Length == 0)
                {
                    _terms.Remove(term);
                }
                else
                {
                    _terms[term] = kept;
                }
            }

            foreach (var rows in _documentRows.Values)
            {
                for (var i = 0; i < rows.Count; i++)
                {
                    rows[i] = map[rows[i]];
                }
            }

            _rows.Clear();
            _rows.AddRange(live);
            _deadRows = 0;
        }
    }

    /// <summary>One term's postings in one partition: a growable run of [row, n, position × n] entries.</summary>
    private sealed partial class Postings
    {
        private int[] _data = new int[4];

        public int Length { get; private set; }

        public int RowAt(int at) => _data[at];

        public ReadOnlySpan<int> PositionsAt(int at) => _data.AsSpan(at + 2, _data[at + 1]);

        public int Next(int at) => at + 2 + _data[at + 1];

        public void Append(int row, int[] positions)
        {
            var needed = Length + 2 + positions.Length;
            if (needed > _data.Length)
            {
                Array.Resize(ref _data, Math.Max(needed, _data.Length * 2));
            }

            _data[Length] = row;
            _data[Length + 1] = positions.Length;
            positions.CopyTo(_data, Length + 2);
            Length = needed;
        }

        public Postings Renumber(int[] map)
        {
            var kept = new Postings();
            for (var at = 0; at < Length; at = Next(at))
            {
                if (map[RowAt(at)] >= 0)
                {
                    kept.Append(map[RowAt(at)], PositionsAt(at).ToArray());
                }
            }

            return kept;
        }
    }
}
