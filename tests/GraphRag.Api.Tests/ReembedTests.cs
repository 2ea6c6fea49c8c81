using GraphRag.Embeddings;
using GraphRag.Graph;
using GraphRag.Graph.Model;
using GraphRag.Graph.Security;
using GraphRag.Hosting;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Privacy;
using GraphRag.Query;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace GraphRag.Api.Tests;

/// <summary>
/// Re-embedding a store (<see cref="Engine.ReembedAsync"/>, <c>graphrag reembed</c>) with a deterministic stand-in for
/// the model, so a model switch is two generators with different ids: the mismatch it fixes, vectors for every chunk,
/// reuse, documents ingested without embeddings, the personal-data rule, and access afterwards.
/// </summary>
public sealed class ReembedTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphrag-reembed-").FullName;

    private string Db => Path.Combine(_root, "store.db");

    [Fact]
    public async Task Open_AfterAModelSwitch_NamesBothModels_AndReembedFixesIt()
    {
        var before = new BagOfWords("bag-a");
        await IngestAsync(before, "ada.txt", "Ada Lovelace wrote the first program for the Analytical Engine.");
        await IngestAsync(before, "grace.txt", "Grace Hopper built the first compiler for the Harvard Mark I.");
        var after = new BagOfWords("bag-b");

        var open = () => OpenAsync(after);

        var error = (await open.Should().ThrowAsync<VectorModelMismatchException>()).Which;
        error.Message.Should().Contain("bag-a").And.Contain("bag-b").And.Contain("graphrag reembed");

        ReembedSummary summary;
        await using (var engine = await OpenAsync(after, checkModel: false))
        {
            summary = await engine.ReembedAsync(new ReembedRequest(BatchSize: 3));
        }

        summary.PreviousModel.Should().Be(before.Model);
        summary.Model.Should().Be(after.Model);
        summary.Reset.Should().BeTrue();
        summary.Documents.Should().Be(2);
        summary.Embedded.Should().Be(summary.Chunks);
        await using var reopened = await OpenAsync(after);
        (await reopened.Backend.Vectors!.GetVectorModelAsync()).Should().Be(after.Model);
        (await CountVectorsAsync()).Should().Be((await reopened.Statistics.GetCountsAsync()).Chunks).And.Be(summary.Chunks);
        var result = await reopened.Query.QueryAsync(new QueryRequest { Question = "Who built the first compiler?", Mode = QueryMode.Vector, TopK = 1 });
        result.Passages.Should().ContainSingle().Which.Chunk.DocumentId.Should().Contain("grace");
        result.Passages[0].Explanation.Channels.Keys.Should().Equal("vector");
    }

    [Fact]
    public async Task Reembed_AgainWithTheSameModel_ReusesEveryVectorAndCallsNoGenerator()
    {
        var model = new BagOfWords("bag-a");
        await IngestAsync(model, "ada.txt", "Ada Lovelace wrote the first program for the Analytical Engine.");
        var again = new BagOfWords("bag-a");

        ReembedSummary summary;
        await using (var engine = await OpenAsync(again))
        {
            summary = await engine.ReembedAsync(new ReembedRequest());
        }

        summary.Reset.Should().BeFalse();
        summary.Embedded.Should().Be(0);
        summary.Reused.Should().Be(summary.Chunks).And.BePositive();
        again.Calls.Should().Be(0);
        (await CountVectorsAsync()).Should().Be(summary.Chunks);
    }

    [Fact]
    public async Task Reembed_DocumentsIngestedWithEmbeddingsOff_EmbedsOnlyTheMissingOnes()
    {
        var model = new BagOfWords("bag-a");
        await IngestAsync(model, "ada.txt", "Ada Lovelace wrote the first program for the Analytical Engine.");
        await IngestAsync(null, "grace.txt", "Grace Hopper built the first compiler for the Harvard Mark I.");
        var vectorsBefore = (int)await CountVectorsAsync();
        var again = new BagOfWords("bag-a");

        ReembedSummary summary;
        await using (var engine = await OpenAsync(again))
        {
            summary = await engine.ReembedAsync(new ReembedRequest());
            var result = await engine.Query.QueryAsync(new QueryRequest { Question = "Who built the first compiler?", Mode = QueryMode.Vector, TopK = 1 });
            result.Passages.Should().ContainSingle().Which.Chunk.DocumentId.Should().Contain("grace");
        }

        summary.Reset.Should().BeFalse();
        summary.Reused.Should().Be(vectorsBefore);
        summary.Embedded.Should().Be(summary.Chunks - vectorsBefore).And.BePositive();
        again.Texts.Should().OnlyContain(t => t.Contains("Grace Hopper", StringComparison.Ordinal));
        (await CountVectorsAsync()).Should().Be(summary.Chunks);
    }

    [Fact]
    public async Task Reembed_ByAnotherEngine_IsSeenByAnOpenEnginesVectorIndexOnItsNextQuery()
    {
        var model = new BagOfWords("bag-a");
        await IngestAsync(model, "ada.txt", "Ada Lovelace wrote the first program for the Analytical Engine.");
        await IngestAsync(null, "grace.txt", "Grace Hopper built the first compiler for the Harvard Mark I.");
        await using var serving = await OpenAsync(new BagOfWords("bag-a"));
        var question = new QueryRequest { Question = "Grace Hopper compiler Harvard Mark", Mode = QueryMode.Vector, TopK = 5 };
        (await serving.Query.QueryAsync(question)).Passages.Should().NotContain(p => p.Chunk.DocumentId.Contains("grace"));

        await using (var other = await OpenAsync(new BagOfWords("bag-a")))
        {
            (await other.ReembedAsync(new ReembedRequest())).Embedded.Should().BePositive();
        }

        (await serving.Query.QueryAsync(question)).Passages.Should().Contain(p => p.Chunk.DocumentId.Contains("grace"));
    }

    [Fact]
    public async Task Reembed_MaskedDocument_EmbedsExactlyWhatIngestionEmbedded_WithoutThePersonalData()
    {
        var ingest = new BagOfWords("bag-a");
        await IngestAsync(ingest, "contact.txt", "Write to Ada Lovelace at ada.lovelace@example.com about the engine.", policy: PiiPolicy.Mask);
        var reembed = new BagOfWords("bag-b");

        await using (var engine = await OpenAsync(reembed, checkModel: false))
        {
            await engine.ReembedAsync(new ReembedRequest());
        }

        ingest.Texts.Should().NotBeEmpty();
        reembed.Texts.Should().Equal(ingest.Texts);
        reembed.Texts.Should().NotContain(t => t.Contains("example.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ScopedQuery_AfterReembed_NeverReturnsAnUnreadableDocument()
    {
        var model = new BagOfWords("bag-a");
        await IngestAsync(model, "mine.txt", "The reactor coolant pump failed during the night shift.", acl: "group:a");
        await IngestAsync(model, "theirs.txt", "The reactor coolant pump failed during the night shift again.", acl: "group:b");
        var other = new BagOfWords("bag-b");
        await using (var engine = await OpenAsync(other, checkModel: false))
        {
            await engine.ReembedAsync(new ReembedRequest());
        }

        await using var reopened = await OpenAsync(other);
        var access = await reopened.Scopes.ResolveAsync(new Caller("alice", ["a"], []));
        foreach (var mode in new[] { QueryMode.Vector, QueryMode.Hybrid })
        {
            var result = await reopened.Query.QueryAsync(
                new QueryRequest { Question = "reactor coolant pump failed night shift again", Mode = mode, TopK = 10, Scope = access.Scope });

            result.Passages.Should().NotBeEmpty();
            result.Passages.Should().OnlyContain(p => p.Chunk.DocumentId.Contains("mine"), $"alice reads group:a only ({mode})");
            result.Citations.Should().OnlyContain(c => c.DocumentId.Contains("mine"));
        }
    }

    [Fact]
    public async Task Reembed_WithEmbeddingsOff_IsAClearError()
    {
        await IngestAsync(null, "ada.txt", "Ada Lovelace wrote the first program.");
        await using var engine = await OpenAsync(null);

        var reembed = () => engine.ReembedAsync(new ReembedRequest());

        (await reembed.Should().ThrowAsync<GraphRagException>()).Which.Message.Should().Contain("Embeddings are off");
    }

    [Fact]
    public async Task VectorMode_WithEmbeddingsOff_IsRejectedNotEmpty()
    {
        await IngestAsync(null, "ada.txt", "Ada Lovelace wrote the first program.");
        await using var engine = await OpenAsync(null);

        engine.Query.Supports(QueryMode.Vector).Should().BeFalse();
        engine.Query.Supports(QueryMode.Hybrid).Should().BeTrue();
        var query = () => engine.Query.QueryAsync(new QueryRequest { Question = "Who wrote the first program?", Mode = QueryMode.Vector });
        (await query.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("needs embeddings");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task IngestAsync(BagOfWords? generator, string name, string text, string? acl = null, PiiPolicy policy = PiiPolicy.Keep)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "input", Path.GetFileNameWithoutExtension(name))).FullName;
        var file = Path.Combine(folder, name);
        await File.WriteAllTextAsync(file, text);
        await using var engine = await OpenAsync(generator);
        var run = new IngestRun { Paths = [file], Acl = acl is null ? null : [acl], PiiPolicy = policy };
        await foreach (var result in engine.Pipeline.RunAsync(run))
        {
            result.Status.Should().NotBe(IngestStatus.Failed, result.Reason);
        }
    }

    /// <summary>An engine over the test store with <paramref name="generator"/> as its embedding model (null: off).</summary>
    private async Task<Engine> OpenAsync(BagOfWords? generator, bool checkModel = true)
    {
        var settings = new GraphRagSettings();
        settings.Store.Path = Db;
        settings.Store.CheckVectorModel = checkModel;
        settings.Embeddings.Enabled = generator is not null;
        var services = new ServiceCollection();
        services.AddSingleton(new EmbeddingRuntime(generator));
        services.AddGraphRag(settings).UseSqlite();
        return await services.BuildServiceProvider().GetRequiredService<EngineFactory>().OpenAsync();
    }

    private async Task<long> CountVectorsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Db};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM chunk_vectors";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// A deterministic stand-in for an embedding model: each lower-cased word adds one to the dimension its hash picks.
    /// Two instances with different ids are two models; it keeps every text it embedded.
    /// </summary>
    private sealed class BagOfWords(string id, int dimensions = 64) : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly Lock _lock = new();
        private readonly List<string> _texts = [];
        private int _calls;

        public VectorModel Model { get; } = new(id, dimensions);

        public int Calls => Volatile.Read(ref _calls);

        public IReadOnlyList<string> Texts
        {
            get
            {
                lock (_lock)
                {
                    return [.. _texts];
                }
            }
        }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var value in values)
            {
                // Questions (embedded with no passage's title line) are not recorded: tests look at passages.
                if (value.Contains('\n', StringComparison.Ordinal))
                {
                    lock (_lock)
                    {
                        _texts.Add(value);
                    }
                }

                var vector = new float[dimensions];
                foreach (var word in value.ToLowerInvariant().Split([' ', '\n', '.', ',', '?', '@'], StringSplitOptions.RemoveEmptyEntries))
                {
                    var hash = 2166136261u;
                    foreach (var c in word)
                    {
                        hash = (hash ^ c) * 16777619u;
                    }

                    vector[(int)(hash % (uint)dimensions)] += 1;
                }

                result.Add(new Embedding<float>(vector));
            }

            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(EmbeddingModelInfo) ? new EmbeddingModelInfo(id, dimensions, null) : null;

        public void Dispose()
        {
        }
    }
}
