using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Extraction;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace GraphRag.Llm.Extraction;

/// <summary>
/// Grounded extraction with a language model (<c>graphrag ingest --llm</c>): the rule-based extractor runs as always,
/// then each chunk goes to the Extraction role's model with <see cref="ExtractionPrompt"/>, and what the reply proposes is
/// checked against the chunk and merged in by <see cref="GraphMerge"/> — a type or label outside the domain profile, a
/// quote that is not in the chunk, or a malformed reply is dropped and counted, never stored. Replies are cached by
/// (chunk text, model, prompt version) in the store with their document, so text sent once is not sent again; a dry run
/// (<see cref="EstimateAsync"/>) counts what would be sent without sending it.
/// </summary>
/// <remarks>
/// One instance per ingestion run: it counts the run's work (<see cref="Report"/>) and meters its tokens, bounded by
/// <c>Budget:TokensPerRun</c>. When the budget is spent, or the model refuses the key, it throws
/// <see cref="ExtractionStoppedException"/> and the pipeline stops the run cleanly. A request that fails otherwise (rate
/// limits and server errors after the connector's retries, timeouts) fails its document, which is then not written,
/// so running again completes it. Thread-safe.
/// </remarks>
public sealed partial class ModelGraphExtractor : IGraphExtractor, IExtractionCostEstimator
{
    /// <summary>Output tokens estimated per request: this many plus <see cref="OutputTokensPerChunkToken"/> per token of the chunk, capped at the output limit.</summary>
    public const int OutputTokensBase = 50;

    /// <summary>See <see cref="OutputTokensBase"/>: each entity and relation of a passage comes back with its name and quote in JSON.</summary>
    public const int OutputTokensPerChunkToken = 2;

    private readonly IGraphExtractor _rules;
    private readonly IChatClient _chat;
    private readonly LlmRoleSettings _settings;
    private readonly TokenCounter _tokens;
    private readonly IExtractionCache? _cache;
    private readonly DomainProfile? _profile;
    private readonly HashSet<string> _types;
    private readonly HashSet<string> _labels;
    private readonly LlmUsageMeter _run;
    private readonly ModelExtractionTally _tally = new();
    private readonly int _schemaTokens;
    private readonly ILogger _logger;

    /// <param name="rules">The rule-based extractor, whose graph the model's findings are merged into.</param>
    /// <param name="chat">The Extraction role's metered chat client.</param>
    /// <param name="settings">The Extraction role's model and limits.</param>
    /// <param name="tokens">The model's tokenizer, for estimates.</param>
    /// <param name="prompt">The prompt, with the domain's allowed types and labels.</param>
    /// <param name="cache">Where cached replies are found; null caches nothing across runs.</param>
    /// <param name="profile">The domain profile, whose relations may constrain their ends' types.</param>
    /// <param name="tokensPerRun">The run's token budget; null for none.</param>
    /// <param name="logger">Where dropped replies and the stop are logged.</param>
    public ModelGraphExtractor(
        IGraphExtractor rules,
        IChatClient chat,
        LlmRoleSettings settings,
        TokenCounter tokens,
        ExtractionPrompt prompt,
        IExtractionCache? cache = null,
        DomainProfile? profile = null,
        long? tokensPerRun = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(prompt);
        _rules = rules;
        _chat = chat;
        _settings = settings;
        _tokens = tokens;
        Prompt = prompt;
        _cache = cache;
        _profile = profile;
        _types = prompt.EntityTypes.ToHashSet(StringComparer.Ordinal);
        _labels = prompt.RelationLabels.ToHashSet(StringComparer.Ordinal);
        _run = new LlmUsageMeter("ingest run", tokensPerRun);
        _schemaTokens = tokens.Count(prompt.SchemaText);
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        Tag = Extractors.Model(settings.Model);
    }

    /// <summary>
    /// The extractor for one ingestion run over <paramref name="rules"/>, with the Extraction role of
    /// <paramref name="clients"/>. Throws <see cref="LlmException"/> when the role has no model.
    /// </summary>
    public static ModelGraphExtractor Create(
        LlmClients? clients, IGraphExtractor rules, DomainProfile? profile, IExtractionCache? cache, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (clients?.For(LlmRole.Extraction) is not { } chat || clients.Settings(LlmRole.Extraction) is not { } settings)
        {
            throw new LlmException(
                $"Extraction with a model needs one: set {LlmOptions.SectionName}:Provider and Model (or Roles:Extraction), see the README's \"Language models\".");
        }

        return new ModelGraphExtractor(
            rules, chat, settings, clients.Tokens(LlmRole.Extraction), ExtractionPrompt.For(profile, rules.Vocabulary), cache, profile,
            clients.Options.Budget.TokensPerRun, logger);
    }

    /// <summary>The rule-based version, the model and the prompt version: a change of any re-processes documents.</summary>
    public string Version => $"{_rules.Version}+{Tag}/{Prompt.Version}";

    public RelationVocabulary Vocabulary => _rules.Vocabulary;

    public ExtractionPrompt Prompt { get; }

    /// <summary>The provenance tag of what the model found: <c>llm:&lt;model&gt;</c>.</summary>
    public string Tag { get; }

    /// <summary>What this run did so far.</summary>
    public ModelExtractionReport Report => _tally.Snapshot(_settings.Model, Prompt.Version, _run.Usage);

