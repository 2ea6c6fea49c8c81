using GraphRag.Graph.Abstractions;
using GraphRag.Hosting;
using GraphRag.Ingest.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace GraphRag.Conformance.NonInterference;

/// <summary>
/// The stores of one tenant suite, built once per test class: each a fresh backend from
/// <see cref="CreateBackendAsync"/> with the engine the host builds on it (ingestion pipeline with the real chunker
/// and rule-based extractor, query engine, explorer, access scopes), and tenants' documents ingested through that
/// pipeline with their ACLs. A backend's test project subclasses the suite's fixture and supplies the factory.
/// </summary>
public abstract class TenantStores : IAsyncLifetime
{
    private readonly OpenedBackends _opened = new();
    private readonly string _inputs = Directory.CreateTempSubdirectory("graphrag-tenants-").FullName;

    /// <summary>A fresh, empty store of the backend under test; each name is an independent store.</summary>
    protected abstract Task<IGraphBackend> CreateBackendAsync(string name);

    /// <summary>Writes the tenants' documents and ingests them into the suite's stores.</summary>
    public abstract Task InitializeAsync();

    /// <summary>
    /// A fresh store named <paramref name="name"/> and the engine the host builds over it, through the host's own
    /// factory (<c>services.AddGraphRag(settings).UseBackend(…)</c>). Disposed with the fixture.
    /// </summary>
    public async Task<Engine> OpenEngineAsync(string name)
    {
        var backend = await CreateBackendAsync(name);
        var services = new ServiceCollection();
        services.AddGraphRag(new GraphRagSettings()).UseBackend((_, _) => Task.FromResult(backend));
        // The engine owns the backend from here: disposing it disposes the store (and a failed build disposes it too).
        return _opened.Track(await services.BuildServiceProvider().GetRequiredService<EngineFactory>().OpenAsync());
    }

    /// <summary>A fresh store holding the inputs, each folder ingested through the engine's pipeline with its ACL entry.</summary>
    public async Task<Engine> OpenWithAclsAsync(string name, params (string Folder, string Acl)[] inputs)
    {
        var engine = await OpenEngineAsync(name);
        foreach (var (folder, acl) in inputs)
        {
            await IngestAsync(engine, folder, acl);
        }

        return engine;
    }

    /// <summary>Ingests a folder with one ACL entry; any failed document fails the fixture.</summary>
    public static async Task IngestAsync(Engine engine, string folder, string acl)
    {
        ArgumentNullException.ThrowIfNull(engine);
        await foreach (var result in engine.Pipeline.RunAsync(new IngestRun { Paths = [folder], Acl = [acl] }))
        {
            if (result.Status == IngestStatus.Failed)
            {
                throw new InvalidOperationException($"Fixture input failed: {result.Source}: {result.Reason}");
            }
        }
    }

    /// <summary>Writes the named texts into a new subfolder of the fixture's input folder and returns its path.</summary>
    public async Task<string> WriteFolderAsync(string name, IEnumerable<(string Name, string Text)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var folder = Directory.CreateDirectory(Path.Combine(_inputs, name)).FullName;
        foreach (var (file, text) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, file), text);
        }

        return folder;
    }

    /// <summary>Disposes every engine (and so every store) the fixture opened. Subclasses clean up their own resources after it.</summary>
    public virtual async Task DisposeAsync()
    {
        await _opened.DisposeAsync();
        Directory.Delete(_inputs, recursive: true);
    }
}
