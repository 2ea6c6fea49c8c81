using System.ComponentModel.DataAnnotations;

namespace GraphRag.Embeddings;

/// <summary>Where vectors come from.</summary>
public enum EmbeddingProvider
{
    /// <summary>The bundled ONNX model, offline (the default).</summary>
    Local,

    /// <summary>OpenAI, or any endpoint that speaks its <c>/v1/embeddings</c> protocol (Ollama, vLLM, LM Studio).</summary>
    OpenAI,

    /// <summary>An Azure OpenAI deployment.</summary>
    AzureOpenAI,

    /// <summary>No embeddings: dense retrieval is off.</summary>
    None,
}

/// <summary>
/// The <c>GraphRag:Embeddings</c> configuration section. Validated by <see cref="EmbeddingGeneratorFactory"/>,
/// which explains every problem in one <see cref="EmbeddingException"/>.
/// </summary>
public sealed class EmbeddingOptions
{
    public const string SectionName = "GraphRag:Embeddings";

    public bool Enabled { get; set; } = true;

    public EmbeddingProvider Provider { get; set; } = EmbeddingProvider.Local;

    /// <summary>
    /// Local: <c>arctic-xs</c> (default) or <c>minilm</c>. OpenAI: the model name (default
    /// <c>text-embedding-3-small</c>). Azure OpenAI: the deployment name (required).
    /// </summary>
    public string? Model { get; set; }

    /// <summary>
    /// OpenAI: an OpenAI-compatible base URL including <c>/v1</c> (e.g. <c>http://localhost:11434/v1</c>); empty
    /// means api.openai.com. Azure OpenAI: the resource URL (required).
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>When empty, read from OPENAI_API_KEY or AZURE_OPENAI_API_KEY.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Asks models that can shorten their vectors (text-embedding-3-*) for this many dimensions.</summary>
    [Range(1, 65536)]
    public int? Dimensions { get; set; }

    /// <summary>Inputs per model call or request; defaults to 8 locally and 64 remotely.</summary>
    [Range(1, 2048)]
    public int? BatchSize { get; set; }

    /// <summary>Local only: intra-op threads of one inference; defaults to 1 (see <see cref="OnnxEmbeddingOptions.Threads"/>).</summary>
    [Range(1, 1024)]
    public int? Threads { get; set; }

    /// <summary>Local only: inputs are truncated to this many tokens.</summary>
    [Range(8, 512)]
    public int MaxTokens { get; set; } = 256;

    /// <summary>Local only: int8 weights, about twice as fast.</summary>
    public bool Quantize { get; set; } = true;

    /// <summary>Replaces the model's own query prefix; an empty string means none.</summary>
    public string? QueryPrefix { get; set; }

    /// <summary>Remote only: one request's time limit.</summary>
    [Range(0.001, 3600)]
    public double TimeoutSeconds { get; set; } = 100;

    /// <summary>Remote only: retries of 408, 429 and 5xx answers, with back-off.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;
}
