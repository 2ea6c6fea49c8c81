using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Security;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Privacy;
using GraphRag.Ingest.Readers;
using GraphRag.Llm;
using GraphRag.Llm.Answering;
using GraphRag.Llm.Planning;
using GraphRag.Query;
using GraphRag.Query.Answering;
using GraphRag.Query.Exploration;
using GraphRag.Query.Retrieval;
using GraphRag.Query.Security;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GraphRag.Hosting;

/// <summary>
/// The runtime built once from settings: a store backend (its roles only — the host never sees which store it is),
/// the ingestion pipeline, the query engine and the explorer. Thread-safe; dispose it to release the store.
/// </summary>
public sealed partial class Engine : IAsyncDisposable
{
    private ServiceProvider? _ownedServices;

    internal Engine(
        GraphRagSettings settings,
        IGraphBackend backend,
        IngestionPipeline pipeline,
        QueryEngine query,
        PiiDetector personalData,
        PiiPseudonymizer pseudonyms,
        IEmbeddingGenerator<string, Embedding<float>>? embeddings,
        LlmClients? llm)
    {
        Embeddings = embeddings;
        Llm = llm;
        Settings = settings;
        Backend = backend;
        Pipeline = pipeline;
        Query = query;
        Scopes = new AccessScopes(backend.Access);
        Explorer = new GraphExplorer(backend.Graph, backend.Indexes, backend.Documents);
        PersonalData = personalData;
        Pseudonyms = pseudonyms;
    }

    public GraphRagSettings Settings { get; }

    /// <summary>The store's roles.</summary>
    public IGraphBackend Backend { get; }

    /// <summary>Where the data lives (a file path or a server address), for messages.</summary>
    public string Location => Backend.Location;

    public IDocumentReader Documents => Backend.Documents;

    public IDocumentWriter Writer => Backend.Writer;

    public IStoreStatistics Statistics => Backend.Statistics;

    public IngestionPipeline Pipeline { get; }

    /// <summary>The embedding generator chunks and questions are embedded with; null when embeddings are off.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Embeddings { get; }

    /// <summary>The model this engine's vectors are of; null when embeddings are off.</summary>
    public VectorModel? VectorModel => Embeddings is null ? null : Settings.Store.VectorModel;

    public QueryEngine Query { get; }

    /// <summary>
    /// The configured language models (<c>GraphRag:Llm</c>), one chat client per role, with the run's usage meter; null
    /// when no provider is configured, and then nothing is ever sent to one.
    /// </summary>
    public LlmClients? Llm { get; }

    /// <summary>The personal-data detector ingestion uses, for masking text on its way out.</summary>
    public PiiDetector PersonalData { get; }

    /// <summary>Turns personal data in document ids into keyed pseudonyms, as ingestion does under mask and redact.</summary>
    public PiiPseudonymizer Pseudonyms { get; }

    /// <summary>
    /// The id an upload of <paramref name="caller"/> named <paramref name="name"/> is stored under with this policy:
    /// <c>uploads/&lt;principal&gt;/&lt;name&gt;</c>, pseudonymised as ingestion does unless the policy keeps personal data.
    /// </summary>
    public string UploadId(Caller caller, string name, PiiPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var id = $"uploads/{caller.Principal}/{name}";
        return policy == PiiPolicy.Keep ? id : Pseudonyms.Apply(id);
    }

    /// <summary>True when the document id is one of the caller's own uploads, under any policy.</summary>
    public bool IsOwnUpload(Caller caller, string documentId) =>
        documentId.StartsWith(UploadId(caller, string.Empty, PiiPolicy.Keep), StringComparison.Ordinal)
        || documentId.StartsWith(UploadId(caller, string.Empty, PiiPolicy.Mask), StringComparison.Ordinal);

    /// <summary>Replaces personal data in a text with placeholders such as <c>[EMAIL]</c>.</summary>
    public string MaskPersonalData(string text) => PersonalData.Mask(text);

    /// <summary>The personal data the detector finds in a text, as labelled spans.</summary>
    public IReadOnlyList<SensitiveSpan> DetectPersonalData(string text) =>
        [.. PersonalData.Detect(text).Select(m => new SensitiveSpan(m.Start, m.End, m.Label))];

