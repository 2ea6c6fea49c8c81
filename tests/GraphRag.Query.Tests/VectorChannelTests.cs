using GraphRag.Graph.Abstractions;
using GraphRag.Query.Answering;
using GraphRag.Query.Retrieval;
using Microsoft.Extensions.AI;

namespace GraphRag.Query.Tests;

/// <summary>
/// The vector channel is off by default; when an embedding provider is configured, fusion takes it as one more
/// channel. The provider here is a stand-in for an external embedding service: a hashed bag of words.
/// </summary>
public sealed class VectorChannelTests(SamplesFixture samples) : IClassFixture<SamplesFixture>
{
    [Fact]
    public async Task HybridQuery_WithAnEmbeddingProvider_FusesTheVectorChannel()
    {
        var generator = new HashedBagOfWords();
        var index = new InMemoryVectorIndex();
        var documents = await samples.Store.ListDocumentsAsync(new DocumentListRequest(0, 1000));
        foreach (var document in documents)
        {
            foreach (var chunk in await samples.Store.GetDocumentChunksAsync(document.Id))
            {
                var vector = (await generator.GenerateAsync([chunk.Text]))[0].Vector;
                index.Upsert(chunk.Id, chunk.DocumentId, vector.Span);
            }
        }

        var engine = new QueryEngine(
            samples.Store, samples.Store, samples.Store, samples.Store, new ExtractiveAnswerGenerator(), new QueryEngineOptions(), new VectorChannel(generator, index));

        var result = await engine.QueryAsync(new QueryRequest { Question = "Which company acquired the maker of the HX-7 hydrophone?" });

        result.Passages.Should().Contain(p => p.Explanation.Channels.ContainsKey("vector"));
        result.Timings.Should().Contain(t => t.Stage.EndsWith(":vector", StringComparison.Ordinal));
        generator.Calls.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task HybridQuery_SeveralRounds_AsksTheModelOnlyForTheQuestion()
    {
        const string Question = "Which company acquired the maker of the HX-7 hydrophone?";
        var (generator, engine) = await EngineOverEveryChunkAsync(new QueryEngineOptions());

        var result = await engine.QueryAsync(new QueryRequest { Question = Question });

        result.Hops.Should().HaveCountGreaterThan(1);
        result.Timings.Count(t => t.Stage.EndsWith(":vector", StringComparison.Ordinal)).Should().Be(result.Hops.Count);
        generator.Inputs.Should().Equal(Question);
    }

    [Fact]
    public async Task HybridQuery_EmbedEveryRound_EmbedsEachRoundsTextWithItsBridges()
    {
        const string Question = "Which company acquired the maker of the HX-7 hydrophone?";
        var (generator, engine) = await EngineOverEveryChunkAsync(new QueryEngineOptions { EmbedEveryRound = true });

        var result = await engine.QueryAsync(new QueryRequest { Question = Question });

        result.Hops.Should().HaveCountGreaterThan(1);
        generator.Inputs.Should().HaveCount(result.Hops.Count);
        generator.Inputs.Skip(1).Should().OnlyContain(input => input.StartsWith(Question + " ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HybridQuery_ScopedCaller_LaterRoundsReadBackOnlyVectorsOfReadableChunks()
    {
        const string Question = "Which company acquired the maker of the HX-7 hydrophone?";
        var documents = await samples.Store.ListDocumentsAsync(new DocumentListRequest(0, 1000));
        var unscoped = await (await EngineOverEveryChunkAsync(new QueryEngineOptions())).Engine.QueryAsync(new QueryRequest { Question = Question });
        // The caller may not read the documents of the unscoped answer's two best passages: the bridges' chunks there.
        var hidden = unscoped.Passages.Take(2).Select(p => p.Chunk.DocumentId).ToHashSet();
        var readable = documents.Select(d => d.Id).Where(id => !hidden.Contains(id)).ToHashSet();
        var scope = new AccessScope("alice", readable.Contains, readable);
        var recording = new RecordingReader(await IndexEveryChunkAsync());
        var engine = new QueryEngine(
            samples.Store, samples.Store, samples.Store, samples.Store, new ExtractiveAnswerGenerator(), new QueryEngineOptions(),
            new VectorChannel(new HashedBagOfWords(), recording));

        var result = await engine.QueryAsync(new QueryRequest { Question = Question, Scope = scope });

        result.Hops.Should().HaveCountGreaterThan(1);
        recording.Asked.Should().NotBeEmpty().And.OnlyContain(c => readable.Contains(c.DocumentId));
    }

    [Fact]
    public async Task HybridQuery_IndexThatCannotGiveVectorsBack_EmbedsEachRoundsText()
    {
        const string Question = "Which company acquired the maker of the HX-7 hydrophone?";
        var (generator, engine) = await EngineOverEveryChunkAsync(new QueryEngineOptions(), searchOnly: true);

        var result = await engine.QueryAsync(new QueryRequest { Question = Question });

        result.Hops.Should().HaveCountGreaterThan(1);
        generator.Inputs.Should().HaveCount(result.Hops.Count);
    }

    [Fact]
    public void Move_IsUnitLengthAndWeightZeroKeepsTheQuestion()
    {
        float[] question = [3, 0, 0, 0];
        ReadOnlyMemory<float>[] feedback = [new float[] { 0, 2, 0, 0 }, new float[] { 0, 0, 5, 0 }];

        DenseChannel.Move(question, feedback, 0).Should().Equal(1f, 0f, 0f, 0f);
        var moved = DenseChannel.Move(question, feedback, 1);
        moved.Sum(x => x * x).Should().BeApproximately(1f, 1e-6f);
        // question + mean of the unit feedback vectors: (1, 0.5, 0.5, 0), made unit length.
        moved.Should().BeEquivalentTo([1 / MathF.Sqrt(1.5f), 0.5f / MathF.Sqrt(1.5f), 0.5f / MathF.Sqrt(1.5f), 0f], o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-6f)).WhenTypeIs<float>());
    }

    [Fact]
    public async Task VectorSearch_RestrictedToDocuments_NeverReturnsOthers()
    {
        var generator = new HashedBagOfWords();
        var index = new InMemoryVectorIndex();
        index.Upsert("c1", "public", (await generator.GenerateAsync(["hydrophone maker"]))[0].Vector.Span);
        index.Upsert("c2", "secret", (await generator.GenerateAsync(["hydrophone maker"]))[0].Vector.Span);

        var hits = await new VectorChannel(generator, index).SearchAsync("hydrophone", 10, ["public"]);

        hits.Select(h => h.DocumentId).Should().Equal("public");
    }

    [Fact]
    public async Task HybridQuery_PassageOnlyTheVectorChannelFound_IsMarkedVectorOnlyWithItsContribution()
    {
        const string Question = "Quorbling zyxwv flimflam?";
        var generator = new HashedBagOfWords();
        var index = new InMemoryVectorIndex();
        var found = (await samples.Engine.QueryAsync(new QueryRequest { Question = Question, TopK = 100 })).Passages.Select(p => p.Chunk.Id).ToHashSet();
        var documents = await samples.Store.ListDocumentsAsync(new DocumentListRequest(0, 1000));
        var chunk = (await samples.Store.GetDocumentChunksAsync(documents[^1].Id)).First(c => !found.Contains(c.Id));
        // No other channel finds the chunk, yet its vector is the question's: only the dense channel supports it.
        index.Upsert(chunk.Id, chunk.DocumentId, (await generator.GenerateAsync([Question]))[0].Vector.Span);
        var options = new QueryEngineOptions { VectorWeight = 0.5 };
        var engine = new QueryEngine(
            samples.Store, samples.Store, samples.Store, samples.Store, new ExtractiveAnswerGenerator(), options, new VectorChannel(generator, index));

        // One round: later rounds search again with the names of entities in the best chunks, which this one would lead.
        var result = await engine.QueryAsync(new QueryRequest { Question = Question, MaxHops = 1 });

        var passage = result.Passages.Should().ContainSingle(p => p.Chunk.Id == chunk.Id).Subject;
        passage.Explanation.VectorOnly.Should().BeTrue(string.Join(",", passage.Explanation.Channels.Select(c => c.Key + "=" + c.Value)));
        passage.Explanation.Channels.Should().ContainKey("vector").WhoseValue.Should().BeApproximately(1.0, 1e-6);
        passage.Explanation.Contributions.Should().ContainKey("vector").WhoseValue.Should().BeApproximately(0.5, 1e-6);
    }

    [Fact]
    public async Task HybridQuery_PassageTheLexicalChannelAlsoFound_IsNotVectorOnly()
    {
        var generator = new HashedBagOfWords();
        var index = new InMemoryVectorIndex();
        foreach (var document in await samples.Store.ListDocumentsAsync(new DocumentListRequest(0, 1000)))
        {
            foreach (var chunk in await samples.Store.GetDocumentChunksAsync(document.Id))
            {
                index.Upsert(chunk.Id, chunk.DocumentId, (await generator.GenerateAsync([chunk.Text]))[0].Vector.Span);
            }
        }

        var engine = new QueryEngine(
            samples.Store, samples.Store, samples.Store, samples.Store, new ExtractiveAnswerGenerator(), new QueryEngineOptions(), new VectorChannel(generator, index));

        var result = await engine.QueryAsync(new QueryRequest { Question = "Who founded Nautilux Sensing?" });

        result.Passages.Where(p => p.Explanation.Channels.GetValueOrDefault("bm25") > 0).Should().NotBeEmpty()
            .And.OnlyContain(p => !p.Explanation.VectorOnly);
        result.Passages.Should().OnlyContain(p => p.Explanation.Contributions.Keys.ToHashSet().SetEquals(p.Explanation.Channels.Keys));
    }

    [Fact]
    public async Task VectorChannel_EmbedsTheQuestionWithItsPrefix()
    {
        var generator = new HashedBagOfWords();
        var index = new InMemoryVectorIndex();

        await new VectorChannel(generator, index, "Represent this sentence for searching relevant passages: ").SearchAsync("Who made the HX-7?", 5, null);

        generator.LastInput.Should().Be("Represent this sentence for searching relevant passages: Who made the HX-7?");
    }

    [Fact]
    public async Task HybridQuery_ScopedCaller_NeverGetsAVectorHitFromAnUnreadableDocument()
    {
        const string Question = "Quorbling zyxwv flimflam?";
        var generator = new HashedBagOfWords();
        var index = new InMemoryVectorIndex();
        var documents = await samples.Store.ListDocumentsAsync(new DocumentListRequest(0, 1000));
        var question = (await generator.GenerateAsync([Question]))[0].Vector;
        var readable = (await samples.Store.GetDocumentChunksAsync(documents[0].Id))[0];
        var secret = (await samples.Store.GetDocumentChunksAsync(documents[1].Id))[0];
        // The unreadable chunk is the exact match; the readable one only near it.
        index.Upsert(secret.Id, secret.DocumentId, question.Span, ["tenant:b"]);
        index.Upsert(readable.Id, readable.DocumentId, question.ToArray().Select((v, i) => i % 2 == 0 ? v : 0).ToArray(), ["tenant:a"]);
        var engine = new QueryEngine(
            samples.Store, samples.Store, samples.Store, samples.Store, new ExtractiveAnswerGenerator(), new QueryEngineOptions(), new VectorChannel(generator, index));
        var scope = new AccessScope("alice", id => id == documents[0].Id, null, acl => acl.Contains("tenant:a"));

        var result = await engine.QueryAsync(new QueryRequest { Question = Question, MaxHops = 1, Scope = scope });

        result.Passages.Should().Contain(p => p.Chunk.Id == readable.Id && p.Explanation.VectorOnly);
        result.Passages.Should().OnlyContain(p => p.Chunk.DocumentId == documents[0].Id);
    }

    [Fact]
    public async Task DefaultEngine_HasNoVectorChannel()
    {
        var result = await samples.Engine.QueryAsync(new QueryRequest { Question = "Who founded Nautilux Sensing?" });

        result.Passages.Should().OnlyContain(p => !p.Explanation.Channels.ContainsKey("vector"));
    }

    /// <summary>An engine whose vector index holds every sample chunk's vector.</summary>
    private async Task<(HashedBagOfWords Generator, QueryEngine Engine)> EngineOverEveryChunkAsync(QueryEngineOptions options, bool searchOnly = false)
    {
        var index = await IndexEveryChunkAsync();
        var generator = new HashedBagOfWords();
        return (generator, new QueryEngine(
            samples.Store, samples.Store, samples.Store, samples.Store, new ExtractiveAnswerGenerator(), options,
            new VectorChannel(generator, searchOnly ? new SearchOnly(index) : index)));
    }

    /// <summary>Every sample chunk's vector, from a generator of its own (so the query's generator counts only the query's calls).</summary>
    private async Task<InMemoryVectorIndex> IndexEveryChunkAsync()
    {
        var indexing = new HashedBagOfWords();
        var index = new InMemoryVectorIndex();
        foreach (var document in await samples.Store.ListDocumentsAsync(new DocumentListRequest(0, 1000)))
        {
            foreach (var chunk in await samples.Store.GetDocumentChunksAsync(document.Id))
            {
                index.Upsert(chunk.Id, chunk.DocumentId, (await indexing.GenerateAsync([chunk.Text]))[0].Vector.Span);
            }
        }

        return index;
    }

    /// <summary>An index that records which chunks' vectors were read back.</summary>
    private sealed class RecordingReader(InMemoryVectorIndex index) : IVectorIndex, IStoredVectorReader
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<StoredChunk> _asked = new();

        public IReadOnlyList<StoredChunk> Asked => [.. _asked];

        public Task<IReadOnlyList<VectorHit>> SearchAsync(VectorQuery query, CancellationToken cancellationToken = default) =>
            index.SearchAsync(query, cancellationToken);

        public Task<IReadOnlyList<ReadOnlyMemory<float>>> GetVectorsAsync(IReadOnlyList<StoredChunk> chunks, CancellationToken cancellationToken = default)
        {
            foreach (var chunk in chunks)
            {
                _asked.Enqueue(chunk);
            }

            return index.GetVectorsAsync(chunks, cancellationToken);
        }
    }

    /// <summary>An index that searches but cannot give its vectors back, as a remote vector service may.</summary>
    private sealed class SearchOnly(IVectorIndex index) : IVectorIndex
    {
        public Task<IReadOnlyList<VectorHit>> SearchAsync(VectorQuery query, CancellationToken cancellationToken = default) =>
            index.SearchAsync(query, cancellationToken);
    }

    private sealed class HashedBagOfWords : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _inputs = new();
        private int _calls;

        public int Calls => _calls;

        /// <summary>Every text embedded, in order.</summary>
        public IReadOnlyList<string> Inputs => [.. _inputs];

        public string? LastInput { get; private set; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var value in values)
            {
                LastInput = value;
                _inputs.Enqueue(value);
                var vector = new float[128];
                foreach (var word in value.ToLowerInvariant().Split([' ', ',', '.', '?', '-'], StringSplitOptions.RemoveEmptyEntries))
                {
                    vector[(int)(StableHash(word) % 128)] += 1;
                }

                result.Add(new Embedding<float>(vector));
            }

            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        /// <summary>FNV-1a: the same in every process (string hash codes are randomised per process, which made the
        /// scoped test fail whenever the question's three words all fell on the dimensions it zeroes).</summary>
        private static uint StableHash(string word)
        {
            var hash = 2166136261u;
            foreach (var c in word)
            {
                hash = (hash ^ c) * 16777619u;
            }

            return hash;
        }

        public void Dispose()
        {
        }
    }
}
