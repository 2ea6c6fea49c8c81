using GraphRag.Graph.Abstractions;

namespace GraphRag.Api.Http;

/// <summary>Records audit entries in the store's append-only audit log, bounded as the log requires.</summary>
public sealed class StoreAuditSink(IAuditLog log, TimeProvider time) : IAuditSink
{
    public async Task RecordAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var details = (record.Details ?? new Dictionary<string, string>())
            .Take(AuditEntry.MaxDetails - 1)
            .ToDictionary(p => Bound(p.Key), p => Bound(p.Value), StringComparer.Ordinal);
        details["status"] = record.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await log.AppendAsync(
            new AuditEntry(0, time.GetUtcNow(), record.Principal, record.Action, record.Target, OutcomeOf(record.Status), details),
            cancellationToken);
    }

    private static string OutcomeOf(int status) => status switch
    {
        < 400 => "ok",
        401 or 403 => "denied",
        404 => "not_found",
        < 500 => "rejected",
        _ => "error",
    };

    private static string Bound(string value) =>
        value.Length <= AuditEntry.MaxDetailLength ? value : value[..(AuditEntry.MaxDetailLength - 1)] + "…";
}
