using System.Collections.Concurrent;

namespace GraphRag.Llm.Tests;

/// <summary>
/// A clock whose timers fire at once and remember what they were asked to wait: retry back-off is checked by the
/// delays it asked for, without waiting them.
/// </summary>
public sealed class InstantTimeProvider : TimeProvider
{
    public ConcurrentQueue<TimeSpan> Waits { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Waits.Enqueue(dueTime);
        var timer = new Fired();
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return timer;
    }

    private sealed class Fired : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
