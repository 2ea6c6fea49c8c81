namespace GraphRag.Ingest.Pipeline;

public enum IngestStatus
{
    Added,
    Replaced,
    Unchanged,
    Failed,

    /// <summary>The run stopped before this document (a token budget was spent); nothing of it was written.</summary>
    NotProcessed,
}

/// <summary>What happened to one document (or one file that yielded none). Expected failures are results, not exceptions.</summary>
/// <param name="Source">The file or record locator.</param>
/// <param name="DocumentId">The document id when one was assigned.</param>
/// <param name="Status">The outcome.</param>
/// <param name="Reason">One line saying why, for failures.</param>
/// <param name="Chunks">Chunks written.</param>
/// <param name="Characters">Characters of normalised text processed.</param>
public sealed record IngestResult(string Source, string? DocumentId, IngestStatus Status, string? Reason, int Chunks, long Characters)
{
    /// <summary>Chunks the embedding generator embedded for this document.</summary>
    public int EmbeddedChunks { get; init; }

    /// <summary>Chunks that kept a stored vector because the text they embed was unchanged.</summary>
    public int ReusedVectors { get; init; }

    /// <summary>Time spent waiting for the embedding generator.</summary>
    public TimeSpan EmbeddingTime { get; init; }

    public static IngestResult Failed(string source, string reason, string? documentId = null) =>
        new(source, documentId, IngestStatus.Failed, reason, 0, 0);

    /// <summary>A document the run did not process because it stopped for <paramref name="reason"/>.</summary>
    public static IngestResult NotProcessed(string source, string reason) =>
        new(source, null, IngestStatus.NotProcessed, reason, 0, 0);
}

/// <summary>A running tally, reported after every document.</summary>
public sealed record IngestProgress(int FilesTotal, int FilesDone, int Documents, int Failed, long Characters);

/// <summary>Totals of a finished run.</summary>
public sealed record IngestSummary(int Added, int Replaced, int Unchanged, int Failed, long Characters, int Chunks)
{
    public int Documents => Added + Replaced + Unchanged;

    /// <summary>Chunks embedded by the generator.</summary>
    public int EmbeddedChunks { get; init; }

    /// <summary>Chunks whose stored vector was reused.</summary>
    public int ReusedVectors { get; init; }

    /// <summary>Time spent waiting for the embedding generator, summed over documents.</summary>
    public TimeSpan EmbeddingTime { get; init; }

    /// <summary>Documents the run did not process because it stopped (<see cref="StopReason"/>).</summary>
    public int NotProcessed { get; init; }

    /// <summary>Why the run stopped before its input ran out (a token budget was spent); null when it did not.</summary>
    public string? StopReason { get; init; }

    public static IngestSummary From(IEnumerable<IngestResult> results)
    {
        int added = 0, replaced = 0, unchanged = 0, failed = 0, chunks = 0, embedded = 0, reused = 0, notProcessed = 0;
        string? stopReason = null;
        long characters = 0;
        var embedding = TimeSpan.Zero;
        foreach (var result in results)
        {
            embedded += result.EmbeddedChunks;
            reused += result.ReusedVectors;
            embedding += result.EmbeddingTime;
            switch (result.Status)
            {
                case IngestStatus.Added: added++; break;
                case IngestStatus.Replaced: replaced++; break;
                case IngestStatus.Unchanged: unchanged++; break;
                case IngestStatus.NotProcessed:
                    notProcessed++;
                    stopReason ??= result.Reason;
                    break;
                default: failed++; break;
            }

            characters += result.Characters;
            chunks += result.Chunks;
        }

        return new IngestSummary(added, replaced, unchanged, failed, characters, chunks)
        {
            EmbeddedChunks = embedded,
            ReusedVectors = reused,
            EmbeddingTime = embedding,
            NotProcessed = notProcessed,
            StopReason = stopReason,
        };
    }
}

/// <summary>
/// What ingesting one document would do and send (<see cref="IngestionPipeline.EstimateAsync"/>): its outcome as a real
/// run would see it (added, replaced, unchanged, failed) and the language-model requests its extraction would make.
/// </summary>
/// <param name="Source">The file or record locator.</param>
/// <param name="DocumentId">The document id when one was assigned.</param>
/// <param name="Status">Added (new), Replaced (stored, but changed or made by other settings), Unchanged or Failed.</param>
/// <param name="Reason">Why it would fail, for failures.</param>
/// <param name="Chunks">Chunks it would be cut into (0 when unchanged or failed).</param>
/// <param name="Cost">The requests its extraction would make; none when nothing would be sent.</param>
public sealed record IngestEstimate(string Source, string? DocumentId, IngestStatus Status, string? Reason, int Chunks, Extraction.ExtractionCostEstimate Cost)
{
    public static IngestEstimate Failed(string source, string reason, string? documentId = null) =>
        new(source, documentId, IngestStatus.Failed, reason, 0, Extraction.ExtractionCostEstimate.None);
}
