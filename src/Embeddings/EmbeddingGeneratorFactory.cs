using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenAI;

namespace GraphRag.Embeddings;

/// <summary>Builds the configured embedding generator once, at start-up.</summary>
public static class EmbeddingGeneratorFactory
{
    public const string OpenAIKeyVariable = "OPENAI_API_KEY";
    public const string AzureOpenAIKeyVariable = "AZURE_OPENAI_API_KEY";
    public const string DefaultOpenAIModel = "text-embedding-3-small";

    /// <summary>
    /// The generator <paramref name="options"/> describe, or null when embeddings are disabled or the provider is
    /// <see cref="EmbeddingProvider.None"/>. Throws <see cref="EmbeddingException"/> listing every problem found.
    /// </summary>
    public static IEmbeddingGenerator<string, Embedding<float>>? Create(EmbeddingOptions options, ILoggerFactory? loggerFactory = null) =>
        Create(options, loggerFactory, Environment.GetEnvironmentVariable);

    internal static IEmbeddingGenerator<string, Embedding<float>>? Create(
        EmbeddingOptions options,
        ILoggerFactory? loggerFactory,
        Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled || options.Provider == EmbeddingProvider.None)
        {
            return null;
        }

        var problems = Validate(options, environment);
        if (problems.Count > 0)
        {
            throw new EmbeddingException($"Invalid {EmbeddingOptions.SectionName} settings: {string.Join(" ", problems)}");
        }

