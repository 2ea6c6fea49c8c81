using System.Runtime.CompilerServices;
using System.Text.Json;
using GraphRag.Graph.Abstractions;
using Microsoft.Data.Sqlite;

namespace GraphRag.Graph.Sqlite;

/// <summary>
/// BM25 for a search restricted to some documents. FTS5's own <c>bm25()</c> takes its statistics (row count, average
/// length, how many rows hold a phrase) from the whole index, so documents the caller cannot read would move the
/// caller's scores and ranks. This path recomputes exactly the same formula (fts5_aux.c: k1 = 1.2, b = 0.75,
/// per-column weights on phrase frequencies, lengths over all columns) with every statistic taken over the readable
/// rows only: the result equals FTS5's on a store that holds just those documents.
/// </summary>
public sealed partial class SqliteGraphStore
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    private static readonly double[] ColumnWeights = [2.0, 1.0];

    // Tokenising the query with the index's own tokenizer (porter, unicode61) keeps phrase matching identical to MATCH.
    private const string PrepareScopedSearchSql = """
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_phrases USING fts5(phrase, tokenize = 'porter unicode61 remove_diacritics 2');
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_phrases_instance USING fts5vocab(temp, query_phrases, instance);
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_fts_instance USING fts5vocab(main, chunks_fts, instance);
        DELETE FROM temp.query_phrases;
        INSERT INTO temp.query_phrases (rowid, phrase) SELECT key + 1, value FROM json_each($phrases);
        """;

    private const string QueryTokensSql = "SELECT doc, term FROM temp.query_phrases_instance ORDER BY doc, offset";

    // fts5vocab names the column; the index is its position in chunks_fts (title, text), as bm25()'s weights are.
    private const string TermInstancesSql = """
        SELECT doc, CASE col WHEN 'title' THEN 0 WHEN 'text' THEN 1 ELSE 2 END, offset
        FROM temp.chunks_fts_instance WHERE term = $term
        """;

    private const string LexicalCorpusSql = """
        SELECT s.id, s.sz, c.id, c.document_id, d.title
        FROM chunks_fts_docsize s
        JOIN chunks c ON c.seq = s.id
        JOIN documents d ON d.id = c.document_id
        """;

    private volatile LexicalCorpus? _lexicalCorpus;
    // The one before: queries whose read transaction began before the latest write still find theirs.
    private volatile LexicalCorpus? _previousLexicalCorpus;
    private readonly SemaphoreSlim _lexicalLock = new(1, 1);

    private async Task<IReadOnlyList<LexicalHit>> SearchInDocumentsAsync(
        LexicalQuery query, IReadOnlyCollection<string> documentIds, CancellationToken cancellationToken)
    {
        var phrases = MatchPhrases(query);
        if (phrases.Count == 0)
        {
            return [];
        }

        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using (var prepare = Command(connection, null, PrepareScopedSearchSql))
        {
            prepare.Parameters.AddWithValue("$phrases", JsonSerializer.Serialize(phrases, Json));
            await prepare.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var tokens = phrases.Select(_ => new List<string>()).ToArray();
        using (var command = Command(connection, null, QueryTokensSql))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tokens[reader.GetInt64(0) - 1].Add(reader.GetString(1));
            }
        }

        using var transaction = connection.BeginTransaction(deferred: true);
        var generation = await ReadGenerationAsync(connection, cancellationToken, transaction).ConfigureAwait(false);
        var corpus = CorpusOf(generation);
        if (corpus is null)
        {
            // One load per generation: concurrent queries wait for it rather than each reading every row.
            await _lexicalLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                corpus = CorpusOf(generation);
                if (corpus is null)
                {
                    corpus = await LoadLexicalCorpusAsync(connection, transaction, generation, cancellationToken).ConfigureAwait(false);
                    if (_lexicalCorpus is not { } latest || latest.Generation < generation)
                    {
                        _previousLexicalCorpus = _lexicalCorpus;
                        _lexicalCorpus = corpus;
                    }
                }
            }
            finally
            {
                _lexicalLock.Release();
            }
        }

        var readable = documentIds as IReadOnlySet<string> ?? documentIds.ToHashSet(StringComparer.Ordinal);
        var (rows, totalTokens) = corpus.Statistics(readable);
        if (rows == 0)
        {
            return [];
        }

        // Positions of every query token in readable rows: (row, column, offset).
        var positions = new Dictionary<string, HashSet<(long Row, int Column, int Offset)>>(StringComparer.Ordinal);
        foreach (var term in tokens.SelectMany(t => t).Distinct(StringComparer.Ordinal))
        {
            if (!corpus.Instances.TryGetValue(term, out var instances))
            {
                var list = new List<(long, int, int)>();
                using var command = Command(connection, transaction, TermInstancesSql);
                command.Parameters.AddWithValue("$term", term);
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    list.Add((reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2)));
                }

                instances = [.. list];
                // Bounded: a store's vocabulary is large, the terms questions use far fewer.
                if (corpus.Instances.Count < 20_000)
                {
                    corpus.Instances.TryAdd(term, instances);
                }
            }

            var set = new HashSet<(long, int, int)>();
            foreach (var (row, column, offset) in instances)
            {
                if (corpus.Rows.TryGetValue(row, out var info) && readable.Contains(info.DocumentId))
                {
                    set.Add((row, column, offset));
                }
            }

            positions[term] = set;
        }

        // Weighted phrase frequency per row, phrase by phrase (a phrase's tokens at consecutive offsets of one column).
        var frequencies = new Dictionary<long, double[]>();
        var hits = new long[phrases.Count];
        for (var p = 0; p < phrases.Count; p++)
        {
            var phrase = tokens[p];
            if (phrase.Count == 0)
            {
                continue;
            }

            foreach (var (row, column, offset) in positions[phrase[0]])
            {
                var whole = true;
                for (var j = 1; j < phrase.Count && whole; j++)
                {
                    whole = positions[phrase[j]].Contains((row, column, offset + j));
                }

                if (!whole)
                {
                    continue;
                }

                if (!frequencies.TryGetValue(row, out var f))
                {
                    frequencies[row] = f = new double[phrases.Count];
                }

                if (f[p] == 0)
                {
                    hits[p]++;
                }

                f[p] += column < ColumnWeights.Length ? ColumnWeights[column] : 1.0;
            }
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

        var averageLength = totalTokens / (double)rows;
        var scored = new List<(long Row, double Score)>(frequencies.Count);
        foreach (var (row, f) in frequencies)
        {
            var length = (double)corpus.Rows[row].Length;
            var score = 0.0;
            for (var p = 0; p < f.Length; p++)
            {
                score += idf[p] * ((f[p] * (K1 + 1.0)) / (f[p] + (K1 * (1 - B + (B * length / averageLength)))));
            }

            scored.Add((row, score));
        }

        return scored
            .OrderByDescending(s => s.Score)
            .ThenBy(s => corpus.Rows[s.Row].ChunkId, StringComparer.Ordinal)
            .Take(query.Limit)
            .Select(s => (Info: corpus.Rows[s.Row], s.Score))
            .Select(s => new LexicalHit(s.Info.ChunkId, s.Info.DocumentId, s.Info.Title, s.Score))
            .ToList();
    }

    /// <summary>The quoted items of <see cref="BuildMatchExpression"/>, in the same order: FTS5's phrases.</summary>
    private static List<string> MatchPhrases(LexicalQuery query) =>
        query.Terms.Concat(query.Phrases)
            .Select(item => item.Replace("\"", " ", StringComparison.Ordinal).Trim())
            .Where(cleaned => cleaned.Length > 0 && cleaned.Any(char.IsLetterOrDigit))
            .ToList();

    private LexicalCorpus? CorpusOf(long generation) =>
        _lexicalCorpus is { } latest && latest.Generation == generation ? latest
        : _previousLexicalCorpus is { } previous && previous.Generation == generation ? previous
        : null;

    private static async Task<LexicalCorpus> LoadLexicalCorpusAsync(
        SqliteConnection connection, SqliteTransaction transaction, long generation, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<long, RowInfo>();
        var documents = new Dictionary<string, string>(StringComparer.Ordinal);
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        using var command = Command(connection, transaction, LexicalCorpusSql);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var document = reader.GetString(3);
            // One string instance per document keeps the cache small.
            if (!documents.TryGetValue(document, out var shared))
            {
                documents[document] = shared = document;
                titles[document] = reader.GetString(4);
            }

            rows[reader.GetInt64(0)] = new RowInfo(reader.GetString(2), shared, titles[shared], TotalTokens((byte[])reader.GetValue(1)));
        }

        return new LexicalCorpus(generation, rows);
    }

    /// <summary>Sums the per-column token counts of an FTS5 docsize record (SQLite varints).</summary>
    private static int TotalTokens(byte[] record)
    {
        var total = 0L;
        for (var i = 0; i < record.Length;)
        {
            ulong value = 0;
            for (var n = 0; i < record.Length; n++)
            {
                var b = record[i++];
                if (n == 8)
                {
                    value = (value << 8) | b;
                    break;
                }

                value = (value << 7) | (uint)(b & 0x7f);
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }

            total += (long)value;
        }

        return (int)total;
    }

    private sealed record RowInfo(string ChunkId, string DocumentId, string Title, int Length);

    /// <summary>Per store generation: every FTS row's chunk, document and length, and the statistics of each readable set.</summary>
    private sealed class LexicalCorpus(long generation, Dictionary<long, RowInfo> rows)
    {
        private readonly ConditionalWeakTable<object, Tuple<long, long>> _statistics = new();

        public long Generation { get; } = generation;

        public Dictionary<long, RowInfo> Rows { get; } = rows;

        /// <summary>Every position of an index term, (row, column, offset), read once per generation.</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<string, (long Row, int Column, int Offset)[]> Instances { get; } =
            new(StringComparer.Ordinal);

        /// <summary>Readable rows and their total length. Cached per set instance (scopes reuse theirs per generation).</summary>
        public (long Rows, long Tokens) Statistics(IReadOnlySet<string> readable)
        {
            var stats = _statistics.GetValue(readable, set =>
            {
                long count = 0, tokens = 0;
                foreach (var row in Rows.Values)
                {
                    if (((IReadOnlySet<string>)set).Contains(row.DocumentId))
                    {
                        count++;
                        tokens += row.Length;
                    }
                }

                return Tuple.Create(count, tokens);
            });
            return (stats.Item1, stats.Item2);
        }
    }
}
