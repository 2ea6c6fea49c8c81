using System.ClientModel.Primitives;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace GraphRag.Llm;

/// <summary>
/// Retries 408, 429 and 5xx answers and network failures (the pipeline's own classification) with exponential back-off
/// and jitter, except that a server that says when to come back — <c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c> or
/// <c>Retry-After</c> in seconds or as a date — is waited for exactly that long. Every wait is capped at
/// <c>MaxRetryDelaySeconds</c>; a server that asks for longer is not retried, so the caller gets a clear error now
/// rather than a request that hangs. Each retry is logged. Waits run on the given <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class LlmRetryPolicy : ClientRetryPolicy
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(0.5);

    private readonly int _maxRetries;
    private readonly TimeSpan _maxDelay;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _target;

    public LlmRetryPolicy(int maxRetries, TimeSpan maxDelay, TimeProvider time, ILogger logger, string target)
        : base(maxRetries)
    {
        _maxRetries = maxRetries;
        _maxDelay = maxDelay;
        _time = time;
        _logger = logger;
        _target = target;
    }

    protected override bool ShouldRetry(PipelineMessage message, Exception? exception)
    {
        if (!base.ShouldRetry(message, exception))
        {
            return false;
        }

        if (ServerDelay(message.Response, _time) is { } asked && asked > _maxDelay)
        {
            LogNotRetrying(_logger, _target, message.Response?.Status ?? 0, asked.TotalSeconds, _maxDelay.TotalSeconds);
            return false;
        }

        return true;
    }

    protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount)
    {
        // The retries made so far, counted on the message (the pipeline's own count is not public).
        var retry = message.TryGetProperty(typeof(LlmRetryPolicy), out var count) && count is int done ? done + 1 : 1;
        message.SetProperty(typeof(LlmRetryPolicy), retry);
        var asked = ServerDelay(message.Response, _time);
        var delay = asked ?? Backoff(retry - 1);
        if (delay > _maxDelay)
        {
            delay = _maxDelay;
        }

        LogRetrying(
            _logger,
            _target,
            message.Response is { } response ? response.Status.ToString(CultureInfo.InvariantCulture) : "no response",
            retry,
            _maxRetries,
            Math.Round(delay.TotalMilliseconds),
            asked is null ? "back-off" : "the server's Retry-After");
        return delay;
    }

    protected override Task WaitAsync(TimeSpan time, CancellationToken cancellationToken) => Task.Delay(time, _time, cancellationToken);

    protected override void Wait(TimeSpan time, CancellationToken cancellationToken) =>
        Task.Delay(time, _time, cancellationToken).GetAwaiter().GetResult();

    /// <summary>0.5 s, 1 s, 2 s, … with ±20 % jitter so clients that failed together do not retry together.</summary>
    private static TimeSpan Backoff(int retry) =>
        TimeSpan.FromMilliseconds(FirstBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(retry, 16)) * (0.8 + (0.4 * Random.Shared.NextDouble())));

    /// <summary>How long the server asked the client to wait, or null when it did not say.</summary>
    internal static TimeSpan? ServerDelay(PipelineResponse? response, TimeProvider time)
    {
        if (response is null)
        {
            return null;
        }

        foreach (var header in (string[])["retry-after-ms", "x-ms-retry-after-ms"])
        {
            if (response.Headers.TryGetValue(header, out var ms)
                && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
            {
                return TimeSpan.FromMilliseconds(milliseconds);
            }
        }

        if (!response.Headers.TryGetValue("Retry-After", out var value) || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? (at - time.GetUtcNow()) is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero
            : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Language model at {Target} answered {Status}; retry {Retry} of {MaxRetries} in {DelayMilliseconds} ms ({Reason})")]
    private static partial void LogRetrying(ILogger logger, string target, string status, int retry, int maxRetries, double delayMilliseconds, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Language model at {Target} answered {Status} and asked to wait {AskedSeconds} s, over the cap of {MaxSeconds} s: not retrying")]
    private static partial void LogNotRetrying(ILogger logger, string target, int status, double askedSeconds, double maxSeconds);
}