        return options.Provider switch
        {
            EmbeddingProvider.Local => new OnnxEmbeddingGenerator(ToOnnxOptions(options), loggerFactory?.CreateLogger<OnnxEmbeddingGenerator>()),
            EmbeddingProvider.OpenAI => CreateOpenAI(options, environment, loggerFactory),
            EmbeddingProvider.AzureOpenAI => CreateAzureOpenAI(options, environment, loggerFactory),
            _ => throw new EmbeddingException($"Unknown embedding provider '{options.Provider}'."),
        };
    }

    internal static List<string> Validate(EmbeddingOptions options, Func<string, string?> environment)
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(options.Provider))
        {
            problems.Add($"Provider '{options.Provider}' is not one of Local, OpenAI, AzureOpenAI, None.");
            return problems;
        }

        if (options.Dimensions is < 1 or > 65536)
        {
            problems.Add($"Dimensions must be between 1 and 65536, not {options.Dimensions}.");
        }

        if (options.BatchSize is < 1 or > 2048)
        {
            problems.Add($"BatchSize must be between 1 and 2048, not {options.BatchSize}.");
        }

        if (options.Threads is < 1 or > 1024)
        {
            problems.Add($"Threads must be between 1 and 1024, not {options.Threads}.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            problems.Add($"MaxRetries must be between 0 and 10, not {options.MaxRetries}.");
        }

        if (!(options.TimeoutSeconds > 0 && options.TimeoutSeconds <= 3600))
        {
            problems.Add($"TimeoutSeconds must be above 0 and at most 3600, not {options.TimeoutSeconds}.");
        }

        Uri? endpoint = null;
        if (!string.IsNullOrWhiteSpace(options.Endpoint)
            && (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            problems.Add($"Endpoint '{options.Endpoint}' is not an absolute http(s) URL.");
        }

        switch (options.Provider)
        {
            case EmbeddingProvider.Local:
                if (options.MaxTokens is < 8 or > 512)
                {
                    problems.Add($"MaxTokens must be between 8 and 512 for the local model, not {options.MaxTokens}.");
                }

                if (ParseLocalModel(options.Model) is null)
                {
                    problems.Add($"Model '{options.Model}' is not a local model: use arctic-xs or minilm.");
                }

                if (options.Dimensions is { } d && d != 384)
                {
                    problems.Add($"The local models produce 384 dimensions, not {d}.");
                }

                break;
            case EmbeddingProvider.OpenAI:
                if (endpoint is null && ResolveKey(options, environment) is null)
                {
                    problems.Add($"OpenAI needs an API key: set ApiKey or {OpenAIKeyVariable} (or an Endpoint for a local OpenAI-compatible server).");
                }

                break;
            case EmbeddingProvider.AzureOpenAI:
                if (string.IsNullOrWhiteSpace(options.Endpoint))
                {
                    problems.Add("AzureOpenAI needs an Endpoint (https://<resource>.openai.azure.com/).");
                }

                if (string.IsNullOrWhiteSpace(options.Model))
                {
                    problems.Add("AzureOpenAI needs Model set to the embedding deployment's name.");
                }

                if (ResolveKey(options, environment) is null)
                {
                    problems.Add($"AzureOpenAI needs an API key: set ApiKey or {AzureOpenAIKeyVariable}.");
                }

                break;
        }

        return problems;
    }

    internal static OnnxEmbeddingModel? ParseLocalModel(string? model) => model?.Trim().ToLowerInvariant() switch
    {
        null or "" or "arctic-xs" or "arcticxs" or "snowflake-arctic-embed-xs" => OnnxEmbeddingModel.ArcticXs,
        "minilm" or "all-minilm-l6-v2" => OnnxEmbeddingModel.MiniLM,
        _ => null,
    };

    private static OnnxEmbeddingOptions ToOnnxOptions(EmbeddingOptions options) => new()
    {
        Model = ParseLocalModel(options.Model)!.Value,
        MaxTokens = options.MaxTokens,
        BatchSize = options.BatchSize ?? 8,
        Threads = options.Threads ?? new OnnxEmbeddingOptions().Threads,
        Quantize = options.Quantize,
        QueryPrefix = options.QueryPrefix,
    };

    private static string? ResolveKey(EmbeddingOptions options, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            return options.ApiKey;
        }

        var variable = options.Provider == EmbeddingProvider.AzureOpenAI ? AzureOpenAIKeyVariable : OpenAIKeyVariable;
        var value = environment(variable);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    private static RemoteEmbeddingGenerator CreateOpenAI(EmbeddingOptions options, Func<string, string?> environment, ILoggerFactory? loggerFactory)
    {
        var endpoint = string.IsNullOrWhiteSpace(options.Endpoint) ? null : new Uri(options.Endpoint);
        var clientOptions = new OpenAIClientOptions
        {
            NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            RetryPolicy = new ClientRetryPolicy(options.MaxRetries),
        };
        if (endpoint is not null)
        {
            clientOptions.Endpoint = endpoint;
        }

        // Local OpenAI-compatible servers (Ollama, vLLM) take no key, but the client insists on one.
        var key = ResolveKey(options, environment) ?? "unused";
        var model = string.IsNullOrWhiteSpace(options.Model) ? DefaultOpenAIModel : options.Model;
        var inner = new OpenAIClient(new ApiKeyCredential(key), clientOptions).GetEmbeddingClient(model).AsIEmbeddingGenerator(options.Dimensions);
        return new RemoteEmbeddingGenerator(
            inner, "openai", model, endpoint ?? new Uri("https://api.openai.com/v1"), options.Dimensions,
            options.BatchSize ?? 64, options.QueryPrefix, loggerFactory?.CreateLogger<RemoteEmbeddingGenerator>());
    }

    private static RemoteEmbeddingGenerator CreateAzureOpenAI(EmbeddingOptions options, Func<string, string?> environment, ILoggerFactory? loggerFactory)
    {
        var endpoint = new Uri(options.Endpoint!);
        var clientOptions = new AzureOpenAIClientOptions
        {
            NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            RetryPolicy = new ClientRetryPolicy(options.MaxRetries),
        };
        var deployment = options.Model!;
        var inner = new AzureOpenAIClient(endpoint, new ApiKeyCredential(ResolveKey(options, environment)!), clientOptions)
            .GetEmbeddingClient(deployment)
            .AsIEmbeddingGenerator(options.Dimensions);
        return new RemoteEmbeddingGenerator(
            inner, "azure-openai", deployment, endpoint, options.Dimensions,
            options.BatchSize ?? 64, options.QueryPrefix, loggerFactory?.CreateLogger<RemoteEmbeddingGenerator>());
    }
}
