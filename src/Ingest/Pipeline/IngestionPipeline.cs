using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Privacy;
using GraphRag.Ingest.Readers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace GraphRag.Ingest.Pipeline;

/// <summary>
/// Readers → chunker → extractor → one writer. Files are read a few at a time in parallel, documents are chunked and
/// extracted in parallel, and a single writer stores them in input order, so a run's outcome never depends on thread
/// timing. Each document is written in its own transaction; a bad file or record is a failed result and the run goes on.
/// </summary>
public sealed partial class IngestionPipeline
{
    /// <summary>Spans for ingestion: each written batch.</summary>
    public static readonly ActivitySource Activity = new("GraphRag.Ingest");

    private const string FormatVersion = "pipeline/2";

    /// <summary>Reserved metadata key: the personal-data policy applied (<c>keep</c>, <c>mask</c>, <c>redact</c>).</summary>
    public const string PiiPolicyKey = "pii.policy";

    /// <summary>Reserved metadata key: how many pieces of personal data were found in the text, title and metadata.</summary>
    public const string PiiFoundKey = "pii.found";
    private const int MaxBatch = 256;

    /// <summary>The name of the store secret that keys id pseudonyms.</summary>
    public const string PseudonymKey = "pii-pseudonym";

    /// <summary>Formats with one document per record: streamed, so a large file never sits in memory whole.</summary>
    private static readonly HashSet<string> RecordExtensions = new(StringComparer.Ordinal) { ".jsonl", ".ndjson", ".json", ".csv", ".tsv" };

    private readonly IDocumentWriter _writer;
    private readonly IDocumentReader _store;
    private readonly FormatReaderRegistry _readers;
    private readonly IngestOptions _options;
    private readonly PiiDetector _pii;
    private readonly IDocumentStep[] _steps;
    private readonly IGraphExtractor _extractor;
    private readonly IStoreSecrets? _secrets;
    private readonly VectorModel? _vectorModel;
    private readonly IChunkVectorStore? _storedVectors;
    private readonly string _chunkerFingerprint;

    /// <param name="secrets">
    /// Where the personal-data pseudonym key lives (see <see cref="PiiPseudonymizer"/>); the writer when it keeps
    /// secrets. Without either, ids that contain personal data are refused under the mask and redact policies.
    /// </param>
    /// <param name="embeddings">Makes chunk vectors (of <see cref="IngestOptions.VectorModel"/>); null leaves embeddings off.</param>
    /// <param name="storedVectors">Where unchanged chunks' vectors are found again; the writer when it keeps vectors.</param>
    public IngestionPipeline(
        IDocumentWriter writer,
        IDocumentReader store,
        FormatReaderRegistry readers,
        Chunker chunker,
        IGraphExtractor extractor,
        IngestOptions options,
        IStoreSecrets? secrets = null,
        IEmbeddingGenerator<string, Embedding<float>>? embeddings = null,
        IChunkVectorStore? storedVectors = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(readers);
        ArgumentNullException.ThrowIfNull(chunker);
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(options);
        _writer = writer;
        _store = store;
        _readers = readers;
        _options = options;
        _pii = new PiiDetector(options.Pii);
        _secrets = secrets ?? writer as IStoreSecrets;
        if (embeddings is not null && options.VectorModel is null)
        {
            throw new ArgumentException("An embedding generator needs IngestOptions.VectorModel to name its model.", nameof(options));
        }

        _vectorModel = embeddings is null ? null : options.VectorModel;
        // Vectors of another model are another pipeline: switching models re-processes (and re-embeds) every document.
        _chunkerFingerprint = chunker.Fingerprint;
        _extractor = extractor;
        PipelineVersion = VersionFor(_vectorModel);
        _storedVectors = storedVectors ?? writer as IChunkVectorStore;
        var embed = new EmbedStep(embeddings, _storedVectors, _vectorModel, options.EmbeddingBatchSize);
        _steps = [new IdentityStep(_pii, PipelineVersion), new PersonalDataStep(_pii), new ChunkStep(chunker), new ExtractStep(extractor), embed];
    }