    /// <summary>
    /// What of the stored text may be sent to a language model on behalf of <paramref name="caller"/>: the rules of the
    /// HTTP output filter (recorded spans, then the detector) for a caller without the <c>pii</c> grant; null for one
    /// with it, who sees personal data anyway.
    /// </summary>
    public PersonalDataMask? PromptMask(Caller caller, CallerAccess access)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(access);
        return caller.Has(Grants.Pii) ? null : new PersonalDataMask(access.UnmaskedDocuments, access.Sensitive, DetectPersonalData);
    }

    /// <summary>Entity search, entity pages, subgraphs and paths, seen through a caller's scope.</summary>
    public GraphExplorer Explorer { get; }

    /// <summary>Callers' readable documents, cached per store generation.</summary>
    public AccessScopes Scopes { get; }

    /// <summary>
    /// Loads the in-memory indexes now, so the writes that follow keep them current as they commit and the index file
    /// written on dispose lets the next process start at once. Ingestion runs call it first.
    /// </summary>
    public Task PrepareForWritesAsync(CancellationToken cancellationToken = default)
    {
        // The chunker's vocabulary too: opening an engine leaves it unloaded, since a query never chunks.
        TiktokenTokenCounter.Warm();
        return Backend.Indexes.EnsureCurrentAsync(cancellationToken);
    }

    /// <summary>
    /// Re-embeds every chunk of the store with the configured model (<see cref="Reembedder"/>). Open the engine with
    /// <c>Store.CheckVectorModel = false</c> to re-embed a store of another model. Fails clearly when embeddings are off.
    /// </summary>
    public Task<ReembedSummary> ReembedAsync(ReembedRequest request, IProgress<ReembedProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Embeddings is null || VectorModel is not { } model)
        {
            throw new GraphRagException(
                "Embeddings are off (--no-embeddings, GraphRag:Embeddings:Enabled=false or Provider None), so there is no model to re-embed with. "
                + "Turn them on and run `graphrag reembed` again.");
        }

        var vectors = Backend.Vectors ?? throw new GraphRagException($"The store '{Location}' keeps no chunk vectors.");
        return new Reembedder(Documents, vectors, Embeddings, model, PersonalData).RunAsync(request, progress, cancellationToken);
    }

    /// <summary>
    /// Brings the indexes up to what was written, synonym edges included (new entity names are embedded and matched),
    /// so the first query after an ingestion run does not pay for it. Ingestion runs call it last.
    /// </summary>
    public Task FinishWritesAsync(CancellationToken cancellationToken = default) => Backend.Indexes.GetSnapshotAsync(cancellationToken);

    /// <summary>Opens the engine the settings describe: <c>services.AddGraphRag(settings).UseConfiguredStore()</c>, then built.</summary>
    public static Task<Engine> OpenAsync(GraphRagSettings settings, CancellationToken cancellationToken = default) =>
        OpenAsync(settings, null, cancellationToken);

    /// <summary>As <see cref="OpenAsync(GraphRagSettings, CancellationToken)"/>, logging through <paramref name="loggers"/>.</summary>
    public static async Task<Engine> OpenAsync(GraphRagSettings settings, ILoggerFactory? loggers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var services = new ServiceCollection();
        if (loggers is not null)
        {
            services.AddSingleton(loggers);
        }

        services.AddGraphRag(settings).UseConfiguredStore();
        // The engine owns the provider it was built from (and so the embedding generator), and releases it on dispose.
        var provider = services.BuildServiceProvider();
        try
        {
            var engine = await provider.GetRequiredService<EngineFactory>().OpenAsync(cancellationToken).ConfigureAwait(false);
            engine._ownedServices = provider;
            return engine;
        }
        catch
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The engine over an opened backend: the pipeline and query engine built once on its roles.</summary>
    internal static async Task<Engine> CreateAsync(GraphRagSettings settings, IGraphBackend backend, IServiceProvider services, CancellationToken cancellationToken)
    {
        LlmClients? llm = null;
        try
        {
            // Not warmed: a query-only process (a one-off `graphrag query`) would pay ~0.2 s for a vocabulary it never uses.
            var chunker = NewChunker(settings);
            IGraphExtractor extractor = settings.Ingest.ExtractGraph
                ? await RuleBasedGraphExtractor.CreateAsync(settings.Ingest.Extraction, cancellationToken).ConfigureAwait(false)
                : new NoGraphExtractor();
            var loggers = services.GetService<ILoggerFactory>();
            llm = LlmClientFactory.Create(settings.Llm, loggers, services.GetService<TimeProvider>());
            var embeddings = services.GetRequiredService<EmbeddingRuntime>();
            if (embeddings.Generator is { } names && settings.Synonyms.Enabled)
            {
                backend.Indexes.UseSynonyms(new GeneratorNameEmbedder(names), settings.Synonyms);
            }

            IngestionPipeline PipelineWith(IGraphExtractor runExtractor) => new(
                backend.Writer, backend.Documents, new FormatReaderRegistry(), chunker, runExtractor, settings.Ingest, backend.Secrets, embeddings.Generator, backend.Vectors)
            {
                Logger = loggers?.CreateLogger<IngestionPipeline>(),
            };
            var pipeline = PipelineWith(extractor);
            // Without a model (the default) the answer is extractive and the rounds choose bridges by the graph alone.
            IAnswerGenerator answers = new ExtractiveAnswerGenerator();
            if (llm?.For(LlmRole.Answering) is { } answering)
            {
                answers = new GroundedAnswerGenerator(answering, answers, loggers?.CreateLogger<GroundedAnswerGenerator>());
            }

            var planner = llm?.For(LlmRole.Planning) is { } planning ? new ModelHopPlanner(planning, loggers?.CreateLogger<ModelHopPlanner>()) : null;
            var query = new QueryEngine(
                backend.Documents, backend.Indexes, backend.Graph, backend.Indexes, answers, settings.Query,
                embeddings.Generator is { } generator ? new VectorChannel(generator, backend.Indexes, embeddings.QueryPrefix) : null,
                extractor.Vocabulary,
                planner,
                llm is null ? null : new LlmQueryUsage(llm))
            {
                Logger = loggers?.CreateLogger<QueryEngine>(),
            };
            var personalData = new PiiDetector(settings.Ingest.Pii);
            await RecordSensitiveSpansAsync(backend.Backfill, personalData, cancellationToken).ConfigureAwait(false);
            var pseudonyms = new PiiPseudonymizer(personalData, await backend.Secrets.GetOrCreateSecretAsync(IngestionPipeline.PseudonymKey, cancellationToken).ConfigureAwait(false));
            return new Engine(settings, backend, pipeline, query, personalData, pseudonyms, embeddings.Generator, llm)
            {
                ModelIngestionParts = new(extractor, PipelineWith, loggers),
            };
        }
        catch
        {
            llm?.Dispose();
            await backend.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Documents stored before personal-data spans were recorded get them now, found over each whole text, so masking
    /// covers them wherever a passage or quote cuts one. Runs once: afterwards no document lacks spans.
    /// </summary>
    private static async Task RecordSensitiveSpansAsync(ISensitiveSpanBackfill store, PiiDetector detector, CancellationToken cancellationToken)
    {
        while (await store.GetUnscannedAsync(500, cancellationToken).ConfigureAwait(false) is { Count: > 0 } batch)
        {
            var spans = batch.ToDictionary(
                d => d.DocumentId,
                d => (IReadOnlyList<SensitiveSpan>)detector.Detect(d.Text).Select(m => new SensitiveSpan(m.Start, m.End, m.Label)).ToList(),
                StringComparer.Ordinal);
            await store.SetSensitiveAsync(spans, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The chunker ingestion uses, vocabulary loaded, for tools that chunk without a store (benchmarks).</summary>
    public static Chunker CreateChunker(GraphRagSettings settings)
    {
        TiktokenTokenCounter.Warm();
        return NewChunker(settings);
    }

    /// <summary>The chunker ingestion uses; its vocabulary loads on first use.</summary>
    private static Chunker NewChunker(GraphRagSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new Chunker(settings.Ingest.Chunking, new TiktokenTokenCounter());
    }

    public async ValueTask DisposeAsync()
    {
        Llm?.Dispose();
        await Backend.DisposeAsync().ConfigureAwait(false);
        if (_ownedServices is not null)
        {
            await _ownedServices.DisposeAsync().ConfigureAwait(false);
        }
    }
}
