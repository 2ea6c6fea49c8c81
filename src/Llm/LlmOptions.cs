using System.ComponentModel.DataAnnotations;

namespace GraphRag.Llm;

/// <summary>Where a language model is served.</summary>
public enum LlmProvider
{
    /// <summary>No model (the default): nothing is sent anywhere and every answer is extractive, as without this section.</summary>
    None,

    /// <summary>OpenAI, or any server that speaks its <c>/v1/chat/completions</c> protocol (Ollama, vLLM, LM Studio).</summary>
    OpenAI,

    /// <summary>An Azure OpenAI deployment.</summary>
    AzureOpenAI,
}

/// <summary>What a model is used for; each role may name its own provider, model and limits.</summary>
public enum LlmRole
{
    /// <summary>Entities and relations from chunks (<c>ingest --llm</c>).</summary>
    Extraction,

    /// <summary>Grounded answers with verified quotes.</summary>
    Answering,

    /// <summary>The next sub-question or bridge entity between retrieval rounds.</summary>
    Planning,
}

/// <summary>
/// The <c>GraphRag:Llm</c> configuration section. Validated at start-up by <see cref="LlmClientFactory.Validate"/>, which
/// names every problem in one message. The key usually comes from the environment:
/// <c>GRAPHRAG_GraphRag__Llm__ApiKey</c>, or <c>OPENAI_API_KEY</c> / <c>AZURE_OPENAI_API_KEY</c>.
/// </summary>
public sealed class LlmOptions
{
    public const string SectionName = "GraphRag:Llm";

    public LlmProvider Provider { get; set; } = LlmProvider.None;

    /// <summary>
    /// OpenAI: a base URL including <c>/v1</c> for any OpenAI-compatible server (<c>http://localhost:11434/v1</c>);
    /// empty means api.openai.com. Azure OpenAI: the resource URL (required).
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>The model (OpenAI, Ollama, vLLM: <c>gpt-4o-mini</c>, <c>llama3.1</c>) or the Azure deployment name.</summary>
    public string? Model { get; set; }

    /// <summary>When empty, read from OPENAI_API_KEY or AZURE_OPENAI_API_KEY.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Sampling temperature; 0 makes answers as repeatable as the provider allows.</summary>
    [Range(0, 2)]
    public double Temperature { get; set; }

    /// <summary>The most tokens one reply may have.</summary>
    [Range(1, 128_000)]
    public int MaxOutputTokens { get; set; } = 1024;

    /// <summary>One attempt's time limit, in seconds (a stream's gap between two reads).</summary>
    [Range(0.001, 3600)]
    public double TimeoutSeconds { get; set; } = 60;

    /// <summary>Retries of 408, 429, 5xx answers and network failures, with back-off that honours <c>Retry-After</c>.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The longest wait before a retry; a server that asks for longer is not retried.</summary>
    [Range(0.001, 3600)]
    public double MaxRetryDelaySeconds { get; set; } = 60;

    /// <summary>
    /// How tokens are counted for estimates and budgets: <c>Auto</c> (the model's encoding when known — gpt-4o, gpt-4.1
    /// and o-series use o200k_base, gpt-4 and gpt-3.5 cl100k_base — and o200k_base as an approximation otherwise),
    /// <c>o200k_base</c> or <c>cl100k_base</c>.
    /// </summary>
    public string Tokenizer { get; set; } = TokenCounter.Auto;

    /// <summary>Per-role overrides (<c>Roles:Extraction</c>, <c>Roles:Answering</c>, <c>Roles:Planning</c>).</summary>
    public LlmRolesOptions Roles { get; set; } = new();

    public LlmBudgetOptions Budget { get; set; } = new();

    /// <summary>
    /// Prices per model name (or Azure deployment name) in US dollars per million tokens; they replace the built-in
    /// estimates of <see cref="PriceTable"/>.
    /// </summary>
    public Dictionary<string, LlmPrice> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Per-role settings; what a role leaves empty it takes from <see cref="LlmOptions"/>.</summary>
public sealed class LlmRolesOptions
{
    public LlmRoleOptions Extraction { get; set; } = new();

    public LlmRoleOptions Answering { get; set; } = new();

    public LlmRoleOptions Planning { get; set; } = new();

    /// <summary>The overrides of <paramref name="role"/>.</summary>
    public LlmRoleOptions For(LlmRole role) => role switch
    {
        LlmRole.Extraction => Extraction,
        LlmRole.Answering => Answering,
        LlmRole.Planning => Planning,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };
}

/// <summary>One role's overrides. Empty values fall back to the section's.</summary>
public sealed class LlmRoleOptions
{
    public LlmProvider? Provider { get; set; }

    public string? Endpoint { get; set; }

    public string? Model { get; set; }

    public string? ApiKey { get; set; }

    [Range(1, 128_000)]
    public int? MaxOutputTokens { get; set; }
}

/// <summary>Token budgets: a call that would take a run or a query past its budget is refused before it is sent.</summary>
public sealed class LlmBudgetOptions
{
    /// <summary>Tokens (input and output) one process run may spend: an ingestion, an evaluation, a server's lifetime. Empty: no limit.</summary>
    [Range(1, long.MaxValue)]
    public long? TokensPerRun { get; set; }

    /// <summary>Tokens one query may spend on planning and answering.</summary>
    [Range(1, long.MaxValue)]
    public long? TokensPerQuery { get; set; } = 20_000;
}

/// <summary>A model's price in US dollars per million tokens.</summary>
public sealed class LlmPrice
{
    [Range(0, 10_000)]
    public decimal InputPerMillion { get; set; }

    [Range(0, 10_000)]
    public decimal OutputPerMillion { get; set; }
}