    /// <summary>The pipeline version of documents processed with these settings and vectors of <paramref name="model"/> (none: null).</summary>
    private string VersionFor(VectorModel? model) => model is null
        ? StableId.Hash(FormatVersion, _chunkerFingerprint, _extractor.Version, _pii.Fingerprint)[..16]
        : StableId.Hash(FormatVersion, _chunkerFingerprint, _extractor.Version, _pii.Fingerprint, "vectors", model.Id, model.Dimensions.ToString(CultureInfo.InvariantCulture))[..16];

    /// <summary>The steps before extraction: identity, personal data, chunking.</summary>
    private ArraySegment<IDocumentStep> StepsBeforeExtraction => new(_steps, 0, 3);

    /// <summary>Where per-document failures and written batches are logged; nothing is logged when null.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Fingerprint of chunking and extraction settings; stored with each document.</summary>
    public string PipelineVersion { get; }

    public IReadOnlyCollection<string> SupportedExtensions => _readers.SupportedExtensions;

    /// <summary>Ingests the files and folders, yielding one result per document (or per file that gave none).</summary>
    public IAsyncEnumerable<IngestResult> RunAsync(
        IReadOnlyList<string> paths,
        IProgress<IngestProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return RunAsync(new IngestRun { Paths = paths }, progress, cancellationToken);
    }

