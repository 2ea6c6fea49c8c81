using System.Text;
using System.Text.Json;
using GraphRag.Graph;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Extraction;

/// <summary>What one throughput measurement saw: the best round after a warm-up, on <see cref="Parallelism"/> workers.</summary>
/// <param name="Documents">Documents extracted per round.</param>
/// <param name="Characters">Characters of normalised text per round.</param>
/// <param name="Utf8Bytes">The same text in UTF-8 bytes: the "MB" of MB/s.</param>
/// <param name="Elapsed">Wall-clock time of the fastest round.</param>
/// <param name="Parallelism">Workers that extracted documents at once.</param>
public sealed record ExtractionThroughputResult(
    int Documents,
    long Characters,
    long Utf8Bytes,
    TimeSpan Elapsed,
    int Rounds,
    int Entities,
    int Mentions,
    int Relations,
    int Parallelism = 1)
{
    public double MegabytesPerSecond => Elapsed <= TimeSpan.Zero ? 0 : Utf8Bytes / 1e6 / Elapsed.TotalSeconds;

    public override string ToString() =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{Documents} documents, {Utf8Bytes / 1e6:F2} MB in {Elapsed.TotalMilliseconds:F0} ms: {MegabytesPerSecond:F2} MB/s ({Entities} entities, {Mentions} mentions, {Relations} relations; best of {Rounds})");
}

/// <summary>
/// Measures extraction throughput on one core or several, for the CLI's <c>bench</c> command and for reports. This is a
/// measurement, not a test: nothing asserts on time.
/// </summary>
public static class ExtractionThroughput
{
    /// <summary>Reads a <c>corpus.jsonl</c> (<c>{"id","title","text"}</c> per line) and measures <paramref name="extractor"/> on it.</summary>
    public static async Task<ExtractionThroughputResult> MeasureAsync(
        IGraphExtractor extractor,
        string corpusJsonlPath,
        int rounds = 3,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        var documents = await ReadCorpusAsync(corpusJsonlPath, cancellationToken).ConfigureAwait(false);
        return Measure(extractor, documents, rounds, timeProvider, cancellationToken);
    }

    /// <summary>Extracts every document once to warm up, then <paramref name="rounds"/> more times; reports the fastest round.</summary>
    public static ExtractionThroughputResult Measure(
        IGraphExtractor extractor,
        IReadOnlyList<Document> documents,
        int rounds = 3,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return Measure(extractor, documents, documents.Select(WholeDocumentChunk).ToArray(), parallelism: 1, rounds, timeProvider, cancellationToken);
    }

    /// <summary>
    /// Extracts every document with its <paramref name="chunks"/> (as ingestion chunked it) once to warm up, then
    /// <paramref name="rounds"/> more times, on <paramref name="parallelism"/> workers; reports the fastest round.
    /// </summary>
    public static ExtractionThroughputResult Measure(
        IGraphExtractor extractor,
        IReadOnlyList<Document> documents,
        IReadOnlyList<IReadOnlyList<Chunk>> chunks,
        int parallelism,
        int rounds = 3,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentOutOfRangeException.ThrowIfNotEqual(chunks.Count, documents.Count, nameof(chunks));
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var clock = timeProvider ?? TimeProvider.System;
        long characters = 0, bytes = 0;
        foreach (var document in documents)
        {
            characters += document.Text.Length;
            bytes += Encoding.UTF8.GetByteCount(document.Text);
        }

        int entities = 0, mentions = 0, relations = 0;
        Run(extractor, documents, chunks, parallelism, graph =>
        {
            Interlocked.Add(ref entities, graph.Entities.Count);
            Interlocked.Add(ref mentions, graph.Mentions.Count);
            Interlocked.Add(ref relations, graph.Relations.Count);
        }, cancellationToken);

        var best = TimeSpan.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            // Every round starts on a collected heap, so one round does not pay for the garbage of the one before.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var started = clock.GetTimestamp();
            Run(extractor, documents, chunks, parallelism, null, cancellationToken);
            var elapsed = clock.GetElapsedTime(started);
            if (elapsed < best)
            {
                best = elapsed;
            }
        }

        return new ExtractionThroughputResult(documents.Count, characters, bytes, best, rounds, entities, mentions, relations, parallelism);
    }

    private static void Run(
        IGraphExtractor extractor,
        IReadOnlyList<Document> documents,
        IReadOnlyList<IReadOnlyList<Chunk>> chunks,
        int parallelism,
        Action<DocumentGraph>? tally,
        CancellationToken cancellationToken)
    {
        if (parallelism == 1)
        {
            for (var i = 0; i < documents.Count; i++)
            {
                var graph = extractor.Extract(documents[i], chunks[i], cancellationToken);
                tally?.Invoke(graph);
            }

            return;
        }

        // Dynamic range partitioning: workers take the next documents as they finish, so long documents do not idle one.
        Parallel.For(
            0,
            documents.Count,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            i =>
            {
                var graph = extractor.Extract(documents[i], chunks[i], cancellationToken);
                tally?.Invoke(graph);
            });
    }

    /// <summary>Reads <c>{"id","title","text"}</c> JSON lines into documents with normalised text.</summary>
    public static async Task<IReadOnlyList<Document>> ReadCorpusAsync(string corpusJsonlPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(corpusJsonlPath);
        var documents = new List<Document>();
        var line = 0;
        await foreach (var text in File.ReadLinesAsync(corpusJsonlPath, cancellationToken).ConfigureAwait(false))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            var id = root.TryGetProperty("id", out var idValue) ? idValue.GetString() : null;
            var body = root.TryGetProperty("text", out var textValue) ? textValue.GetString() : null;
            if (string.IsNullOrEmpty(body))
            {
                throw new InvalidInputException($"{corpusJsonlPath}:{line} has no \"text\".");
            }

            var normalised = TextNormalizer.Normalize(body);
            documents.Add(new Document
            {
                Id = string.IsNullOrEmpty(id) ? FormattableString.Invariant($"{Path.GetFileName(corpusJsonlPath)}#{line}") : id,
                Source = corpusJsonlPath,
                Title = root.TryGetProperty("title", out var title) ? title.GetString() ?? string.Empty : string.Empty,
                MediaType = "application/jsonl",
                Text = normalised,
                ContentHash = StableId.Hash(normalised),
            });
        }

        return documents;
    }

    private static Chunk[] WholeDocumentChunk(Document document) =>
    [
        new Chunk
        {
            Id = StableId.Create("chk", document.Id, "0"),
            DocumentId = document.Id,
            Ordinal = 0,
            Text = document.Text,
            Start = 0,
            End = document.Text.Length,
            TokenCount = 0,
        },
    ];
}
