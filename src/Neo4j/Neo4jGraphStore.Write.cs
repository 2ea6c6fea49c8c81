using System.Text.Json;
using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Rows;
using GraphRag.Graph.Traversal;

namespace GraphRag.Neo4j;

/// <summary>
/// Whole-document writes and deletes, one transaction each (a batch is one transaction), as the SQLite store does them:
/// unchanged content is a no-op, changed content replaces every row of the old version, and a delete removes only what
/// the document alone supports. Entity names and types are re-chosen by <see cref="EntityVote"/> from every document's
/// <c>DESCRIBES</c>; relation evidence arrays are filtered and their weights recomputed.
/// </summary>
public sealed partial class Neo4jGraphStore : IDocumentWriter
{
    /// <summary>How many generations the change log keeps (as the SQLite store).</summary>
    private const int ChangeLogGenerations = 1000;

    private readonly ChangeFeed _feed = new();

    public void Subscribe(Action<CommittedChange> listener) => _feed.Subscribe(listener);

    public async Task<WriteOutcome> UpsertAsync(DocumentBundle bundle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return (await UpsertManyAsync([bundle], cancellationToken).ConfigureAwait(false))[0];
    }

    public async Task<IReadOnlyList<WriteOutcome>> UpsertManyAsync(IReadOnlyList<DocumentBundle> bundles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        var model = _options.VectorModel;
        foreach (var bundle in bundles)
        {
            ArgumentNullException.ThrowIfNull(bundle, nameof(bundles));
            BundleRules.Validate(bundle);
            BundleRules.ValidateEdges(bundle);
            BundleRules.ValidateVectors(bundle, model);
        }

        if (bundles.Count == 0)
        {
            return [];
        }

        // A store with embeddings off neither stores vectors nor reports them to the indexes.
        bundles = model is null && bundles.Any(b => b.Vectors.Count > 0) ? bundles.Select(b => b with { Vectors = [] }).ToList() : bundles;
        // The last bundle of an id wins within a batch, as in SQLite where each replaces the one before.
        var (outcomes, before, written) = await WriteAsync(tx => WriteBatchAsync(tx, bundles, model, cancellationToken), cancellationToken).ConfigureAwait(false);
        foreach (var relation in written.SelectMany(b => b.Graph.Relations))
        {
            _relationSources.Add(relation.Id, relation.SourceId);
        }

        if (written.Count > 0)
        {
            _feed.Publish(before, outcomes.Contains(WriteOutcome.Replaced) ? written.Select(b => b.Document.Id).ToList() : [], written);
        }

        return outcomes;
    }

    private async Task<(List<WriteOutcome> Outcomes, long Before, List<DocumentBundle> Written)> WriteBatchAsync(
        Neo4jTransaction tx, IReadOnlyList<DocumentBundle> bundles, VectorModel? model, CancellationToken cancellationToken)
    {
        var ids = bundles.Select(b => b.Document.Id).Distinct(StringComparer.Ordinal).ToList();
        var opened = await tx.RunAsync([Q("meta-lock", ("token", Token())), Q("document-states", ("ids", ids))], cancellationToken).ConfigureAwait(false);
        var before = opened[0].Rows[0][0].GetInt64();
        if (model is not null && bundles.Any(b => b.Vectors.Count > 0))
        {
            RecordVectorModel(tx, opened[0].Rows[0], model);
        }

        var states = opened[1].Rows.ToDictionary(r => r[0].GetString()!, r => new DocumentState(r[1].GetString()!, r[2].GetString()!), StringComparer.Ordinal);
        var outcomes = new List<WriteOutcome>(bundles.Count);
        var replaced = new List<string>();
        var latest = new Dictionary<string, DocumentBundle>(StringComparer.Ordinal);
        foreach (var bundle in bundles)
        {
            var id = bundle.Document.Id;
            if (latest.TryGetValue(id, out var earlier))
            {
                // A second version of an id in one batch replaces the first, as its own write would.
                states[id] = new DocumentState(earlier.Document.ContentHash, earlier.PipelineVersion);
            }

            if (states.TryGetValue(id, out var state) && state.ContentHash == bundle.Document.ContentHash && state.PipelineVersion == bundle.PipelineVersion)
            {
                outcomes.Add(WriteOutcome.Unchanged);
                continue;
            }

            outcomes.Add(states.ContainsKey(id) ? WriteOutcome.Replaced : WriteOutcome.Added);
            if (states.ContainsKey(id) && !latest.ContainsKey(id))
            {
                replaced.Add(id);
            }

            latest[id] = bundle;
        }

        var written = bundles.Where((b, i) => outcomes[i] != WriteOutcome.Unchanged).ToList();
        if (written.Count == 0)
        {
            return (outcomes, before, written);
        }

        var toWrite = latest.Values.ToList();
        await ReplaceAsync(tx, replaced, toWrite, cancellationToken).ConfigureAwait(false);
        await BumpAsync(tx, written.Select(b => b.Document.Id), cancellationToken).ConfigureAwait(false);
        return (outcomes, before, written);
    }

