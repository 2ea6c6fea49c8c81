using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Graph.Security;
using GraphRag.Graph.Sqlite;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Privacy;
using GraphRag.Ingest.Readers;
using GraphRag.Query;
using GraphRag.Query.Answering;
using GraphRag.Query.Exploration;
using GraphRag.Query.Security;

namespace GraphRag.Api.Hosting;

/// <summary>
/// The runtime built once from settings: the store, the ingestion pipeline and the query engine. Thread-safe;
/// dispose it to release the store.
/// </summary>
public sealed class Engine : IAsyncDisposable
{
    private Engine(GraphRagSettings settings, SqliteGraphStore store, IngestionPipeline pipeline, QueryEngine query, PiiDetector personalData, PiiPseudonymizer pseudonyms)
    {
        Settings = settings;
        Store = store;
        Pipeline = pipeline;
        Query = query;
        Scopes = new AccessScopes(store);
        Explorer = new GraphExplorer(store);
        PersonalData = personalData;
        Pseudonyms = pseudonyms;
    }

    public GraphRagSettings Settings { get; }

    public SqliteGraphStore Store { get; }

    public IngestionPipeline Pipeline { get; }

    public QueryEngine Query { get; }

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

    /// <summary>Entity search, entity pages, subgraphs and paths, seen through a caller's scope.</summary>
    public GraphExplorer Explorer { get; }

    /// <summary>Callers' readable documents, cached per store generation.</summary>
    public AccessScopes Scopes { get; }

    public static async Task<Engine> OpenAsync(GraphRagSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var store = await SqliteGraphStore.OpenAsync(settings.Store, cancellationToken);
        var chunker = CreateChunker(settings);
        IGraphExtractor extractor = settings.Ingest.ExtractGraph
            ? await RuleBasedGraphExtractor.CreateAsync(settings.Ingest.Extraction, cancellationToken)
            : new NoGraphExtractor();
        var pipeline = new IngestionPipeline(store, store, new FormatReaderRegistry(), chunker, extractor, settings.Ingest, store);
        var query = new QueryEngine(store, store, store, new ExtractiveAnswerGenerator(), settings.Query);
        var personalData = new PiiDetector(settings.Ingest.Pii);
        await RecordSensitiveSpansAsync(store, personalData, cancellationToken);
        var pseudonyms = new PiiPseudonymizer(personalData, await store.GetOrCreateSecretAsync(IngestionPipeline.PseudonymKey, cancellationToken));
        return new Engine(settings, store, pipeline, query, personalData, pseudonyms);
    }

    /// <summary>
    /// Documents stored before personal-data spans were recorded get them now, found over each whole text, so masking
    /// covers them wherever a passage or quote cuts one. Runs once: afterwards no document lacks spans.
    /// </summary>
    private static async Task RecordSensitiveSpansAsync(ISensitiveSpanBackfill store, PiiDetector detector, CancellationToken cancellationToken)
    {
        while (await store.GetUnscannedAsync(500, cancellationToken) is { Count: > 0 } batch)
        {
            var spans = batch.ToDictionary(
                d => d.DocumentId,
                d => (IReadOnlyList<SensitiveSpan>)detector.Detect(d.Text).Select(m => new SensitiveSpan(m.Start, m.End, m.Label)).ToList(),
                StringComparer.Ordinal);
            await store.SetSensitiveAsync(spans, cancellationToken);
        }
    }

    /// <summary>The chunker ingestion uses, for tools that chunk without a store (benchmarks).</summary>
    public static Chunker CreateChunker(GraphRagSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        TiktokenTokenCounter.Warm();
        return new Chunker(settings.Ingest.Chunking, new TiktokenTokenCounter());
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
