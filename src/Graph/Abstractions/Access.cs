namespace GraphRag.Graph.Abstractions;

/// <summary>Every document's ACL, read in one go so a caller's readable set can be computed and cached.</summary>
public interface IAccessIndex
{
    /// <summary>The store's generation and each document's ACL, read consistently.</summary>
    Task<DocumentAccessList> GetAccessListAsync(CancellationToken cancellationToken = default);

    /// <summary>The store's generation: it changes whenever any document is written or deleted.</summary>
    Task<long> GetGenerationAsync(CancellationToken cancellationToken = default);
}

/// <summary>Document ACLs as of one store generation.</summary>
public sealed record DocumentAccessList(long Generation, IReadOnlyList<DocumentAccess> Documents);

/// <param name="PiiPolicy">The document's personal-data policy (metadata <c>pii.policy</c>), null when none was recorded.</param>
/// <param name="Sensitive">Its personal-data spans (see <see cref="Model.Document.Sensitive"/>); null when never recorded.</param>
public sealed record DocumentAccess(
    string DocumentId, IReadOnlyList<string> Acl, string? PiiPolicy = null, IReadOnlyList<Model.SensitiveSpan>? Sensitive = null);
