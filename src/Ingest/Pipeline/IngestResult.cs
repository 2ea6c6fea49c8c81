namespace GraphRag.Ingest.Pipeline;

public enum IngestStatus
{
    Added,
    Replaced,
    Unchanged,
    Failed,
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
    public static IngestResult Failed(string source, string reason, string? documentId = null) =>
        new(source, documentId, IngestStatus.Failed, reason, 0, 0);
}

/// <summary>A running tally, reported after every document.</summary>
public sealed record IngestProgress(int FilesTotal, int FilesDone, int Documents, int Failed, long Characters);

/// <summary>Totals of a finished run.</summary>
public sealed record IngestSummary(int Added, int Replaced, int Unchanged, int Failed, long Characters, int Chunks)
{
    public int Documents => Added + Replaced + Unchanged;

    public static IngestSummary From(IEnumerable<IngestResult> results)
    {
        int added = 0, replaced = 0, unchanged = 0, failed = 0, chunks = 0;
        long characters = 0;
        foreach (var result in results)
        {
            switch (result.Status)
            {
                case IngestStatus.Added: added++; break;
                case IngestStatus.Replaced: replaced++; break;
                case IngestStatus.Unchanged: unchanged++; break;
                default: failed++; break;
            }

            characters += result.Characters;
            chunks += result.Chunks;
        }

        return new IngestSummary(added, replaced, unchanged, failed, characters, chunks);
    }
}
