using GraphRag.Embeddings;
using GraphRag.Graph.Model;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace GraphRag.Hosting;

/// <summary>
/// The configured embedding generator (<c>GraphRag:Embeddings</c>), made once per service provider and shared by every
/// engine it opens, with what its vectors are: the model the store records and the prefix questions are embedded with.
/// </summary>
public sealed class EmbeddingRuntime : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private VectorModel? _model;

    public EmbeddingRuntime(GraphRagSettings settings, ILoggerFactory? loggers = null)
        : this(EmbeddingGeneratorFactory.Create((settings ?? throw new ArgumentNullException(nameof(settings))).Embeddings, loggers))
    {
    }

    /// <summary>
    /// A runtime over a generator made elsewhere (any <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>; null: off).
    /// Registered before <c>AddGraphRag</c>, it replaces the configured one. The runtime owns and disposes it.
    /// </summary>
    public EmbeddingRuntime(IEmbeddingGenerator<string, Embedding<float>>? generator)
    {
        Generator = generator;
        QueryPrefix = Generator?.GetModelInfo().QueryPrefix ?? string.Empty;
    }

    /// <summary>The generator; null when embeddings are off.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Generator { get; }

    /// <summary>What questions start with before they are embedded (asymmetric models); empty when none.</summary>
    public string QueryPrefix { get; }

    /// <summary>
    /// The model id and vector length the store records; null when embeddings are off. A provider that does not say
    /// its length in advance (an OpenAI-compatible server) is asked to embed one short text, once.
    /// </summary>
    public async Task<VectorModel?> GetModelAsync(CancellationToken cancellationToken = default)
    {
        if (Generator is null)
        {
            return null;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_model is null)
            {
                var info = Generator.GetModelInfo();
                var dimensions = info.Dimensions
                    ?? (await Generator.GeneratePassageVectorsAsync(["dimension probe"], cancellationToken).ConfigureAwait(false))[0].Length;
                _model = new VectorModel(info.Id, dimensions);
            }

            return _model;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        Generator?.Dispose();
        _gate.Dispose();
    }
}
