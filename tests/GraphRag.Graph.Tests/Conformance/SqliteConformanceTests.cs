using GraphRag.Conformance;
using GraphRag.Conformance.NonInterference;
using GraphRag.Graph.Abstractions;

namespace GraphRag.Graph.Tests.Conformance;

// The embedded SQLite store runs every conformance suite: each subclass only says how to open a fresh store (a temp
// file per name) and, where a suite asks for it, a second instance over the same file.

public sealed class SqliteStoreConformanceTests : StoreConformanceTests
{
    private readonly SqliteBackends _files = new();

    protected override Task<IGraphBackend> CreateBackendAsync(string name) => _files.CreateAsync(name);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _files.Dispose();
    }
}

public sealed class SqliteAccessIndexConformanceTests : AccessIndexConformanceTests
{
    private readonly SqliteBackends _files = new();

    protected override Task<IGraphBackend> CreateBackendAsync(string name) => _files.CreateAsync(name);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _files.Dispose();
    }
}

public sealed class SqliteScopedBm25ConformanceTests : ScopedBm25ConformanceTests
{
    private readonly SqliteBackends _files = new();

    protected override Task<IGraphBackend> CreateBackendAsync(string name) => _files.CreateAsync(name);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _files.Dispose();
    }
}

public sealed class SqliteSnapshotStalenessConformanceTests : SnapshotStalenessConformanceTests
{
    private readonly SqliteBackends _files = new();

    protected override Task<IGraphBackend> CreateBackendAsync(string name) => _files.CreateAsync(name);

    /// <summary>Two store objects over one file: each has its own indexes, as two processes would.</summary>
    protected override Task<IGraphBackend?> OpenSecondInstanceAsync(string name) => _files.OpenSecondInstanceAsync(name);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _files.Dispose();
    }
}

public sealed class SqliteScoreNonInterferenceTests(SqliteScoreNonInterferenceTests.Stores stores)
    : ScoreNonInterferenceConformanceTests(stores), IClassFixture<SqliteScoreNonInterferenceTests.Stores>
{
    public sealed class Stores : NonInterferenceStores
    {
        private readonly SqliteBackends _files = new();

        protected override Task<IGraphBackend> CreateBackendAsync(string name) => _files.CreateAsync(name);

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            _files.Dispose();
        }
    }
}

public sealed class SqliteTenantIsolationTests(SqliteTenantIsolationTests.Stores tenants)
    : TenantIsolationConformanceTests(tenants), IClassFixture<SqliteTenantIsolationTests.Stores>
{
    public sealed class Stores : TenantIsolationStores
    {
        private readonly SqliteBackends _files = new();

        protected override Task<IGraphBackend> CreateBackendAsync(string name) => _files.CreateAsync(name);

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            _files.Dispose();
        }
    }
}

public sealed class SqliteTypeVisibilityTests(SqliteTypeVisibilityTests.Stores stores)
    : TypeVisibilityConformanceTests(stores), IClassFixture<SqliteTypeVisibilityTests.Stores>
{
    public sealed class Stores : TypeVoteStores
    {
        private readonly SqliteBackends _files = new();

        protected override Task<IGraphBackend> CreateBackendAsync(string name) => _files.CreateAsync(name);

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            _files.Dispose();
        }
    }
}

public sealed class SqliteVectorConformanceTests : VectorConformanceTests
{
    private readonly SqliteBackends _files = new();
    private readonly OpenedBackends _opened = new();

    protected override Task<IGraphBackend> CreateBackendAsync(string name) => _files.CreateAsync(name);

    protected override Task<IGraphBackend> OpenWithModelAsync(string name, GraphRag.Graph.Model.VectorModel? model) =>
        _opened.TrackAsync(_files.OpenAsync(name, model));

    public override async Task DisposeAsync()
    {
        await _opened.DisposeAsync();
        await base.DisposeAsync();
        _files.Dispose();
    }
}
