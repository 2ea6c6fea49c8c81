using System.ClientModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenAI;

namespace GraphRag.Llm;

/// <summary>
/// Builds the configured chat clients once, at start-up: one <see cref="IChatClient"/> per role, through the real
/// connectors (<c>OpenAIClient(…).GetChatClient(model).AsIChatClient()</c> for OpenAI and OpenAI-compatible servers,
/// <c>AzureOpenAIClient(…).GetChatClient(deployment).AsIChatClient()</c> for Azure), each with the timeout, the retry
/// policy that honours <c>Retry-After</c>, and the <see cref="MeteredChatClient"/> that meters usage and enforces budgets.
/// </summary>
public static class LlmClientFactory
{
    public const string OpenAIKeyVariable = "OPENAI_API_KEY";
    public const string AzureOpenAIKeyVariable = "AZURE_OPENAI_API_KEY";

    /// <summary>
    /// The clients <paramref name="options"/> describe, or null when no role has a provider (the default: nothing is
    /// ever sent). Throws <see cref="LlmException"/> naming every problem found.
    /// </summary>
    public static LlmClients? Create(LlmOptions options, ILoggerFactory? loggers = null, TimeProvider? time = null) =>
        Create(options, loggers, time, Environment.GetEnvironmentVariable);

    internal static LlmClients? Create(LlmOptions options, ILoggerFactory? loggers, TimeProvider? time, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = Validate(options, environment);
        if (problems.Count > 0)
        {
            throw new LlmException($"Invalid {LlmOptions.SectionName} settings: {string.Join(" ", problems)}");
        }

        var roles = Enum.GetValues<LlmRole>().Where(r => ProviderOf(options, r) != LlmProvider.None).ToList();
        if (roles.Count == 0)
        {
            return null;
        }

        var prices = new PriceTable(options.Prices);
        var run = new LlmUsageMeter("run", options.Budget.TokensPerRun);
        var clients = new Dictionary<LlmRole, (IChatClient Client, LlmRoleSettings Settings, TokenCounter Tokens)>();
        foreach (var role in roles)
        {
            var settings = Resolve(options, role);
            var tokens = TokenCounter.For(settings.Model, options.Tokenizer);
            var logger = loggers?.CreateLogger("GraphRag.Llm") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
            var connector = Connect(options, settings, ResolveKey(options, role, environment), time ?? TimeProvider.System, logger);
            clients[role] = (new MeteredChatClient(connector, settings, tokens, prices, run, options.TimeoutSeconds, logger), settings, tokens);
        }

        return new LlmClients(options, clients, prices, run);
    }

    /// <summary>Every problem with the settings, one sentence each; empty when they are usable (or name no provider).</summary>
    public static IReadOnlyList<string> Validate(LlmOptions options) => Validate(options, Environment.GetEnvironmentVariable);

    internal static List<string> Validate(LlmOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (!Enum.IsDefined(options.Provider))
        {
            problems.Add($"Provider '{options.Provider}' is not one of None, OpenAI, AzureOpenAI.");
            return problems;
        }

        foreach (var target in new object[] { options, options.Budget, options.Roles.Extraction, options.Roles.Answering, options.Roles.Planning })
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(target, new ValidationContext(target), results, validateAllProperties: true);
            problems.AddRange(results.Select(r => r.ErrorMessage + (target is LlmRoleOptions ? " (in Roles)" : string.Empty)));
        }

