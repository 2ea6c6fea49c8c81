using System.Runtime.CompilerServices;
using GraphRag.Graph.Traversal;

namespace GraphRag.Query.Security;

/// <summary>
/// A scope's visibility mask over a snapshot, built once per (snapshot, readable set): building one walks every
/// chunk, mention and relation, and the mask caches the caller's relation order that later traversals reuse, so a
/// query should not pay for one each time. Entries go with their snapshot.
/// </summary>
public static class Visibilities
{
    private static readonly ConditionalWeakTable<GraphSnapshot, ConditionalWeakTable<object, Lazy<Visibility>>> Masks = new();

    /// <summary>The mask for the scope; null (everything visible) without one.</summary>
    public static Visibility? For(GraphSnapshot snapshot, AccessScope? scope)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (scope is null)
        {
            return null;
        }

        var masks = Masks.GetValue(snapshot, _ => new ConditionalWeakTable<object, Lazy<Visibility>>());
        // AccessScopes hands out one readable set per caller kind and store generation; it is the mask's identity.
        // Lazy: concurrent first queries build the mask once between them, not once each.
        var key = (object?)scope.ReadableDocuments ?? scope;
        return masks.GetValue(key, _ => new Lazy<Visibility>(() => snapshot.CreateVisibility(scope.CanRead))).Value;
    }
}
