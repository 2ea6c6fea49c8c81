using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GraphRag.Graph.Rows;

namespace GraphRag.Neo4j;

/// <summary>
/// The store's rows for the shared in-memory indexes: per-document rows equal to what the SQLite store reads for the
/// same documents (and to <see cref="DocumentRows.From"/> of the bundle written), the change log, and the commits of
/// this process.
/// </summary>
public sealed partial class Neo4jGraphStore : IGraphRowSource, IChangeFeed
{
    /// <summary>Documents read per request.</summary>
    private const int ReadPage = 250;

    public async Task<IRowReader> OpenReadAsync(CancellationToken cancellationToken = default)
    {
        var meta = (await RunAsync(cancellationToken, Q("meta-read")).ConfigureAwait(false))[0].Rows[0];
        return new RowReader(this, meta[0].GetInt64());
    }

    /// <summary>
    /// A read at the generation it opened at. Neo4j's HTTP endpoint offers no snapshot that outlives a request, so rows
    /// are read at least that new: a document written meanwhile is in the change log after this generation, and the
    /// indexes' next read (which finds the store ahead) reads it again, so they converge on the store.
    /// </summary>
    private sealed class RowReader(Neo4jGraphStore store, long generation) : IRowReader
    {
        public long Generation { get; } = generation;

        public async Task<IReadOnlyCollection<string>?> ChangedSinceAsync(long since, CancellationToken cancellationToken = default)
        {
            var results = await store.RunAsync(cancellationToken, store.Q("meta-read"), store.Q("changes-since", ("generation", since))).ConfigureAwait(false);
            if (since < results[0].Rows[0][1].GetInt64())
            {
                return null;
            }

            return results[1].Rows.Select(r => r[0].GetString()!).ToList();
        }

        public async Task<string?> FingerprintAsync(long at, CancellationToken cancellationToken = default)
        {
            var results = await store.RunAsync(cancellationToken, store.Q("meta-read"), store.Q("changes-at", ("generation", at))).ConfigureAwait(false);
            if (at > Generation || at < results[0].Rows[0][1].GetInt64())
            {
                return null;
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(Encoding.UTF8.GetBytes(store._storeId));
            hash.AppendData(BitConverter.GetBytes(at));
            foreach (var id in results[1].Rows.Select(r => r[0].GetString()!).Order(StringComparer.Ordinal))
            {
                hash.AppendData(Encoding.UTF8.GetBytes(id + "\n"));
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        public async IAsyncEnumerable<DocumentRows> ReadAsync(
            IReadOnlyCollection<string>? documentIds, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            List<string> ids;
            if (documentIds is null)
            {
                ids = (await store.RunAsync(cancellationToken, store.Q("document-ids")).ConfigureAwait(false))[0].Rows.Select(r => r[0].GetString()!).ToList();
            }
            else
            {
                ids = documentIds.Distinct(StringComparer.Ordinal).ToList();
            }

            ids.Sort(StringComparer.Ordinal);
            var strings = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var page = 0; page < ids.Count; page += ReadPage)
            {
                foreach (var rows in await store.ReadPageAsync(ids.GetRange(page, Math.Min(ReadPage, ids.Count - page)), strings, cancellationToken).ConfigureAwait(false))
                {
                    yield return rows;
                }
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private async Task<List<DocumentRows>> ReadPageAsync(List<string> ids, Dictionary<string, string> strings, CancellationToken cancellationToken)
    {
        var statements = new List<Statement>
        {
            Q("rows-documents", ("ids", ids)),
            Q("rows-chunks", ("ids", ids)),
            Q("rows-entities", ("ids", ids)),
            Q("rows-mentions", ("ids", ids)),
            Q("relation-of-documents", ("ids", ids)),
        };
        if (_options.VectorModel is not null)
        {
            statements.Add(Q("rows-vectors", ("ids", ids)));
        }

        var results = await _http.RunAsync(statements, cancellationToken).ConfigureAwait(false);
        string S(JsonElement value) => Intern(strings, value.GetString()!);
        var chunks = results[1].Rows.GroupBy(r => r[0].GetString()!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r[3].GetInt32()).Select(r => new ChunkRow(r[1].GetString()!, r[2].GetString()!)).ToList(), StringComparer.Ordinal);
        var entities = results[2].Rows.GroupBy(r => r[0].GetString()!, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.Select(r => new EntityRow(S(r[1]), S(r[2]), S(r[3]), S(r[4]), r[5].GetInt32())).OrderBy(e => e.EntityId, StringComparer.Ordinal).ToList(),
                StringComparer.Ordinal);
        var mentions = results[3].Rows.GroupBy(r => r[0].GetString()!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => new MentionRow(S(r[1]), S(r[2]), S(r[3]), S(r[4]), r[5].GetInt32())).ToList(), StringComparer.Ordinal);
        var evidence = new Dictionary<string, Dictionary<(string, string), (EvidenceRow Row, double Sum)>>(StringComparer.Ordinal);
        foreach (var r in results[4].Rows)
        {
            var relation = S(r[0]);
            _relationSources.Add(relation, S(r[1]));
            var documents = Strings(r[4]);
            var chunkIds = Strings(r[5]);
            var weights = r[9].EnumerateArray().Select(w => w.GetDouble()).ToList();
            for (var i = 0; i < documents.Count; i++)
            {
                if (!evidence.TryGetValue(documents[i], out var sums))
                {
                    evidence[documents[i]] = sums = [];
                }

                var chunk = Intern(strings, chunkIds[i]);
                if (!sums.TryGetValue((relation, chunk), out var entry))
                {
                    entry = (new EvidenceRow(relation, S(r[1]), S(r[2]), S(r[3]), chunk, 0), 0);
                }

                sums[(relation, chunk)] = (entry.Row, entry.Sum + weights[i]);
            }
        }

        var vectors = results.Count > 5
            ? results[5].Rows.GroupBy(r => r[0].GetString()!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(r => ReadVector(r, 1)).OrderBy(v => v.ChunkId, StringComparer.Ordinal).ToList(), StringComparer.Ordinal)
            : [];
        return results[0].Rows
            .Select(r => (Id: r[0].GetString()!, Title: r[1].GetString()!, Acl: Strings(r[2])))
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => new DocumentRows(
                d.Id,
                d.Title,
                d.Acl,
                chunks.GetValueOrDefault(d.Id) ?? [],
                entities.GetValueOrDefault(d.Id) ?? [],
                mentions.GetValueOrDefault(d.Id) ?? [],
                evidence.GetValueOrDefault(d.Id)?.Values.Select(e => e.Row with { Weight = Math.Round(e.Sum, 9) }).ToList() ?? [])
            {
                Vectors = vectors.GetValueOrDefault(d.Id) ?? [],
            })
            .ToList();
    }

    private static string Intern(Dictionary<string, string> strings, string value)
    {
        if (strings.TryGetValue(value, out var existing))
        {
            return existing;
        }

        strings[value] = value;
        return value;
    }
}
