using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Sqlite;
using GraphRag.Neo4j;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GraphRag.Hosting;

/// <summary>
/// <c>services.AddGraphRag(settings).UseSqlite()</c>: registers the settings (validated when added, so a bad value
/// stops start-up with every problem named) and the factory that opens the engine over the chosen backend.
/// </summary>
public static class GraphRagServiceCollectionExtensions
{
    public static GraphRagBuilder AddGraphRag(this IServiceCollection services, GraphRagSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        services.TryAddSingleton(settings);
        services.TryAddSingleton<EngineFactory>();
        services.TryAddSingleton(provider => new EmbeddingRuntime(settings, provider.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        return new GraphRagBuilder(services, settings);
    }
}

/// <summary>Chooses the store backend after <see cref="GraphRagServiceCollectionExtensions.AddGraphRag"/>.</summary>
public sealed class GraphRagBuilder(IServiceCollection services, GraphRagSettings settings)
{
    public IServiceCollection Services { get; } = services;

    public GraphRagSettings Settings { get; } = settings;

    /// <summary>The embedded store: one SQLite file, <c>GraphRag:Store</c> settings (path, busy timeout).</summary>
    public GraphRagBuilder UseSqlite(Action<SqliteStoreOptions>? configure = null)
    {
        configure?.Invoke(Settings.Store);
        Settings.Validate();
        return UseBackend((services, cancellationToken) => OpenSqliteAsync(Settings.Store, services.GetService<Microsoft.Extensions.Logging.ILoggerFactory>(), cancellationToken));
    }

    /// <summary>
    /// A Neo4j server: <c>GraphRag:Store:Neo4j</c> settings (Url, Database, User, Password or Token, Store). Opening it checks
    /// the connection and fails with one line naming the problem (unreachable, authentication failed, unsupported version).
    /// </summary>
    public GraphRagBuilder UseNeo4j(Action<Neo4jStoreOptions>? configure = null)
    {
        configure?.Invoke(Settings.Neo4j);
        Settings.StoreKind = StoreKind.Neo4j;
        Settings.Validate();
        return UseBackend(async (services, cancellationToken) =>
            await Neo4jGraphStore.OpenAsync(Settings.Neo4j, services.GetService<Microsoft.Extensions.Logging.ILoggerFactory>(), null, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The backend <c>GraphRag:Store:Kind</c> names: <see cref="UseSqlite"/> or <see cref="UseNeo4j"/>.</summary>
    public GraphRagBuilder UseConfiguredStore() => Settings.StoreKind == StoreKind.Neo4j ? UseNeo4j() : UseSqlite();

    /// <summary>Any backend: a function that opens it.</summary>
    public GraphRagBuilder UseBackend(Func<IServiceProvider, CancellationToken, Task<IGraphBackend>> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        Services.RemoveAll<BackendOpener>();
        Services.AddSingleton(new BackendOpener(open));
        return this;
    }

    private static async Task<IGraphBackend> OpenSqliteAsync(SqliteStoreOptions options, Microsoft.Extensions.Logging.ILoggerFactory? loggers, CancellationToken cancellationToken) =>
        await SqliteGraphStore.OpenAsync(options, loggers, cancellationToken).ConfigureAwait(false);
}

/// <summary>Opens the configured backend.</summary>
public sealed record BackendOpener(Func<IServiceProvider, CancellationToken, Task<IGraphBackend>> Open);

/// <summary>Builds an <see cref="Engine"/> over the configured backend; each call opens a new one.</summary>
public sealed class EngineFactory(GraphRagSettings settings, IServiceProvider services)
{
    /// <summary>Opens the backend (checking that its vectors are the configured model's) and builds the engine on it.</summary>
    public async Task<Engine> OpenAsync(CancellationToken cancellationToken = default)
    {
        var model = await services.GetRequiredService<EmbeddingRuntime>().GetModelAsync(cancellationToken).ConfigureAwait(false);
        settings.Store.VectorModel = model;
        settings.Neo4j.VectorModel = model;
        settings.Neo4j.CheckVectorModel = settings.Store.CheckVectorModel;
        settings.Ingest.VectorModel = model;
        var opener = services.GetService<BackendOpener>()
            ?? throw new InvalidOperationException("No store backend: call UseSqlite(), UseNeo4j() or UseConfiguredStore() after AddGraphRag().");
        return await Engine.CreateAsync(settings, await opener.Open(services, cancellationToken).ConfigureAwait(false), services, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens the backend alone (key and audit commands need no pipeline or query engine).</summary>
    public Task<IGraphBackend> OpenBackendAsync(CancellationToken cancellationToken = default) =>
        (services.GetService<BackendOpener>()
            ?? throw new InvalidOperationException("No store backend: call UseSqlite(), UseNeo4j() or UseConfiguredStore() after AddGraphRag().")).Open(services, cancellationToken);
}
