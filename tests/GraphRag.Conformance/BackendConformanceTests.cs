using GraphRag.Graph.Abstractions;

namespace GraphRag.Conformance;

/// <summary>
/// The base of every per-test conformance suite. A backend's test project subclasses a suite and supplies
/// <see cref="CreateBackendAsync"/> (and, when the backend can, <see cref="OpenSecondInstanceAsync"/>); each test asks
/// for the stores it needs by name and every backend opened is disposed after the test.
/// </summary>
public abstract class BackendConformanceTests : IAsyncLifetime
{
    private readonly OpenedBackends _opened = new();

    /// <summary>
    /// A fresh, empty store of the backend under test. <paramref name="name"/> tells apart the stores one test asks
    /// for ("shared", "private"): each name is an independent store. The suite disposes what this returns.
    /// </summary>
    protected abstract Task<IGraphBackend> CreateBackendAsync(string name);

    /// <summary>
    /// A second backend instance over the store created earlier under <paramref name="name"/>, as another process
    /// would open it: it shares the stored data but none of the first instance's memory. Null (the default) when the
    /// backend cannot do that; the tests that need it then check nothing and pass.
    /// </summary>
    protected virtual Task<IGraphBackend?> OpenSecondInstanceAsync(string name) => Task.FromResult<IGraphBackend?>(null);

    /// <summary>Creates the named store; it is disposed when the test ends.</summary>
    protected Task<IGraphBackend> NewBackendAsync(string name) => _opened.TrackAsync(CreateBackendAsync(name));

    /// <summary>A second instance over the named store (disposed when the test ends), or null when unsupported.</summary>
    protected async Task<IGraphBackend?> SecondInstanceAsync(string name) =>
        await OpenSecondInstanceAsync(name) is { } backend ? _opened.Track(backend) : null;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Disposes every backend the test opened, newest first. Subclasses clean up their own resources after it.</summary>
    public virtual Task DisposeAsync() => _opened.DisposeAsync().AsTask();
}

/// <summary>Backends (and whatever else owns one) opened for a test or fixture, disposed newest first.</summary>
public sealed class OpenedBackends : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _items = [];
    private readonly Lock _lock = new();

    public T Track<T>(T item)
        where T : IAsyncDisposable
    {
        lock (_lock)
        {
            _items.Add(item);
        }

        return item;
    }

    public async Task<T> TrackAsync<T>(Task<T> opening)
        where T : IAsyncDisposable =>
        Track(await opening);

    public async ValueTask DisposeAsync()
    {
        IAsyncDisposable[] items;
        lock (_lock)
        {
            items = [.. _items];
            _items.Clear();
        }

        for (var i = items.Length - 1; i >= 0; i--)
        {
            await items[i].DisposeAsync();
        }
    }
}
