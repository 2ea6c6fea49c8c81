using GraphRag.Conformance;
using GraphRag.Conformance.NonInterference;
using GraphRag.Graph.Abstractions;

namespace GraphRag.Neo4j.Tests.Live;

// Every conformance suite, live against the server named by GRAPHRAG_TEST_NEO4J_URL: each subclass only says how to open
// a fresh store (a store name of its own on the shared server) and, where a suite asks for it, a second instance.

public sealed class Neo4jStoreConformanceTests : StoreConformanceTests
{
    private readonly LiveServer _server = new();

    protected override Task<IGraphBackend> CreateBackendAsync(string name) => _server.CreateAsync(name);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }
}

public sealed class Neo4jAccessIndexConformanceTests : AccessIndexConformanceTests
{
    private readonly LiveServer _server = new();

    protected override Task<IGraphBackend> CreateBackendAsync(string name) => _server.CreateAsync(name);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }
}

public sealed class Neo4jScopedBm25ConformanceTests : ScopedBm25ConformanceTests
{
    private readonly LiveServer _server = new();

    protected override Task<IGraphBackend> CreateBackendAsync(string name) => _server.CreateAsync(name);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }
}

public sealed class Neo4jSnapshotStalenessConformanceTests : SnapshotStalenessConformanceTests
{
    private readonly LiveServer _server = new();

    protected override Task<IGraphBackend> CreateBackendAsync(string name) => _server.CreateAsync(name);

    /// <summary>Two store objects over one store: each has its own indexes, as two processes would.</summary>
    protected override Task<IGraphBackend?> OpenSecondInstanceAsync(string name) => _server.OpenSecondInstanceAsync(name);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }
}

public sealed class Neo4jVectorConformanceTests : VectorConformanceTests
{
    private readonly LiveServer _server = new();
    private readonly OpenedBackends _opened = new();

    protected override Task<IGraphBackend> CreateBackendAsync(string name) => _server.CreateAsync(name);

    protected override Task<IGraphBackend> OpenWithModelAsync(string name, GraphRag.Graph.Model.VectorModel? model) =>
        _opened.TrackAsync(_server.OpenAsync(name, model));

    public override async Task DisposeAsync()
    {
        await _opened.DisposeAsync();
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }
}

public sealed class Neo4jScoreNonInterferenceTests(Neo4jScoreNonInterferenceTests.Stores stores)
    : ScoreNonInterferenceConformanceTests(stores), IClassFixture<Neo4jScoreNonInterferenceTests.Stores>
{
    public sealed class Stores : NonInterferenceStores
    {
        private readonly LiveServer _server = new();

        protected override Task<IGraphBackend> CreateBackendAsync(string name) => _server.CreateAsync(name);

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await _server.DisposeAsync();
        }
    }
}

public sealed class Neo4jTenantIsolationTests(Neo4jTenantIsolationTests.Stores tenants)
    : TenantIsolationConformanceTests(tenants), IClassFixture<Neo4jTenantIsolationTests.Stores>
{
    public sealed class Stores : TenantIsolationStores
    {
        private readonly LiveServer _server = new();

        protected override Task<IGraphBackend> CreateBackendAsync(string name) => _server.CreateAsync(name);

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await _server.DisposeAsync();
        }
    }
}

public sealed class Neo4jTypeVisibilityTests(Neo4jTypeVisibilityTests.Stores stores)
    : TypeVisibilityConformanceTests(stores), IClassFixture<Neo4jTypeVisibilityTests.Stores>
{
    public sealed class Stores : TypeVoteStores
    {
        private readonly LiveServer _server = new();

        protected override Task<IGraphBackend> CreateBackendAsync(string name) => _server.CreateAsync(name);

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await _server.DisposeAsync();
        }
    }
}
