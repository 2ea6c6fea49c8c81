using System.Diagnostics;
using GraphRag.Graph.Synonyms;
using GraphRag.Graph.Traversal;
using Microsoft.Extensions.Logging;

namespace GraphRag.Graph.Rows;

/// <summary>Synonym edges: made from entity keys after the snapshot moves on, when a name embedder is configured.</summary>
public sealed partial class GraphIndexes
{
    private IEntityNameEmbedder? _nameEmbedder;
    private EntitySynonymOptions _synonymOptions = new();

    /// <summary>
    /// Turns synonym edges on: entity keys are embedded with <paramref name="embedder"/> and matched under
    /// <paramref name="options"/>. Called once, while the engine is built, before the indexes are read; without it (or
    /// with <see cref="EntitySynonymOptions.Enabled"/> off) snapshots carry no synonym edges.
    /// </summary>
    public void UseSynonyms(IEntityNameEmbedder embedder, EntitySynonymOptions options)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(options);
        _synonymOptions = options;
        _nameEmbedder = options.Enabled ? embedder : null;
    }

    /// <summary>Synonym edges in the current snapshot (after catching up with the store and matching new names).</summary>
    public async Task<int> CountSynonymsAsync(CancellationToken cancellationToken = default) =>
        (await GetSnapshotAsync(cancellationToken).ConfigureAwait(false)).Synonyms.Count;

    /// <summary>
    /// Embeds the names of entities the snapshot gained since the edges were last made and matches them, under the
    /// gate (commits wait in the queue meanwhile). Done by the first read after a change, or by the writer's caller
    /// once a run ends, so a query after a bulk load does not pay for it.
    /// </summary>
    public async Task EnsureSynonymsAsync(CancellationToken cancellationToken = default)
    {
        if (_nameEmbedder is not { } embedder || SynonymsCurrent(_snapshot, embedder))
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ApplyPending();
            var snapshot = _snapshot;
            if (snapshot.Generation < 0 || SynonymsCurrent(snapshot, embedder))
            {
                return;
            }

            using var activity = Activity.StartActivity("indexes.synonyms");
            var clock = Stopwatch.StartNew();
            var before = _synonyms.NameCount;
            SynonymEdges edges;
            try
            {
                edges = await _synonyms.UpdateAsync(snapshot, embedder, _synonymOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A provider that fails (a remote one that is down) costs the edges of new names, not the query.
                LogSynonymsFailed(_logger, ex, snapshot.Generation);
                return;
            }

            // Holding the gate, no commit was applied meanwhile: the snapshot is still the current one.
            _snapshot = snapshot.WithSynonyms(edges);
            LogSynonyms(_logger, _synonyms.NameCount, _synonyms.NameCount - before, edges.Count, snapshot.Generation, clock.ElapsedMilliseconds);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>True when the snapshot's edges were made for its generation, with this model and these settings (a file may hold others).</summary>
    private bool SynonymsCurrent(GraphSnapshot snapshot, IEntityNameEmbedder embedder) =>
        snapshot.Synonyms.Generation == snapshot.Generation
        && _synonyms.ModelId == embedder.ModelId
        && _synonyms.Settings == SynonymIndex.Signature(_synonymOptions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Synonym edges were not brought to generation {Generation}; the last ones stay")]
    private static partial void LogSynonymsFailed(ILogger logger, Exception exception, long generation);

    [LoggerMessage(Level = LogLevel.Information, Message = "Synonym edges: {Names} names ({Change:+#;-#;0}), {Edges} edges at generation {Generation} in {Milliseconds} ms")]
    private static partial void LogSynonyms(ILogger logger, int names, int change, int edges, long generation, long milliseconds);
}