    /// <summary>Blocks on <see cref="ExtractForStorageAsync"/>; the pipeline calls that.</summary>
    public DocumentGraph Extract(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default) =>
        ExtractForStorageAsync(document, chunks, cancellationToken).AsTask().GetAwaiter().GetResult().Graph;

    public async ValueTask<DocumentGraph> ExtractAsync(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default) =>
        (await ExtractForStorageAsync(document, chunks, cancellationToken).ConfigureAwait(false)).Graph;

    public async ValueTask<ExtractionResult> ExtractForStorageAsync(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(chunks);
        var rules = await _rules.ExtractAsync(document, chunks, cancellationToken).ConfigureAwait(false);
        _tally.Document();
        var work = Sendable(chunks);
        var cached = await CachedAsync(work, cancellationToken).ConfigureAwait(false);
        var merge = new GraphMerge(document, rules, Tag, _types, _labels, _profile);
        var entries = new List<ExtractionCacheEntry>(work.Count);
        var replies = new Dictionary<string, string>(cached, StringComparer.Ordinal);
        foreach (var (chunk, key) in work)
        {
            var hit = replies.TryGetValue(key, out var reply);
            _tally.Chunk(cached: hit);
            if (!hit)
            {
                reply = await AskAsync(chunk, cancellationToken).ConfigureAwait(false);
                replies[key] = reply;
            }

            entries.Add(new ExtractionCacheEntry(chunk.Id, key, reply!));
            var outcome = merge.Add(chunk, reply!);
            _tally.Add(outcome);
            if (outcome.MalformedReply)
            {
                _tally.MalformedReply();
                LogMalformed(_logger, document.Id, chunk.Ordinal);
            }
        }

        return new ExtractionResult(merge.Build()) { Cache = entries };
    }

    /// <summary>
    /// What extracting the document would send, counted with the model's tokenizer over the very messages that would be
    /// sent plus the reply schema (which providers count as prompt), with the output estimated as
    /// <see cref="OutputTokensBase"/> + <see cref="OutputTokensPerChunkToken"/> × the chunk's tokens, capped at the output limit.
    /// Chunks whose reply the store holds, and repeats of a text within the document, cost nothing.
    /// </summary>
    public async ValueTask<ExtractionCostEstimate> EstimateAsync(Document document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(chunks);
        var work = Sendable(chunks);
        var cached = await CachedAsync(work, cancellationToken).ConfigureAwait(false);
        var requests = new List<ExtractionRequestEstimate>();
        var seen = new HashSet<string>(cached.Keys, StringComparer.Ordinal);
        var hits = 0;
        foreach (var (chunk, key) in work)
        {
            if (!seen.Add(key))
            {
                hits++;
                continue;
            }

            var input = _tokens.Count(Prompt.Messages(chunk.Text)) + _schemaTokens;
            requests.Add(new ExtractionRequestEstimate(key, input, EstimateOutputTokens(_tokens.Count(chunk.Text), _settings.MaxOutputTokens), _settings.MaxOutputTokens));
        }

        return new ExtractionCostEstimate(requests, hits);
    }

    /// <summary>The output estimate of a chunk of <paramref name="chunkTokens"/> tokens under an output limit.</summary>
    public static int EstimateOutputTokens(int chunkTokens, int maxOutputTokens) =>
        Math.Min(maxOutputTokens, OutputTokensBase + (OutputTokensPerChunkToken * chunkTokens));

    /// <summary>Chunks with something to read, with their cache keys, in order.</summary>
    private List<(Chunk Chunk, string Key)> Sendable(IReadOnlyList<Chunk> chunks) =>
        [.. chunks.Where(c => !string.IsNullOrWhiteSpace(c.Text)).Select(c => (c, Prompt.CacheKey(_settings.Model, c.Text)))];

    private async Task<IReadOnlyDictionary<string, string>> CachedAsync(List<(Chunk Chunk, string Key)> work, CancellationToken cancellationToken) =>
        _cache is null || work.Count == 0
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : await _cache.GetExtractionRepliesAsync([.. work.Select(w => w.Key).Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);

    private async Task<string> AskAsync(Chunk chunk, CancellationToken cancellationToken)
    {
        try
        {
            using (LlmUsageScope.Begin(_run))
            {
                var response = await _chat.GetResponseAsync(Prompt.Messages(chunk.Text), new ChatOptions { ResponseFormat = Prompt.ResponseFormat }, cancellationToken)
                    .ConfigureAwait(false);
                _tally.Request();
                return response.Text ?? string.Empty;
            }
        }
        catch (LlmBudgetExceededException ex)
        {
            // Refused before anything was sent: the run stops here, cleanly.
            throw new ExtractionStoppedException(
                $"{ex.Message}; raise {LlmOptions.SectionName}:Budget:TokensPerRun and run again to process the rest", ex);
        }
        catch (LlmException ex) when (ex.StatusCode is 401 or 403 or 404)
        {
            // The key or the model is wrong: every other request would be refused the same way.
            _tally.Request();
            _tally.FailedRequest();
            throw new ExtractionStoppedException(ex.Message, ex);
        }
        catch (LlmException)
        {
            _tally.Request();
            _tally.FailedRequest();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The extraction model's reply for chunk {Ordinal} of {DocumentId} is not JSON of the schema; the chunk keeps its rule-based graph")]
    private static partial void LogMalformed(ILogger logger, string documentId, int ordinal);
}
