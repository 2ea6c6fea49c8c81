using GraphRag.Graph;

namespace GraphRag.Llm;

/// <summary>
/// A language-model provider failed or is misconfigured. <see cref="GraphRagException.IsTransient"/> is set for rate
/// limits, server errors and timeouts, where the same call may succeed later.
/// </summary>
public class LlmException : GraphRagException
{
    public LlmException()
    {
    }

    public LlmException(string message)
        : base(message)
    {
    }

    public LlmException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status the provider answered with, when there was one.</summary>
    public int? StatusCode { get; init; }
}

/// <summary>
/// A call was refused before it was sent because it would take a run or a query past its token budget
/// (<c>GraphRag:Llm:Budget</c>). Nothing was spent on it.
/// </summary>
public sealed class LlmBudgetExceededException : LlmException
{
    public LlmBudgetExceededException()
    {
    }

    public LlmBudgetExceededException(string message)
        : base(message)
    {
    }

    public LlmBudgetExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Refused by <paramref name="scope"/>'s budget of <paramref name="budget"/> tokens.</summary>
    public LlmBudgetExceededException(string scope, long budget, long used, long needed)
        : base($"token budget of {budget} for this {scope} exhausted after {used} tokens (the next request needs up to {needed})")
    {
        Scope = scope;
        Budget = budget;
        Used = used;
        Needed = needed;
    }

    /// <summary>What the budget is for: <c>query</c>, <c>run</c>, or a name the caller gave its meter.</summary>
    public string? Scope { get; }

    public long Budget { get; }

    /// <summary>Tokens spent (or reserved by calls under way) when the call was refused.</summary>
    public long Used { get; }

    /// <summary>The refused call's prompt tokens plus its output limit.</summary>
    public long Needed { get; }
}
