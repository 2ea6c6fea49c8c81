using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;

namespace GraphRag.Neo4j.Tests.Live;

/// <summary>
/// Stores on the live server named by <c>GRAPHRAG_TEST_NEO4J_URL</c>: each test's stores get names of their own
/// (a random prefix plus the suite's name), are cleared before first use, and are removed when the test ends, so tests
/// never see each other's data even on a server that keeps running.
/// </summary>
public sealed class LiveServer : IAsyncDisposable
{
    private readonly string _prefix = "t" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
    private readonly HashSet<string> _created = new(StringComparer.Ordinal);
    private readonly string _cache = Directory.CreateTempSubdirectory("graphrag-neo4j-cache-").FullName;

    public static string Url => Environment.GetEnvironmentVariable(LiveTestFramework.Variable) is { Length: > 0 } url
        ? url
        : throw new InvalidOperationException(LiveTestFramework.SkipReason);

    public Neo4jStoreOptions Options(string name, VectorModel? model = null) => new()
    {
        Url = Url,
        User = Environment.GetEnvironmentVariable("GRAPHRAG_TEST_NEO4J_USER"),
        Password = Environment.GetEnvironmentVariable("GRAPHRAG_TEST_NEO4J_PASSWORD"),
        Store = $"{_prefix}-{name}",
        VectorModel = model,
        IndexCacheFolder = _cache,
    };

    /// <summary>A fresh, empty store.</summary>
    public async Task<IGraphBackend> CreateAsync(string name)
    {
        var options = Options(name);
        if (!_created.Add(options.Store))
        {
            throw new InvalidOperationException($"A store named '{name}' was already created; each name is one fresh store.");
        }

        await Neo4jGraphStore.ClearAsync(options);
        return await Neo4jGraphStore.OpenAsync(options);
    }

    /// <summary>Another store object over the store created under <paramref name="name"/>, as a second process opens it.</summary>
    public async Task<IGraphBackend?> OpenSecondInstanceAsync(string name) =>
        _created.Contains(Options(name).Store) ? await Neo4jGraphStore.OpenAsync(Options(name)) : throw new InvalidOperationException($"No store named '{name}' was created.");

    /// <summary>The store named <paramref name="name"/> (created when absent) opened with an embedding model, or none.</summary>
    public async Task<IGraphBackend> OpenAsync(string name, VectorModel? model)
    {
        var options = Options(name, model);
        if (_created.Add(options.Store))
        {
            await Neo4jGraphStore.ClearAsync(options);
        }

        return await Neo4jGraphStore.OpenAsync(options);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _created)
        {
            await Neo4jGraphStore.ClearAsync(new Neo4jStoreOptions { Url = Url, Store = store, User = Options(store).User, Password = Options(store).Password });
        }

        Directory.Delete(_cache, recursive: true);
    }
}
