using GraphRag.Conformance;
using GraphRag.Graph.Rows;
using GraphRag.Graph.Sqlite;

namespace GraphRag.Graph.Tests;

/// <summary>How the in-memory indexes follow this process's commits while something else holds them.</summary>
public sealed class GraphIndexesTests() : StoreFolderTests("graphrag-indexes-")
{
    [Fact]
    public async Task CommitWhileTheIndexFileIsBeingSaved_IsAppliedFromMemory_NotReadBackFromTheChangeLog()
    {
        var path = Path.Combine(Folder, "store.db");
        await using var store = await SqliteGraphStore.OpenAsync(new SqliteStoreOptions { Path = path });
        await store.UpsertAsync(Bundles.WithEntities("a", "Ada Lovelace met Charles Babbage in London.", "Ada Lovelace", "Charles Babbage", "London"));
        var source = new HeldSource(store);
        await using var indexes = new GraphIndexes(source, store, Path.Combine(Folder, "other.index"));

        // The first read loads the rows and starts saving the index file; the save stops inside, holding the indexes.
        await indexes.EnsureCurrentAsync();
        await source.SaveEntered.Task;
        var loaded = indexes.Generation;
        await store.UpsertAsync(Bundles.WithEntities("b", "Grace Hopper wrote a compiler in Philadelphia.", "Grace Hopper", "Philadelphia"));
        var duringSave = indexes.Generation;

        source.Release.SetResult();
        await indexes.SaveAsync();

        duringSave.Should().Be(loaded);
        indexes.Generation.Should().Be(await store.GetGenerationAsync()).And.Be(loaded + 1);
        source.ChangedSinceCalls.Should().Be(0, "no read had to catch up from the change log");
    }

    /// <summary>The store's rows, with the save's fingerprint read held until the test lets it go.</summary>
    private sealed class HeldSource(IGraphRowSource inner) : IGraphRowSource
    {
        public TaskCompletionSource SaveEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int ChangedSinceCalls;

        public Task<long> GetGenerationAsync(CancellationToken cancellationToken = default) => inner.GetGenerationAsync(cancellationToken);

        public async Task<IRowReader> OpenReadAsync(CancellationToken cancellationToken = default) =>
            new HeldReader(await inner.OpenReadAsync(cancellationToken), this);

        private sealed class HeldReader(IRowReader inner, HeldSource source) : IRowReader
        {
            public long Generation => inner.Generation;

            public Task<IReadOnlyCollection<string>?> ChangedSinceAsync(long generation, CancellationToken cancellationToken = default)
            {
                Interlocked.Increment(ref source.ChangedSinceCalls);
                return inner.ChangedSinceAsync(generation, cancellationToken);
            }

            public async Task<string?> FingerprintAsync(long generation, CancellationToken cancellationToken = default)
            {
                source.SaveEntered.TrySetResult();
                await source.Release.Task.WaitAsync(cancellationToken);
                return await inner.FingerprintAsync(generation, cancellationToken);
            }

            public IAsyncEnumerable<DocumentRows> ReadAsync(IReadOnlyCollection<string>? documentIds, CancellationToken cancellationToken = default) =>
                inner.ReadAsync(documentIds, cancellationToken);

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}
