namespace GraphRag.Graph;

/// <summary>The root of the engine's own exceptions. The inner exception is always kept.</summary>
public class GraphRagException : Exception
{
    public GraphRagException()
    {
    }

    public GraphRagException(string message)
        : base(message)
    {
    }

    public GraphRagException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when retrying the same operation later may succeed (a busy database, a timed-out server).</summary>
    public bool IsTransient { get; init; }
}

/// <summary>Input that cannot be ingested: unreadable, malformed, over a limit. The batch goes on without it.</summary>
public sealed class InvalidInputException : GraphRagException
{
    public InvalidInputException(string message)
        : base(message)
    {
    }

    public InvalidInputException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public InvalidInputException()
    {
    }
}

/// <summary>The store is unusable: a newer schema than this build knows, a file that is not a GraphRag store.</summary>
public sealed class StoreException : GraphRagException
{
    public StoreException(string message)
        : base(message)
    {
    }

    public StoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public StoreException()
    {
    }
}
