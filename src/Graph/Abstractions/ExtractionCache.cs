namespace GraphRag.Graph.Abstractions;

/// <summary>
/// Language-model replies a store keeps with its documents (<see cref="Model.DocumentBundle.ExtractionCache"/>), found
/// again by key: text that was sent once, under the same model and prompt version, is never sent again while a
/// document still holds it.
/// </summary>
public interface IExtractionCache
{
    /// <summary>The stored reply of each key that has one; absent keys are missing from the result.</summary>
    Task<IReadOnlyDictionary<string, string>> GetExtractionRepliesAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);
}