    public async Task<bool> DeleteAsync(string documentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        var (deleted, before) = await WriteAsync(
            async tx =>
            {
                var opened = await tx.RunAsync([Q("meta-lock", ("token", Token())), Q("document-states", ("ids", new[] { documentId }))], cancellationToken)
                    .ConfigureAwait(false);
                if (opened[1].Rows.Count == 0)
                {
                    return (false, 0L);
                }

                await ReplaceAsync(tx, [documentId], [], cancellationToken).ConfigureAwait(false);
                await BumpAsync(tx, [documentId], cancellationToken).ConfigureAwait(false);
                return (true, opened[0].Rows[0][0].GetInt64());
            },
            cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            _feed.Publish(before, [documentId], []);
        }

        return deleted;
    }

    /// <summary>
    /// Removes the stored versions of <paramref name="removed"/> and writes <paramref name="bundles"/>, then settles the
    /// entities and relations either touched: relation evidence recomputed from what remains, entities re-voted, and
    /// whatever no document supports any more deleted.
    /// </summary>
    private async Task ReplaceAsync(Neo4jTransaction tx, IReadOnlyList<string> removed, IReadOnlyList<DocumentBundle> bundles, CancellationToken cancellationToken)
    {
        var touchedEntities = new HashSet<string>(StringComparer.Ordinal);
        var relations = new Dictionary<string, RelationState>(StringComparer.Ordinal);
        var gone = removed.ToHashSet(StringComparer.Ordinal);
        if (removed.Count > 0)
        {
            var old = await tx.RunAsync([Q("entities-of-documents", ("ids", removed)), Q("relation-of-documents", ("ids", removed))], cancellationToken)
                .ConfigureAwait(false);
            touchedEntities.UnionWith(old[0].Rows.Select(r => r[0].GetString()!));
            foreach (var r in old[1].Rows)
            {
                var state = RelationState.Read(r);
                relations.TryAdd(state.Id, state);
            }
        }

        // Relations the new versions give evidence to that are stored already (by other documents) are read as they are.
        var unknown = bundles.SelectMany(b => b.Graph.Relations).Where(r => !relations.ContainsKey(r.Id)).DistinctBy(r => r.Id)
            .Select(r => new Dictionary<string, object?> { ["id"] = r.Id, ["source"] = r.SourceId }).ToList();
        if (unknown.Count > 0)
        {
            var existing = await tx.RunAsync([Q("relation-read", ("rows", unknown))], cancellationToken).ConfigureAwait(false);
            foreach (var r in existing[0].Rows)
            {
                var state = RelationState.Read(r);
                relations.TryAdd(state.Id, state);
            }
        }

        foreach (var state in relations.Values)
        {
            state.RemoveDocuments(gone);
        }

        foreach (var bundle in bundles)
        {
            foreach (var relation in bundle.Graph.Relations)
            {
                if (!relations.TryGetValue(relation.Id, out var state))
                {
                    relations[relation.Id] = state = new RelationState(relation.Id, relation.SourceId, relation.TargetId, relation.Label);
                }

                state.Add(bundle.Document.Id, relation.Evidence);
            }

            touchedEntities.UnionWith(bundle.Graph.Entities.Select(e => e.Id));
        }

        if (removed.Count > 0)
        {
            tx.Defer(Q("document-delete", ("ids", removed)));
            // Cached model replies outlive a replacement for the chunk text the new version still has; a delete takes all.
            var written = bundles.ToDictionary(b => b.Document.Id, StringComparer.Ordinal);
            tx.Defer(Q("extraction-cache-prune", ("rows", removed.Select(id => new Dictionary<string, object?>
            {
                ["documentId"] = id,
                ["hashes"] = written.TryGetValue(id, out var bundle) ? BundleRules.ChunkTextHashes(bundle) : [],
            }).ToList())));
        }

        foreach (var statement in WriteStatements(bundles))
        {
            tx.Defer(statement);
        }

        var cache = bundles.SelectMany(b => BundleRules.CacheRows(b).Select(r => new Dictionary<string, object?>
        {
            ["documentId"] = b.Document.Id, ["key"] = r.Key, ["textHash"] = r.TextHash, ["reply"] = r.Reply,
        })).ToList();
        if (cache.Count > 0)
        {
            tx.Defer(Q("extraction-cache-put", ("rows", cache)));
        }

        // Relations with no evidence left go before entities do (an entity with no document has no relation left).
        var emptied = relations.Values.Where(r => r.Count == 0).Select(r => new Dictionary<string, object?> { ["id"] = r.Id, ["source"] = r.SourceId }).ToList();
        if (emptied.Count > 0)
        {
            tx.Defer(Q("relation-delete", ("rows", emptied)));
        }

        var kept = relations.Values.Where(r => r.Count > 0).Select(r => r.ToRow()).ToList();
        if (kept.Count > 0)
        {
            tx.Defer(Q("relation-write", ("rows", kept)));
        }

        var chunkIds = bundles.SelectMany(b => b.Chunks.Select(c => c.Id)).ToList();
        var votes = await tx.RunAsync(
            [Q("entity-votes", ("ids", touchedEntities.ToList())), Q("chunk-duplicates", ("ids", chunkIds.Distinct(StringComparer.Ordinal).ToList()))],
            cancellationToken).ConfigureAwait(false);
        if (chunkIds.Count != chunkIds.Distinct(StringComparer.Ordinal).Count() || votes[1].Rows.Count > 0)
        {
            var duplicate = votes[1].Rows.Count > 0 ? votes[1].Rows[0][0].GetString() : chunkIds.GroupBy(c => c, StringComparer.Ordinal).First(g => g.Count() > 1).Key;
            throw new StoreException($"Chunk id '{duplicate}' is already stored: chunk ids are unique within a store.");
        }

        var settle = new List<Dictionary<string, object?>>();
        var orphans = new List<string>();
        foreach (var r in votes[0].Rows)
        {
            var id = r[0].GetString()!;
            var mentions = r[3].EnumerateArray().Select(m => m.GetInt32()).ToList();
            if (mentions.Count == 0)
            {
                orphans.Add(id);
                continue;
            }

            var names = EntityVote.Tally(Strings(r[1]).Zip(mentions));
            var types = EntityVote.Tally(Strings(r[2]).Zip(mentions));
            settle.Add(new Dictionary<string, object?>
            {
                ["id"] = id, ["name"] = EntityVote.Name(names), ["type"] = EntityVote.Type(types), ["mentions"] = mentions.Sum(), ["documents"] = mentions.Count,
            });
        }

        if (settle.Count > 0)
        {
            tx.Defer(Q("entity-settle", ("rows", settle)));
        }

        if (orphans.Count > 0)
        {
            tx.Defer(Q("entity-delete", ("ids", orphans)));
        }
    }

