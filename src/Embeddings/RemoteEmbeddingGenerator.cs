using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GraphRag.Embeddings;

/// <summary>
/// Wraps a provider's generator (OpenAI, Azure OpenAI): splits inputs into requests of at most the batch size,
/// keeps input order, asks for the configured dimensions, and turns every provider failure into an
/// <see cref="EmbeddingException"/> that says whether retrying later may help.
/// </summary>
internal sealed partial class RemoteEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _inner;
    private readonly int _batchSize;
    private readonly int? _dimensions;
    private readonly string _provider;
    private readonly ILogger _logger;

    public RemoteEmbeddingGenerator(
        IEmbeddingGenerator<string, Embedding<float>> inner,
        string provider,
        string model,
        Uri? endpoint,
        int? dimensions,
        int batchSize,
        string? queryPrefix,
        ILogger? logger)
    {
        _inner = inner;
        _provider = provider;
        _batchSize = batchSize;
        _dimensions = dimensions;
        _logger = logger ?? NullLogger.Instance;
        var knownDimensions = dimensions ?? DefaultDimensions(model);
        Info = new EmbeddingModelInfo(
            $"{provider}/{model}" + (knownDimensions is { } d ? $"/{d}" : string.Empty),
            knownDimensions,
            string.IsNullOrEmpty(queryPrefix) ? null : queryPrefix);
        Metadata = new EmbeddingGeneratorMetadata(provider, endpoint, model, knownDimensions);
    }

    public EmbeddingModelInfo Info { get; }

    public EmbeddingGeneratorMetadata Metadata { get; }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as IReadOnlyList<string> ?? [.. values];
        using var activity = EmbeddingsTelemetry.Start("embed " + _provider, Info, texts.Count);
        var requestOptions = options?.Clone() ?? new EmbeddingGenerationOptions();
        requestOptions.Dimensions ??= _dimensions;

        var results = new List<Embedding<float>>(texts.Count);
        long inputTokens = 0;
        long totalTokens = 0;
        for (var start = 0; start < texts.Count; start += _batchSize)
        {
            var batch = texts.Skip(start).Take(_batchSize).ToArray();
            var embeddings = await SendAsync(batch, requestOptions, cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != batch.Length)
            {
                throw new EmbeddingException($"{Info.Id} returned {embeddings.Count} vectors for {batch.Length} inputs.");
            }

            foreach (var embedding in embeddings)
            {
                embedding.ModelId ??= Info.Id;
                results.Add(embedding);
            }

            inputTokens += embeddings.Usage?.InputTokenCount ?? 0;
            totalTokens += embeddings.Usage?.TotalTokenCount ?? 0;
        }

        activity?.SetTag("gen_ai.usage.input_tokens", inputTokens);
        return new GeneratedEmbeddings<Embedding<float>>(results)
        {
            Usage = new UsageDetails { InputTokenCount = inputTokens, TotalTokenCount = totalTokens },
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null)
        {
            if (serviceType == typeof(EmbeddingModelInfo))
            {
                return Info;
            }

            if (serviceType == typeof(EmbeddingGeneratorMetadata))
            {
                return Metadata;
            }

            if (serviceType.IsInstanceOfType(this))
            {
                return this;
            }
        }

        return _inner.GetService(serviceType, serviceKey);
    }

    public void Dispose() => _inner.Dispose();

    internal static int? DefaultDimensions(string model) => model switch
    {
        "text-embedding-3-small" or "text-embedding-ada-002" => 1536,
        "text-embedding-3-large" => 3072,
        _ => null,
    };

    private async Task<GeneratedEmbeddings<Embedding<float>>> SendAsync(
        string[] batch,
        EmbeddingGenerationOptions options,
        CancellationToken cancellationToken)
    {
        try
        {
            var result = await _inner.GenerateAsync(batch, options, cancellationToken).ConfigureAwait(false);
            LogBatch(_logger, Info.Id, batch.Length);
            return result;
        }
        catch (ClientResultException ex)
        {
            var (message, transient) = ex.Status switch
            {
                401 or 403 => ($"{_provider} refused the API key ({ex.Status}): check GraphRag:Embeddings:ApiKey or the API key environment variable.", false),
                404 => ($"{_provider} does not know the model or deployment behind {Info.Id} (404): check GraphRag:Embeddings:Model and Endpoint.", false),
                408 or 429 or >= 500 => ($"{_provider} is busy or failing ({ex.Status}) after retries; try again later.", true),
                0 => ($"{_provider} could not be reached: {ex.Message}", true),
                _ => ($"{_provider} rejected the embedding request ({ex.Status}): {ex.Message}", false),
            };
            LogFailed(_logger, ex, Info.Id, ex.Status, transient);
            throw new EmbeddingException(message, ex) { IsTransient = transient, StatusCode = ex.Status == 0 ? null : ex.Status };
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(_logger, ex, Info.Id, 0, true);
            throw new EmbeddingException($"{_provider} did not answer in time (GraphRag:Embeddings:TimeoutSeconds).", ex) { IsTransient = true };
        }
        catch (HttpRequestException ex)
        {
            LogFailed(_logger, ex, Info.Id, 0, true);
            throw new EmbeddingException($"{_provider} could not be reached: {ex.Message}", ex) { IsTransient = true };
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Embedded {Count} inputs with {ModelId}")]
    private static partial void LogBatch(ILogger logger, string modelId, int count);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Embedding request to {ModelId} failed (status {Status}, transient {Transient})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string modelId, int status, bool transient);
}
