using GraphRag.Graph.Model;

namespace GraphRag.Llm;

/// <summary>
/// Adds up what calls cost and keeps them within an optional token budget. Thread-safe: calls under way reserve their
/// worst case (prompt tokens plus output limit) first, so concurrent calls cannot together overspend, and settle with
/// what they actually used.
/// </summary>
public sealed class LlmUsageMeter
{
    private readonly Lock _lock = new();
    private LlmUsage _usage = LlmUsage.None;
    private long _reserved;

    /// <param name="scope">What the budget is for, as error messages name it: <c>query</c>, <c>run</c>, <c>document</c>.</param>
    /// <param name="budget">The most tokens (input and output) it may spend; null for no limit.</param>
    public LlmUsageMeter(string scope, long? budget = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        if (budget is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(budget), budget, "A token budget is at least 1.");
        }

        Scope = scope;
        Budget = budget;
    }

    public string Scope { get; }

    public long? Budget { get; }

    /// <summary>What settled calls cost so far.</summary>
    public LlmUsage Usage
    {
        get
        {
            lock (_lock)
            {
                return _usage;
            }
        }
    }

    /// <summary>
    /// Sets aside <paramref name="tokens"/> for a call about to be sent, or throws <see cref="LlmBudgetExceededException"/>
    /// when spent and reserved tokens plus these would pass the budget.
    /// </summary>
    public void Reserve(long tokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        lock (_lock)
        {
            var committed = _usage.TotalTokens + _reserved;
            if (Budget is { } budget && committed + tokens > budget)
            {
                throw new LlmBudgetExceededException(Scope, budget, committed, tokens);
            }

            _reserved += tokens;
        }
    }

    /// <summary>Replaces a reservation with what the call used (<paramref name="usage"/>; None when it failed before any reply).</summary>
    public void Settle(long reserved, LlmUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        lock (_lock)
        {
            _reserved = Math.Max(0, _reserved - reserved);
            _usage = _usage.Add(usage);
        }
    }
}

/// <summary>
/// The meters the calls of the current logical flow are charged to, innermost first (a planner step, its query). Begin
/// one around work whose spending should be counted and bounded apart — a query, a document — and every metered chat
/// client call inside it, at any depth, is reserved against and charged to it and to the scopes around it.
/// </summary>
public static class LlmUsageScope
{
    private static readonly AsyncLocal<Frame?> CurrentFrame = new();

    /// <summary>The meters in force, innermost first.</summary>
    public static IReadOnlyList<LlmUsageMeter> Current
    {
        get
        {
            var meters = new List<LlmUsageMeter>();
            for (var frame = CurrentFrame.Value; frame is not null; frame = frame.Parent)
            {
                meters.Add(frame.Meter);
            }

            return meters;
        }
    }

    /// <summary>Charges the calls made until the returned handle is disposed to <paramref name="meter"/> as well.</summary>
    public static IDisposable Begin(LlmUsageMeter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        var frame = new Frame(meter, CurrentFrame.Value);
        CurrentFrame.Value = frame;
        return frame;
    }

    private sealed class Frame(LlmUsageMeter meter, Frame? parent) : IDisposable
    {
        public LlmUsageMeter Meter { get; } = meter;

        public Frame? Parent { get; } = parent;

        public void Dispose()
        {
            if (ReferenceEquals(CurrentFrame.Value, this))
            {
                CurrentFrame.Value = Parent;
            }
        }
    }
}