    /// <summary>The statements that create the bundles' documents, chunks, entity descriptions and mentions.</summary>
    private List<Statement> WriteStatements(IReadOnlyList<DocumentBundle> bundles)
    {
        if (bundles.Count == 0)
        {
            return [];
        }

        var documents = bundles.Select(b => new Dictionary<string, object?>
        {
            ["id"] = b.Document.Id,
            ["title"] = b.Document.Title,
            ["source"] = b.Document.Source,
            ["mediaType"] = b.Document.MediaType,
            ["contentHash"] = b.Document.ContentHash,
            ["pipeline"] = b.PipelineVersion,
            ["acl"] = b.Document.Acl,
            ["metadata"] = JsonSerializer.Serialize(new SortedDictionary<string, string>(b.Document.Metadata.ToDictionary(), StringComparer.Ordinal), Json),
            ["regions"] = JsonSerializer.Serialize(b.Document.Regions, Json),
            ["text"] = b.Document.Text,
            ["sensitive"] = JsonSerializer.Serialize(b.Document.Sensitive ?? [], Json),
        }).ToList();
        var chunks = bundles.SelectMany(b =>
        {
            var vectors = b.Vectors.ToDictionary(v => v.ChunkId, StringComparer.Ordinal);
            return b.Chunks.Select(c => ChunkRow(c, vectors.GetValueOrDefault(c.Id)));
        }).ToList();
        var describes = bundles.SelectMany(b =>
        {
            var counts = b.Graph.Mentions.GroupBy(m => m.EntityId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            return b.Graph.Entities.DistinctBy(e => e.Id, StringComparer.Ordinal).Select(e => new Dictionary<string, object?>
            {
                ["documentId"] = b.Document.Id, ["entityId"] = e.Id, ["key"] = e.Key, ["name"] = e.Name, ["type"] = e.Type, ["mentions"] = counts.GetValueOrDefault(e.Id),
            });
        }).ToList();
        var mentions = bundles.SelectMany(b => b.Graph.Mentions.Select(m => new Dictionary<string, object?>
        {
            ["id"] = m.Id,
            ["entityId"] = m.EntityId,
            ["documentId"] = b.Document.Id,
            ["chunkId"] = m.Span.ChunkId,
            ["start"] = m.Span.Start,
            ["end"] = m.Span.End,
            ["text"] = m.Text,
            ["surfaceKey"] = EntityKey.Normalize(m.Text),
            ["type"] = m.Type,
            ["resolution"] = m.Resolution,
            ["extractor"] = m.Extractor,
        })).ToList();
        var statements = new List<Statement> { Q("document-create", ("rows", documents)) };
        if (chunks.Count > 0)
        {
            statements.Add(Q("chunk-create", ("rows", chunks)));
        }

        if (describes.Count > 0)
        {
            statements.Add(Q("entity-describe", ("rows", describes)));
        }

        if (mentions.Count > 0)
        {
            statements.Add(Q("mention-create", ("rows", mentions)));
        }

        return statements;
    }

    private static Dictionary<string, object?> ChunkRow(Chunk c, ChunkVector? vector)
    {
        var row = new Dictionary<string, object?>
        {
            ["id"] = c.Id,
            ["documentId"] = c.DocumentId,
            ["ordinal"] = c.Ordinal,
            ["start"] = c.Start,
            ["end"] = c.End,
            ["tokenCount"] = c.TokenCount,
            ["page"] = c.Page,
            ["section"] = c.Section,
            ["text"] = c.Text,
            ["preview"] = c.Text.Length <= 60 ? c.Text : c.Text[..60],
        };
        if (vector is not null)
        {
            row["embedding"] = vector.ToFloats();
            row["embeddingTextHash"] = vector.TextHash;
            row["embeddingScale"] = vector.Scale;
        }

        return row;
    }

    /// <summary>The next generation, logged with the documents it changed; the log keeps the last 1,000.</summary>
    private async Task BumpAsync(Neo4jTransaction tx, IEnumerable<string> changed, CancellationToken cancellationToken) =>
        await tx.RunAsync(
            [
                Q("generation-bump", ("ids", changed.Distinct(StringComparer.Ordinal).ToList())),
                Q("changes-prune", ("keep", ChangeLogGenerations)),
            ],
            cancellationToken).ConfigureAwait(false);
}
