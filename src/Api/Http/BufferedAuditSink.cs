using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace GraphRag.Api.Http;

/// <summary>
/// Takes audit records off the request path: requests enqueue, one background writer appends to the inner sink. The
/// store serialises writes, so writing inline would make every query wait for a running ingest batch. The queue is
/// bounded; when it is full requests wait rather than drop a record. Disposing drains what is queued.
/// </summary>
internal sealed partial class BufferedAuditSink : IAuditSink, IAsyncDisposable
{
    private readonly IAuditSink _inner;
    private readonly ILogger _logger;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(10_000) { SingleReader = true });
    private readonly Task _writer;

    public BufferedAuditSink(IAuditSink inner, ILogger logger)
    {
        _inner = inner;
        _logger = logger;
        _writer = Task.Run(WriteAsync);
    }

    public Task RecordAsync(AuditRecord record, CancellationToken cancellationToken = default) =>
        _queue.Writer.WriteAsync(new Pending(record, null), cancellationToken).AsTask();

    /// <summary>Completes when every record enqueued before the call is written.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new Pending(null, done), cancellationToken);
        await done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteAsync()
    {
        await foreach (var pending in _queue.Reader.ReadAllAsync())
        {
            if (pending.Flushed is { } flushed)
            {
                flushed.TrySetResult();
                continue;
            }

            try
            {
                await _inner.RecordAsync(pending.Record!, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogFailed(_logger, ex, pending.Record!.Action, pending.Record.Principal);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write the audit record {Action} by {Principal}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string action, string principal);

    private sealed record Pending(AuditRecord? Record, TaskCompletionSource? Flushed);
}
