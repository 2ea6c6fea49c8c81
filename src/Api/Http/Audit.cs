namespace GraphRag.Api.Http;

/// <summary>
/// Where the server records who did what and when: queries and document changes. Entries carry ids, counts and
/// outcomes, never document text.
/// </summary>
public interface IAuditSink
{
    Task RecordAsync(AuditRecord record, CancellationToken cancellationToken = default);
}

/// <param name="Principal">Who.</param>
/// <param name="Action">What: <c>query</c>, <c>document.upload</c>, <c>document.delete</c>, <c>ingest-job.create</c> …</param>
/// <param name="Target">The document id, job id or route acted on.</param>
/// <param name="Status">The HTTP status answered.</param>
/// <param name="Details">Small facts (mode, counts, cited document ids); never document text.</param>
public sealed record AuditRecord(string Principal, string Action, string Target, int Status, IReadOnlyDictionary<string, string>? Details = null);