    /// <summary>
    /// Ingests a run's paths and files with its document defaults (ACL, metadata, personal-data policy), yielding one result per document
    /// (or per file that gave none).
    /// </summary>
    public async IAsyncEnumerable<IngestResult> RunAsync(
        IngestRun run,
        IProgress<IngestProgress>? progress = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var missing = new List<string>();
        var unmatched = new List<string>();
        var found = InputEnumerator.Enumerate(run.Paths, _readers.SupportedExtensions, _options.Include, _options.Exclude, missing, unmatched)
            .Concat(run.Files)
            .ToList();
        // Files found through paths are named from the store's corpus root, so an id never depends on how ingest was called.
        var root = await CorpusRoot.ResolveAsync(_secrets, found, record: true, cancellationToken).ConfigureAwait(false);
        var files = found.Select(f => CorpusRoot.Name(f, root)).ToList();
        foreach (var path in missing)
        {
            yield return IngestResult.Failed(path, "no such file or folder");
        }

        foreach (var pattern in unmatched)
        {
            yield return IngestResult.Failed($"include pattern '{pattern}'", "matched no file of a supported format in the folders given");
        }

        var defaults = await DefaultsAsync(run, cancellationToken).ConfigureAwait(false);
        // The run's writes are one load to a store that can take them faster so (the embedded store builds secondary
        // indexes once at the end of a load into an empty store); a store already holding documents is not asked.
        var bulk = defaults.Stored.Count == 0 && _writer is IBulkLoadWriter loads
            ? await loads.BeginBulkLoadAsync(cancellationToken).ConfigureAwait(false)
            : null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parallelism = Math.Max(1, _options.Parallelism);
        var ordered = Channel.CreateBounded<Task<IReadOnlyList<Prepared>>>(new BoundedChannelOptions(MaxBatch)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        var producer = Task.Run(() => ProduceAsync(files, defaults, ordered.Writer, parallelism, stop.Token), stop.Token);

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        int documents = 0, failed = 0;
        long characters = 0;
        try
        {
            var batch = new List<Prepared>();
            await foreach (var task in ordered.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                // Whatever is already processed joins this write: one transaction for many small documents.
                // Fill the batch with what is queued, waiting for in-order results as they finish: the store re-derives
                // touched entities and relations once per batch, so few large batches cost far less than many small ones.
                batch.AddRange(await task.ConfigureAwait(false));
                while (batch.Count < MaxBatch && ordered.Reader.TryRead(out var next))
                {
                    batch.AddRange(await next.ConfigureAwait(false));
                }

                IReadOnlyList<IngestResult> results;
                using (var activity = Activity.StartActivity("ingest.write"))
                {
                    activity?.SetTag("graphrag.documents", batch.Count);
                    results = await WriteAsync(batch, seen, stop.Token).ConfigureAwait(false);
                }

                if (Logger is { } logger)
                {
                    LogBatch(logger, batch.Count, results.Count(r => r.Status == IngestStatus.Failed));
                }

                for (var i = 0; i < results.Count; i++)
                {
                    var result = results[i];
                    if (result.Status == IngestStatus.NotProcessed)
                    {
                        // Counted by the caller from the results; the reason was logged once when the run stopped.
                    }
                    else if (result.Status == IngestStatus.Failed)
                    {
                        failed++;
                        if (Logger is { } failures)
                        {
                            // The source and reason only: a failed document's text never reaches the log.
                            LogFailed(failures, result.Source, result.Reason ?? "unknown");
                        }
                    }
                    else
                    {
                        documents++;
                        characters += result.Characters;
                    }

                    progress?.Report(new IngestProgress(files.Count, Math.Min(files.Count, batch[i].FileIndex + 1), documents, failed, characters));
                    yield return result;
                }

                batch.Clear();
            }

            await producer.ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The consumer stopped early or the run was cancelled; the producer's own work is abandoned.
            }

            if (bulk is not null)
            {
                await bulk.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>What a run stamps on its documents, with what the store already holds.</summary>
    private async Task<RunDefaults> DefaultsAsync(IngestRun run, CancellationToken cancellationToken)
    {
        var policy = run.PiiPolicy ?? _options.Pii.Policy;
        var pseudonyms = policy != PiiPolicy.Keep && _secrets is not null
            ? new PiiPseudonymizer(_pii, await _secrets.GetOrCreateSecretAsync(PseudonymKey, cancellationToken).ConfigureAwait(false))
            : null;
        // One read of what is stored lets unchanged documents skip chunking and extraction; the writer re-checks.
        var stored = await _store.GetDocumentStatesAsync(null, cancellationToken).ConfigureAwait(false);
        // Embeddings off against a store of vectors: its documents processed with vectors are not replaced, which would
        // write them back without theirs (documents new to the store are taken, and `reembed` gives them vectors).
        var vectors = _vectorModel is null && _storedVectors is not null
            ? await _storedVectors.GetVectorModelAsync(cancellationToken).ConfigureAwait(false)
            : null;
        return new RunDefaults(
            (run.Acl ?? [.. _options.Acl]).Order(StringComparer.Ordinal).Distinct(StringComparer.Ordinal).ToList(),
            run.Metadata,
            policy,
            pseudonyms,
            stored)
        {
            KeptVectors = vectors is null ? null : new KeptVectors(vectors, VersionFor(vectors)),
        };
    }

    /// <summary>
    /// What ingesting the run would send to a language model, without sending or writing anything (<c>ingest --llm
    /// --dry-run</c>): each document is read, identified, given its personal-data policy and chunked as a real run does
    /// it; a document that is stored unchanged costs nothing, and for the others the extractor
    /// (<see cref="IExtractionCostEstimator"/>) counts the prompts it would send, skipping chunks whose reply is cached.
    /// An extractor that sends nothing estimates nothing. One result per document, in input order.
    /// </summary>
    public async IAsyncEnumerable<IngestEstimate> EstimateAsync(IngestRun run, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var missing = new List<string>();
        var found = InputEnumerator.Enumerate(run.Paths, _readers.SupportedExtensions, _options.Include, _options.Exclude, missing)
            .Concat(run.Files)
            .ToList();
        // Named as the real run would name them, from the corpus root it would use; nothing is recorded.
        var root = await CorpusRoot.ResolveAsync(_secrets, found, record: false, cancellationToken).ConfigureAwait(false);
        var files = found.Select(f => CorpusRoot.Name(f, root)).ToList();
        foreach (var path in missing)
        {
            yield return IngestEstimate.Failed(path, "no such file or folder");
        }

        var defaults = await DefaultsAsync(run, cancellationToken).ConfigureAwait(false);
        var estimator = _extractor as IExtractionCostEstimator;
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var items = ReadStreamAsync(file, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    IngestEstimate? unreadable = null;
                    try
                    {
                        if (!await items.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (InvalidInputException ex)
                    {
                        unreadable = IngestEstimate.Failed(file.RelativePath, ex.Message);
                    }

                    if (unreadable is not null)
                    {
                        // As in a real run: the file fails in one line and the rest of the input goes on.
                        yield return unreadable;
                        break;
                    }

                    yield return await EstimateAsync(items.Current, defaults, estimator, seen, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                await items.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<IngestEstimate> EstimateAsync(
        ReadItem item, RunDefaults defaults, IExtractionCostEstimator? estimator, Dictionary<string, string> seen, CancellationToken cancellationToken)
    {
        if (item.Document is not { } read)
        {
            return IngestEstimate.Failed(item.Locator, item.Error ?? "unreadable record");
        }

        var draft = new DocumentDraft(read, defaults);
        foreach (var step in StepsBeforeExtraction)
        {
            draft = await step.RunAsync(draft, cancellationToken).ConfigureAwait(false);
            if (draft.Settled)
            {
                break;
            }
        }

        if (draft.Failure is { } failure)
        {
            return IngestEstimate.Failed(draft.Read.Source, failure, draft.Read.Id);
        }

        var document = draft.Stored;
        if (!seen.TryAdd(document.Id, document.Source))
        {
            return IngestEstimate.Failed(document.Source, $"duplicate document id '{document.Id}' (first read from {seen[document.Id]})", document.Id);
        }

        if (draft.Unchanged)
        {
            return new IngestEstimate(document.Source, document.Id, IngestStatus.Unchanged, null, 0, ExtractionCostEstimate.None);
        }

        var status = defaults.Stored.ContainsKey(document.Id) ? IngestStatus.Replaced : IngestStatus.Added;
        if (estimator is null)
        {
            return new IngestEstimate(document.Source, document.Id, status, null, draft.Chunks.Count, ExtractionCostEstimate.None);
        }

        var (view, chunks) = ExtractionView.Of(draft);
        var cost = await estimator.EstimateAsync(view, chunks, cancellationToken).ConfigureAwait(false);
        return new IngestEstimate(document.Source, document.Id, status, null, draft.Chunks.Count, cost);
    }

    /// <summary>Writes a batch in input order; the results line up with the batch.</summary>
    private async Task<IReadOnlyList<IngestResult>> WriteAsync(
        List<Prepared> batch, Dictionary<string, string> seen, CancellationToken cancellationToken)
    {
        var results = new IngestResult?[batch.Count];
        var toWrite = new List<int>();
        for (var i = 0; i < batch.Count; i++)
        {
            var prepared = batch[i];
            if (prepared.Failure is not null)
            {
                results[i] = prepared.Failure;
                continue;
            }

            var id = prepared.DocumentId!;
            if (!seen.TryAdd(id, prepared.Source))
            {
                results[i] = IngestResult.Failed(prepared.Source, $"duplicate document id '{id}' (first read from {seen[id]})", id);
            }
            else if (prepared.Bundle is null)
            {
                results[i] = new IngestResult(prepared.Source, id, IngestStatus.Unchanged, null, 0, prepared.Characters);
            }
            else
            {
                toWrite.Add(i);
            }
        }

        if (toWrite.Count > 0)
        {
            IReadOnlyList<WriteOutcome?> outcomes;
            string?[] errors = new string?[toWrite.Count];
            try
            {
                outcomes = (await _writer.UpsertManyAsync(toWrite.Select(i => batch[i].Bundle!).ToList(), cancellationToken).ConfigureAwait(false))
                    .Select(o => (WriteOutcome?)o).ToList();
            }
            // A busy store is no fault of the documents: the run stops with the transient error, so the caller retries.
            catch (Exception ex) when (ex is not (OperationCanceledException or GraphRagException { IsTransient: true }) && toWrite.Count == 1)
            {
                errors[0] = $"the store rejected it ({ex.GetType().Name}: {ex.Message})";
                outcomes = [null];
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or GraphRagException { IsTransient: true }))
            {
                // Find the document the store rejected; the others still go in, each on its own.
                var single = new WriteOutcome?[toWrite.Count];
                for (var j = 0; j < toWrite.Count; j++)
                {
                    try
                    {
                        single[j] = await _writer.UpsertAsync(batch[toWrite[j]].Bundle!, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception inner) when (inner is not (OperationCanceledException or GraphRagException { IsTransient: true }))
                    {
                        errors[j] = $"the store rejected it ({inner.GetType().Name}: {inner.Message})";
                    }
                }

                outcomes = single;
            }

            for (var j = 0; j < toWrite.Count; j++)
            {
                var prepared = batch[toWrite[j]];
                var work = prepared.Embedding ?? EmbeddingWork.None;
                var result = outcomes[j] switch
                {
                    WriteOutcome.Added => new IngestResult(prepared.Source, prepared.DocumentId, IngestStatus.Added, null, prepared.Bundle!.Chunks.Count, prepared.Characters),
                    WriteOutcome.Replaced => new IngestResult(prepared.Source, prepared.DocumentId, IngestStatus.Replaced, null, prepared.Bundle!.Chunks.Count, prepared.Characters),
                    WriteOutcome.Unchanged => new IngestResult(prepared.Source, prepared.DocumentId, IngestStatus.Unchanged, null, 0, prepared.Characters),
                    _ => IngestResult.Failed(prepared.Source, errors[j] ?? "not stored", prepared.DocumentId),
                };
                results[toWrite[j]] = result.Status == IngestStatus.Failed
                    ? result
                    : result with { EmbeddedChunks = work.Embedded, ReusedVectors = work.Reused, EmbeddingTime = work.Time };
            }
        }

        return results.Select(r => r!).ToList();
    }

    private async Task ProduceAsync(
        IReadOnlyList<SourceFile> files,
        RunDefaults defaults,
        ChannelWriter<Task<IReadOnlyList<Prepared>>> ordered,
        int parallelism,
        CancellationToken cancellationToken)
    {
        // At most `parallelism` files or records are parsed, chunked and extracted at once. Record files (JSONL, CSV)
        // stream here and fan their records out; other files are parsed whole on the pool.
        using var throttle = new SemaphoreSlim(parallelism);
        try
        {
            for (var index = 0; index < files.Count; index++)
            {
                var file = files[index];
                var fileIndex = index;
                if (!RecordExtensions.Contains(Path.GetExtension(file.FullPath).ToLowerInvariant()))
                {
                    await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
                    // No token for Task.Run: a task that never started would never release its slot.
                    var whole = Task.Run(async () =>
                    {
                        try
                        {
                            var items = await ReadFileAsync(file, cancellationToken).ConfigureAwait(false);
                            var prepared = new List<Prepared>(items.Count);
                            foreach (var item in items)
                            {
                                prepared.Add(await PrepareAsync(fileIndex, item, defaults, cancellationToken).ConfigureAwait(false));
                            }

                            return (IReadOnlyList<Prepared>)prepared;
                        }
                        catch (InvalidInputException ex)
                        {
                            return [Prepared.Failed(fileIndex, file.RelativePath, ex.Message)];
                        }
                        finally
                        {
                            throttle.Release();
                        }
                    });
                    await ordered.WriteAsync(whole, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    await foreach (var item in ReadStreamAsync(file, cancellationToken).ConfigureAwait(false))
                    {
                        await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
                        var one = Task.Run(async () =>
                        {
                            try
                            {
                                return (IReadOnlyList<Prepared>)[await PrepareAsync(fileIndex, item, defaults, cancellationToken).ConfigureAwait(false)];
                            }
                            finally
                            {
                                throttle.Release();
                            }
                        });
                        await ordered.WriteAsync(one, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (InvalidInputException ex)
                {
                    await ordered.WriteAsync(
                        Task.FromResult<IReadOnlyList<Prepared>>([Prepared.Failed(fileIndex, file.RelativePath, ex.Message)]), cancellationToken)
                        .ConfigureAwait(false);
                }
            }

            ordered.Complete();
        }
        catch (Exception ex)
        {
            ordered.TryComplete(ex);
            throw;
        }
        finally
        {
            // Let every started task finish before the throttle is disposed.
            for (var i = 0; i < parallelism; i++)
            {
                await throttle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task<List<ReadItem>> ReadFileAsync(SourceFile file, CancellationToken cancellationToken)
    {
        var items = new List<ReadItem>();
        await foreach (var item in ReadStreamAsync(file, cancellationToken).ConfigureAwait(false))
        {
            items.Add(item);
        }

        return items;
    }

    /// <summary>The reader's items, with any failure of the reader itself turned into <see cref="InvalidInputException"/>.</summary>
    private async IAsyncEnumerable<ReadItem> ReadStreamAsync(SourceFile file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!_readers.TryGetReader(file.FullPath, out var reader))
        {
            throw new InvalidInputException($"unsupported format '{Path.GetExtension(file.FullPath)}'");
        }

        var items = reader.ReadAsync(file, _options.Readers, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                ReadItem item;
                try
                {
                    if (!await items.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    item = items.Current;
                }
                catch (Exception ex) when (ex is not InvalidInputException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
                {
                    throw ex is IOException or UnauthorizedAccessException
                        ? new InvalidInputException($"cannot read file: {ex.Message}", ex)
                        // A reader bug or a library failure on hostile input: this file fails, the batch goes on.
                        : new InvalidInputException($"unreadable ({ex.GetType().Name}: {ex.Message})", ex);
                }

                yield return item;
            }
        }
        finally
        {
            await items.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs the steps over one item as read; the first step that settles its outcome ends the run.</summary>
    private async Task<Prepared> PrepareAsync(int fileIndex, ReadItem item, RunDefaults defaults, CancellationToken cancellationToken)
    {
        if (item.Document is not { } read)
        {
            return Prepared.Failed(fileIndex, item.Locator, item.Error ?? "unreadable record");
        }

        if (defaults.Stop.Reason is { } stopped)
        {
            return Prepared.NotProcessed(fileIndex, read.Source, stopped);
        }

        var draft = new DocumentDraft(read, defaults);
        try
        {
            foreach (var step in _steps)
            {
                draft = await step.RunAsync(draft, cancellationToken).ConfigureAwait(false);
                if (draft.Settled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ExtractionStoppedException ex)
        {
            // The run cannot go on: this document and every one not yet extracted are reported, nothing of them written.
            defaults.Stop.Set(ex.Message);
            if (Logger is { } logger)
            {
                LogStopped(logger, ex.Message);
            }

            return Prepared.NotProcessed(fileIndex, read.Source, defaults.Stop.Reason ?? ex.Message);
        }
        catch (Exception ex)
        {
            return Prepared.Failed(fileIndex, read.Source, $"processing failed ({ex.GetType().Name}: {ex.Message})", read.Id);
        }

        if (draft.Failure is { } failure)
        {
            return Prepared.Failed(fileIndex, draft.Read.Source, failure, draft.Read.Id);
        }

        var document = draft.Stored;
        return draft.Unchanged
            ? new Prepared(fileIndex, document.Source, document.Id, null, null, draft.Read.Text.Length)
            : new Prepared(fileIndex, document.Source, document.Id, Bundle(draft), null, document.Text.Length) { Embedding = draft.Embedding };
    }

    private DocumentBundle Bundle(DocumentDraft draft) => new(draft.Stored, draft.Chunks, draft.Graph, PipelineVersion)
    {
        Vectors = draft.Vectors,
        VectorModel = draft.Vectors.Count > 0 ? _vectorModel : null,
        ExtractionCache = draft.ExtractionCache,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Wrote a batch of {Documents} documents ({Failed} failed)")]
    private static partial void LogBatch(ILogger logger, int documents, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ingest {Source}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingestion stopped: {Reason}; the documents not yet extracted are not processed")]
    private static partial void LogStopped(ILogger logger, string reason);

    private sealed record Prepared(int FileIndex, string Source, string? DocumentId, DocumentBundle? Bundle, IngestResult? Failure, long Characters)
    {
        public EmbeddingWork? Embedding { get; init; }

        public static Prepared Failed(int fileIndex, string source, string reason, string? documentId = null) =>
            new(fileIndex, source, documentId, null, IngestResult.Failed(source, reason, documentId), 0);

        /// <summary>Not processed because the run stopped: reported with its source, never written.</summary>
        public static Prepared NotProcessed(int fileIndex, string source, string reason) =>
            new(fileIndex, source, null, null, IngestResult.NotProcessed(source, reason), 0);
    }
}
