namespace GraphRag.Graph.Rows;

/// <summary>
/// The listeners of a store's commits (<see cref="IChangeFeed"/>), told in commit order on the committing thread. A
/// store publishes after each commit, still under its write lock, so no listener sees two commits out of order.
/// </summary>
public sealed class ChangeFeed : IChangeFeed
{
    private readonly List<Action<CommittedChange>> _listeners = [];

    public void Subscribe(Action<CommittedChange> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_listeners)
        {
            _listeners.Add(listener);
        }
    }

    /// <summary>Tells every listener what one commit changed: it moved the store from <paramref name="before"/> to the next generation.</summary>
    public void Publish(long before, IReadOnlyCollection<string> removed, IReadOnlyList<Model.DocumentBundle> written)
    {
        Action<CommittedChange>[] listeners;
        lock (_listeners)
        {
            listeners = [.. _listeners];
        }

        var change = new CommittedChange(before, before + 1, removed, written);
        foreach (var listener in listeners)
        {
            listener(change);
        }
    }
}
