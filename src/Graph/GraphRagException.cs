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

/// <summary>
/// The store's vectors were made with another embedding model than the one configured: mixing them would rank
/// nonsense. Raised when the store is opened; <c>graphrag reembed</c> re-embeds every chunk with the configured model.
/// </summary>
public sealed class VectorModelMismatchException : GraphRagException
{
    public VectorModelMismatchException(string message)
        : base(message)
    {
    }

    public VectorModelMismatchException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public VectorModelMismatchException()
    {
    }

    /// <summary>The store's vectors are of <paramref name="stored"/>; the configuration asks for <paramref name="configured"/>.</summary>
    public VectorModelMismatchException(string location, Model.VectorModel stored, Model.VectorModel configured)
        : base($"The store '{location}' holds vectors of the embedding model {stored}, but {configured} is configured. " +
               "Run `graphrag reembed` to re-embed every chunk with the configured model, or configure the stored one.")
    {
        Stored = stored;
        Configured = configured;
    }

    /// <summary>The model the store's vectors were made with.</summary>
    public Model.VectorModel? Stored { get; }

    /// <summary>The model the store was opened with.</summary>
    public Model.VectorModel? Configured { get; }
}

/// <summary>No store where one was expected: the file does not exist and the caller did not ask to create it.</summary>
public sealed class StoreNotFoundException : GraphRagException
{
    public StoreNotFoundException(string location)
        : base($"No store at '{location}'.")
    {
        Location = location;
    }

    public StoreNotFoundException()
    {
        Location = string.Empty;
    }

    public StoreNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Location = string.Empty;
    }

    /// <summary>The path (or address) where the store was looked for.</summary>
    public string Location { get; }
}
