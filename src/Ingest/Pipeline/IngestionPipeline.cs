using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Pipeline;

/// <summary>
/// Readers → chunker → extractor → one writer. Files are read a few at a time in parallel, documents are chunked and
/// extracted in parallel, and a single writer stores them in input order, so a run's outcome never depends on thread
/// timing. Each document is written in its own transaction; a bad file or record is a failed result and the run goes on.
/// </summary>
public sealed class IngestionPipeline
{
    private const string FormatVersion = "pipeline/1";

    private readonly IDocumentWriter _writer;
    private readonly IDocumentReader _store;
    private readonly Dictionary<string, IFormatReader> _readers;
    private readonly Chunker _chunker;
    private readonly IGraphExtractor _extractor;
    private readonly IngestOptions _options;

    public IngestionPipeline(
        IDocumentWriter writer,
        IDocumentReader store,
        IEnumerable<IFormatReader> readers,
        Chunker chunker,
        IGraphExtractor extractor,
        IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(readers);
        ArgumentNullException.ThrowIfNull(chunker);
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(options);
        _writer = writer;
        _store = store;
        _readers = new Dictionary<string, IFormatReader>(StringComparer.Ordinal);
        foreach (var reader in readers)
        {
            foreach (var extension in reader.Extensions)
            {
                _readers[extension] = reader;
            }
        }

        _chunker = chunker;
        _extractor = extractor;
        _options = options;
        PipelineVersion = StableId.Hash(FormatVersion, chunker.Fingerprint, extractor.Version)[..16];
    }

    /// <summary>Fingerprint of chunking and extraction settings; stored with each document.</summary>
    public string PipelineVersion { get; }

    public IReadOnlyCollection<string> SupportedExtensions => _readers.Keys;