        if (!TokenCounter.IsKnownEncoding(options.Tokenizer ?? string.Empty) && !string.Equals(options.Tokenizer, TokenCounter.Auto, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Tokenizer '{options.Tokenizer}' is not one of {TokenCounter.Auto}, {TokenCounter.O200kBase}, {TokenCounter.Cl100kBase}.");
        }

        foreach (var (model, price) in options.Prices)
        {
            if (price is null || price.InputPerMillion < 0 || price.OutputPerMillion < 0)
            {
                problems.Add($"Prices:{model} needs InputPerMillion and OutputPerMillion of 0 or more.");
            }
        }

        foreach (var role in Enum.GetValues<LlmRole>())
        {
            var provider = ProviderOf(options, role);
            var prefix = options.Roles.For(role).Provider is null && options.Roles.For(role).Model is null && options.Roles.For(role).Endpoint is null
                ? string.Empty
                : $"Roles:{role}: ";
            if (!Enum.IsDefined(provider))
            {
                problems.Add($"{prefix}Provider '{provider}' is not one of None, OpenAI, AzureOpenAI.");
                continue;
            }

            if (provider == LlmProvider.None)
            {
                continue;
            }

            var endpointText = options.Roles.For(role).Endpoint ?? options.Endpoint;
            if (!string.IsNullOrWhiteSpace(endpointText)
                && (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https")))
            {
                problems.Add($"{prefix}Endpoint '{endpointText}' is not an absolute http(s) URL.");
            }

            if (string.IsNullOrWhiteSpace(options.Roles.For(role).Model ?? options.Model))
            {
                problems.Add(provider == LlmProvider.AzureOpenAI
                    ? $"{prefix}AzureOpenAI needs Model set to the chat deployment's name."
                    : $"{prefix}OpenAI needs Model set to the model's name (gpt-4o-mini, or llama3.1 on Ollama).");
            }

            var key = ResolveKey(options, role, environment);
            if (provider == LlmProvider.AzureOpenAI)
            {
                if (string.IsNullOrWhiteSpace(endpointText))
                {
                    problems.Add($"{prefix}AzureOpenAI needs an Endpoint (https://<resource>.openai.azure.com/).");
                }

                if (key is null)
                {
                    problems.Add($"{prefix}AzureOpenAI needs an API key: set ApiKey (GRAPHRAG_GraphRag__Llm__ApiKey) or {AzureOpenAIKeyVariable}.");
                }
            }
            else if (key is null && string.IsNullOrWhiteSpace(endpointText))
            {
                problems.Add($"{prefix}OpenAI needs an API key: set ApiKey (GRAPHRAG_GraphRag__Llm__ApiKey) or {OpenAIKeyVariable}, or an Endpoint for a local OpenAI-compatible server.");
            }
        }

        return [.. problems.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>A role's settings: its overrides over the section's.</summary>
    public static LlmRoleSettings Resolve(LlmOptions options, LlmRole role)
    {
        ArgumentNullException.ThrowIfNull(options);
        var overrides = options.Roles.For(role);
        var endpoint = overrides.Endpoint ?? options.Endpoint;
        return new LlmRoleSettings(
            role,
            ProviderOf(options, role),
            string.IsNullOrWhiteSpace(endpoint) ? null : new Uri(endpoint),
            (overrides.Model ?? options.Model ?? string.Empty).Trim(),
            overrides.MaxOutputTokens ?? options.MaxOutputTokens,
            options.Temperature);
    }

    private static LlmProvider ProviderOf(LlmOptions options, LlmRole role) => options.Roles.For(role).Provider ?? options.Provider;

    private static string? ResolveKey(LlmOptions options, LlmRole role, Func<string, string?> environment)
    {
        var key = options.Roles.For(role).ApiKey ?? options.ApiKey;
        if (!string.IsNullOrWhiteSpace(key))
        {
            return key;
        }

        var variable = ProviderOf(options, role) == LlmProvider.AzureOpenAI ? AzureOpenAIKeyVariable : OpenAIKeyVariable;
        var value = environment(variable);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    private static IChatClient Connect(LlmOptions options, LlmRoleSettings settings, string? key, TimeProvider time, ILogger logger)
    {
        var timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        var retry = new LlmRetryPolicy(
            options.MaxRetries, TimeSpan.FromSeconds(options.MaxRetryDelaySeconds), time, logger,
            string.Create(CultureInfo.InvariantCulture, $"{settings.Describe()} ({settings.Role.ToString().ToLowerInvariant()})"));
        if (settings.Provider == LlmProvider.AzureOpenAI)
        {
            var azure = new AzureOpenAIClientOptions { NetworkTimeout = timeout, RetryPolicy = retry };
            return new AzureOpenAIClient(settings.Endpoint!, new ApiKeyCredential(key!), azure).GetChatClient(settings.Model).AsIChatClient();
        }

        var openAI = new OpenAIClientOptions { NetworkTimeout = timeout, RetryPolicy = retry };
        if (settings.Endpoint is not null)
        {
            openAI.Endpoint = settings.Endpoint;
        }

        // Local OpenAI-compatible servers (Ollama, vLLM) take no key, but the client insists on one.
        return new OpenAIClient(new ApiKeyCredential(key ?? "unused"), openAI).GetChatClient(settings.Model).AsIChatClient();
    }
}

/// <summary>
/// The configured chat clients, one per role that has a model, with the run's usage meter, the price table and each
/// role's token counter. Built once by <see cref="LlmClientFactory.Create(LlmOptions, ILoggerFactory?, TimeProvider?)"/>;
/// thread-safe.
/// </summary>
public sealed class LlmClients : IDisposable
{
    private readonly Dictionary<LlmRole, (IChatClient Client, LlmRoleSettings Settings, TokenCounter Tokens)> _roles;

    internal LlmClients(
        LlmOptions options,
        Dictionary<LlmRole, (IChatClient Client, LlmRoleSettings Settings, TokenCounter Tokens)> roles,
        PriceTable prices,
        LlmUsageMeter run)
    {
        Options = options;
        _roles = roles;
        Prices = prices;
        Run = run;
    }

    public LlmOptions Options { get; }

    /// <summary>Everything this process spent, bounded by <c>Budget:TokensPerRun</c>.</summary>
    public LlmUsageMeter Run { get; }

    public PriceTable Prices { get; }

    /// <summary>True when <paramref name="role"/> has a model.</summary>
    public bool Has(LlmRole role) => _roles.ContainsKey(role);

    /// <summary>The metered chat client of <paramref name="role"/>; null when the role has no model.</summary>
    public IChatClient? For(LlmRole role) => _roles.TryGetValue(role, out var entry) ? entry.Client : null;

    /// <summary>The role's resolved settings; null when it has no model.</summary>
    public LlmRoleSettings? Settings(LlmRole role) => _roles.TryGetValue(role, out var entry) ? entry.Settings : null;

    /// <summary>
    /// The token counter of the role's model (with no model configured for the role, the counter of the section's
    /// model), for estimates made without sending anything.
    /// </summary>
    public TokenCounter Tokens(LlmRole role) =>
        _roles.TryGetValue(role, out var entry) ? entry.Tokens : TokenCounter.For(Options.Roles.For(role).Model ?? Options.Model, Options.Tokenizer);

    /// <summary>A meter for one query, bounded by <c>Budget:TokensPerQuery</c>.</summary>
    public LlmUsageMeter NewQueryMeter() => new("query", Options.Budget.TokensPerQuery);

    public void Dispose()
    {
        foreach (var (client, _, _) in _roles.Values)
        {
            client.Dispose();
        }
    }
}
