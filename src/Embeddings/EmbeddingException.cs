using GraphRag.Graph;

namespace GraphRag.Embeddings;

/// <summary>
/// An embedding provider failed or is misconfigured. <see cref="GraphRagException.IsTransient"/> is set for
/// rate limits, server errors and timeouts, where the same call may succeed later.
/// </summary>
public sealed class EmbeddingException : GraphRagException
{
    public EmbeddingException()
    {
    }

    public EmbeddingException(string message)
        : base(message)
    {
    }

    public EmbeddingException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status the provider answered with, when there was one.</summary>
    public int? StatusCode { get; init; }
}