    /// <summary>Ingests the files and folders, yielding one result per document (or per file that gave none).</summary>
    public async IAsyncEnumerable<IngestResult> RunAsync(
        IReadOnlyList<string> paths,
        IProgress<IngestProgress>? progress = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var missing = new List<string>();
        var files = InputEnumerator.Enumerate(paths, _readers.Keys, _options.Include, _options.Exclude, missing);
        foreach (var path in missing)
        {
            yield return IngestResult.Failed(path, "no such file or folder");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parallelism = Math.Max(1, _options.Parallelism);
        var ordered = Channel.CreateBounded<Task<Prepared>>(new BoundedChannelOptions(parallelism * 4)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        var producer = Task.Run(() => ProduceAsync(files, ordered.Writer, parallelism, progress, stop.Token), stop.Token);

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        int documents = 0, failed = 0;
        long characters = 0;
        try
        {
            await foreach (var task in ordered.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                var prepared = await task.ConfigureAwait(false);
                var result = await WriteAsync(prepared, seen, stop.Token).ConfigureAwait(false);
                if (result.Status == IngestStatus.Failed)
                {
                    failed++;
                }
                else
                {
                    documents++;
                    characters += result.Characters;
                }

                progress?.Report(new IngestProgress(files.Count, Math.Min(files.Count, prepared.FileIndex + 1), documents, failed, characters));
                yield return result;
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
        }
    }

    private async Task<IngestResult> WriteAsync(Prepared prepared, Dictionary<string, string> seen, CancellationToken cancellationToken)
    {
        if (prepared.Failure is not null)
        {
            return prepared.Failure;
        }

        var id = prepared.DocumentId!;
        if (!seen.TryAdd(id, prepared.Source))
        {
            return IngestResult.Failed(prepared.Source, $"duplicate document id '{id}' (first read from {seen[id]})", id);
        }

        if (prepared.Bundle is null)
        {
            return new IngestResult(prepared.Source, id, IngestStatus.Unchanged, null, 0, prepared.Characters);
        }

        var outcome = await _writer.UpsertAsync(prepared.Bundle, cancellationToken).ConfigureAwait(false);
        var status = outcome switch
        {
            WriteOutcome.Added => IngestStatus.Added,
            WriteOutcome.Replaced => IngestStatus.Replaced,
            _ => IngestStatus.Unchanged,
        };
        return new IngestResult(prepared.Source, id, status, null, status == IngestStatus.Unchanged ? 0 : prepared.Bundle.Chunks.Count, prepared.Characters);
    }

    private async Task ProduceAsync(
        IReadOnlyList<SourceFile> files,
        ChannelWriter<Task<Prepared>> ordered,
        int parallelism,
        IProgress<IngestProgress>? progress,
        CancellationToken cancellationToken)
    {
        // Reading runs ahead by a few files; processing of each document runs on the pool, bounded by the throttle.
        using var throttle = new SemaphoreSlim(parallelism);
        var reads = new Queue<(int Index, SourceFile File, Task<List<ReadItem>> Items)>();
        var next = 0;
        try
        {
            while (next < files.Count || reads.Count > 0)
            {
                while (next < files.Count && reads.Count < parallelism)
                {
                    var file = files[next];
                    reads.Enqueue((next, file, Task.Run(() => ReadFileAsync(file, cancellationToken), cancellationToken)));
                    next++;
                }

                var (index, current, items) = reads.Dequeue();
                List<ReadItem> read;
                try
                {
                    read = await items.ConfigureAwait(false);
                }
                catch (InvalidInputException ex)
                {
                    await ordered.WriteAsync(Task.FromResult(Prepared.Failed(index, current.RelativePath, ex.Message)), cancellationToken)
                        .ConfigureAwait(false);
                    continue;
                }

                foreach (var item in read)
                {
                    await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
                    // No token for Task.Run: a task that never started would never release its slot.
                    var task = Task.Run(async () =>
                    {
                        try
                        {
                            return await PrepareAsync(index, item, cancellationToken).ConfigureAwait(false);
                        }
                        finally
                        {
                            throttle.Release();
                        }
                    });
                    await ordered.WriteAsync(task, cancellationToken).ConfigureAwait(false);
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
            // Let every queued processing task finish before the throttle is disposed.
            while (reads.Count > 0)
            {
                try
                {
                    await reads.Dequeue().Items.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Already reported or cancelled.
                }
            }

            for (var i = 0; i < parallelism; i++)
            {
                await throttle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task<List<ReadItem>> ReadFileAsync(SourceFile file, CancellationToken cancellationToken)
    {
        var extension = Path.GetExtension(file.FullPath).ToLowerInvariant();
        if (!_readers.TryGetValue(extension, out var reader))
        {
            throw new InvalidInputException($"unsupported format '{extension}'");
        }

        var items = new List<ReadItem>();
        try
        {
            await foreach (var item in reader.ReadAsync(file, _options.Readers, cancellationToken).ConfigureAwait(false))
            {
                items.Add(item);
            }
        }
        catch (InvalidInputException)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot read file: {ex.Message}", ex);
        }
        catch (Exception ex)
        {
            // A reader bug or an unexpected library failure on hostile input: this file fails, the batch goes on.
            throw new InvalidInputException($"unreadable ({ex.GetType().Name}: {ex.Message})", ex);
        }

        return items;
    }

    private async Task<Prepared> PrepareAsync(int fileIndex, ReadItem item, CancellationToken cancellationToken)
    {
        if (item.Document is not { } parsed)
        {
            return Prepared.Failed(fileIndex, item.Locator, item.Error ?? "unreadable record");
        }

        try
        {
            var document = new Document
            {
                Id = parsed.Id,
                Source = parsed.Source,
                Title = parsed.Title,
                MediaType = parsed.MediaType,
                Text = parsed.Text,
                Metadata = parsed.Metadata,
                Regions = parsed.Regions,
                Acl = _options.Acl.Order(StringComparer.Ordinal).Distinct(StringComparer.Ordinal).ToList(),
                ContentHash = ContentHash(parsed, _options.Acl),
            };
            if (document.Text.Length == 0)
            {
                return Prepared.Failed(fileIndex, parsed.Source, "no text", parsed.Id);
            }

            var state = await _store.GetDocumentStateAsync(document.Id, cancellationToken).ConfigureAwait(false);
            if (state is not null && state.ContentHash == document.ContentHash && state.PipelineVersion == PipelineVersion)
            {
                return new Prepared(fileIndex, parsed.Source, document.Id, null, null, document.Text.Length);
            }

            var chunks = _chunker.Chunk(document);
            var graph = _extractor.Extract(document, chunks, cancellationToken);
            var bundle = new DocumentBundle(document, chunks, graph, PipelineVersion);
            return new Prepared(fileIndex, parsed.Source, document.Id, bundle, null, document.Text.Length);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return Prepared.Failed(fileIndex, parsed.Source, $"processing failed ({ex.GetType().Name}: {ex.Message})", parsed.Id);
        }
    }

    /// <summary>Identifies a document version: text, title, source, media type, metadata and ACL.</summary>
    private static string ContentHash(ParsedDocument document, IEnumerable<string> acl)
    {
        var parts = new List<string> { document.Text, document.Title, document.Source, document.MediaType };
        parts.AddRange(document.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
        parts.Add("acl");
        parts.AddRange(acl.Order(StringComparer.Ordinal).Distinct(StringComparer.Ordinal));
        parts.Add(document.Regions.Count.ToString(CultureInfo.InvariantCulture));
        return StableId.Hash([.. parts]);
    }

    private sealed record Prepared(int FileIndex, string Source, string? DocumentId, DocumentBundle? Bundle, IngestResult? Failure, long Characters)
    {
        public static Prepared Failed(int fileIndex, string source, string reason, string? documentId = null) =>
            new(fileIndex, source, documentId, null, IngestResult.Failed(source, reason, documentId), 0);
    }
}
