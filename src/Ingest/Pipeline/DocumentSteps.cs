using System.Globalization;
using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Privacy;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Pipeline;

/// <summary>
/// One step on a document's way from its reader to the store. The pipeline runs its steps in a fixed order —
/// identity → personal data → chunk → extract → embed — then writes the bundle; a step that settles the document's
/// outcome (unchanged, failed) ends the run of steps for it. Steps are built once and shared by every document and
/// thread; everything about one document lives in the immutable <see cref="DocumentDraft"/> they pass along.
/// </summary>
internal interface IDocumentStep
{
    ValueTask<DocumentDraft> RunAsync(DocumentDraft draft, CancellationToken cancellationToken);
}

/// <summary>What a run stamps on each of its documents, what the store already holds, and what it does with personal data.</summary>
internal sealed record RunDefaults(
    IReadOnlyList<string> Acl,
    IReadOnlyDictionary<string, string>? Metadata,
    PiiPolicy PiiPolicy,
    PiiPseudonymizer? Pseudonyms,
    IReadOnlyDictionary<string, DocumentState> Stored)
{
    /// <summary>Vectors this run, which makes none, must not drop: set when embeddings are off and the store holds vectors.</summary>
    public KeptVectors? KeptVectors { get; init; }

    /// <summary>Whether the run was stopped (a token budget is spent), and why: the first reason wins.</summary>
    public RunStop Stop { get; } = new();
}

/// <summary>The store's vector model, and the pipeline version its documents with vectors carry.</summary>
internal sealed record KeptVectors(VectorModel Model, string PipelineVersion);

/// <summary>A run's stop signal, set once by the document that could not go on and read by every later one.</summary>
internal sealed class RunStop
{
    private string? _reason;

    public string? Reason => Volatile.Read(ref _reason);

    /// <summary>Stops the run; the first reason is kept.</summary>
    public void Set(string reason) => Interlocked.CompareExchange(ref _reason, reason, null);
}

/// <summary>
/// A document between steps: as read, then with its stored form, chunks, graph and (later) vectors as each step adds
/// them. Immutable: a step returns a new draft.
/// </summary>
internal sealed record DocumentDraft(ParsedDocument Read, RunDefaults Run)
{
    /// <summary>The document as it will be stored (set by the personal-data step).</summary>
    public Document? Document { get; init; }

    /// <summary>Spans of the stored text and title that must stay out of the graph: personal data or its placeholders.</summary>
    public IReadOnlyList<PiiMatch> OutOfGraphText { get; init; } = [];

    public IReadOnlyList<PiiMatch> OutOfGraphTitle { get; init; } = [];

    public IReadOnlyList<Chunk> Chunks { get; init; } = [];

    public DocumentGraph Graph { get; init; } = DocumentGraph.Empty;

    /// <summary>Language-model replies the extractor made or found for the chunks, stored with the document.</summary>
    public IReadOnlyList<ExtractionCacheEntry> ExtractionCache { get; init; } = [];

    /// <summary>The chunks' vectors (set by the embed step when an embedding generator is configured).</summary>
    public IReadOnlyList<ChunkVector> Vectors { get; init; } = [];

    /// <summary>What the embed step did: chunks embedded, vectors reused, time spent waiting for the generator.</summary>
    public EmbeddingWork Embedding { get; init; } = EmbeddingWork.None;

    /// <summary>The stored version is this one: nothing to do.</summary>
    public bool Unchanged { get; init; }

    /// <summary>Why the document cannot be stored, when it cannot.</summary>
    public string? Failure { get; init; }

    /// <summary>True once the outcome is settled and no further step runs.</summary>
    public bool Settled => Unchanged || Failure is not null;

    /// <summary>The stored form, or the read one before the personal-data step.</summary>
    public Document Stored => Document ?? throw new InvalidOperationException("the document is not built yet");
}

/// <summary>
/// Settles who the document is before any work is spent on it: run metadata merged in, an id or source that carries
/// personal data replaced by its keyed pseudonym (ids are shown to every reader and never masked), and a document
/// whose stored version has the same content and pipeline version found unchanged.
/// </summary>
internal sealed class IdentityStep(PiiDetector pii, string pipelineVersion) : IDocumentStep
{
    public ValueTask<DocumentDraft> RunAsync(DocumentDraft draft, CancellationToken cancellationToken)
    {
        var run = draft.Run;
        var read = run.Metadata is null ? draft.Read : draft.Read with { Metadata = Merge(draft.Read.Metadata, run.Metadata) };
        if (read.Text.Length == 0)
        {
            return ValueTask.FromResult(draft with { Read = read, Failure = "no text" });
        }

        if (run.PiiPolicy != PiiPolicy.Keep)
        {
            if (run.Pseudonyms is { } pseudonyms)
            {
                read = read with { Id = pseudonyms.Apply(read.Id), Source = pseudonyms.Apply(read.Source) };
            }
            else if (pii.Detect(read.Id).Count > 0 || pii.Detect(read.Source).Count > 0)
            {
                return ValueTask.FromResult(draft with
                {
                    Read = read,
                    Failure = "the document id contains personal data and this store keeps no pseudonym key",
                });
            }
        }

        var contentHash = ContentHash(read, run.Acl, run.PiiPolicy);
        var state = run.Stored.GetValueOrDefault(read.Id);
        var unchanged = state is not null && state.ContentHash == contentHash && state.PipelineVersion == pipelineVersion;
        if (state is not null && !unchanged && run.KeptVectors is { } kept && state.PipelineVersion == kept.PipelineVersion)
        {
            return ValueTask.FromResult(draft with
            {
                Read = read,
                Failure = $"stored with chunk vectors of {kept.Model}, which replacing it with embeddings off would drop; ingest it with embeddings on",
            });
        }

        // The stored form starts as the document as read; the personal-data step settles its text.
        var document = new Document
        {
            Id = read.Id,
            Source = read.Source,
            Title = read.Title,
            MediaType = read.MediaType,
            Text = read.Text,
            Metadata = read.Metadata,
            Regions = read.Regions,
            Acl = run.Acl,
            ContentHash = contentHash,
        };
        return ValueTask.FromResult(draft with { Read = read, Document = document, Unchanged = unchanged });
    }

    /// <summary>Identifies a document version: text, title, source, media type, metadata, ACL and personal-data policy.</summary>
    private static string ContentHash(ParsedDocument document, IEnumerable<string> acl, PiiPolicy policy)
    {
        var parts = new List<string> { document.Text, document.Title, document.Source, document.MediaType };
        parts.AddRange(document.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
        parts.Add("acl");
        parts.AddRange(acl.Order(StringComparer.Ordinal).Distinct(StringComparer.Ordinal));
        parts.Add(document.Regions.Count.ToString(CultureInfo.InvariantCulture));
        parts.Add("pii=" + PersonalDataStep.PolicyName(policy));
        return StableId.Hash([.. parts]);
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> read, IReadOnlyDictionary<string, string> run)
    {
        var merged = new Dictionary<string, string>(read, StringComparer.Ordinal);
        foreach (var (key, value) in run)
        {
            merged[key] = value;
        }

        return merged;
    }
}

/// <summary>
/// Finds the personal data of the text, title and metadata values and applies the run's policy: <c>keep</c> stores it,
/// <c>mask</c> stores it with spans that mask every passage, quote and mention overlapping them, <c>redact</c> replaces
/// it with placeholders. Either way it is kept out of the graph, and the reserved metadata keys say what was done.
/// </summary>
internal sealed class PersonalDataStep(PiiDetector pii) : IDocumentStep
{
    public ValueTask<DocumentDraft> RunAsync(DocumentDraft draft, CancellationToken cancellationToken)
    {
        var document = draft.Stored;
        var policy = draft.Run.PiiPolicy;
        var metadata = new Dictionary<string, IReadOnlyList<PiiMatch>>(StringComparer.Ordinal);
        foreach (var (key, value) in document.Metadata)
        {
            if (key is not (IngestionPipeline.PiiPolicyKey or IngestionPipeline.PiiFoundKey) && pii.Detect(value) is { Count: > 0 } matches)
            {
                metadata[key] = matches;
            }
        }

        var text = pii.Detect(document.Text);
        var title = pii.Detect(document.Title);
        var redact = policy == PiiPolicy.Redact;
        var redaction = redact ? PiiText.Redact(document.Text, document.Regions, text) : null;
        var titleRedaction = redact ? PiiText.Redact(document.Title, [], title) : null;
        var stamped = new Dictionary<string, string>(document.Metadata, StringComparer.Ordinal);
        if (redact)
        {
            foreach (var (key, matches) in metadata)
            {
                stamped[key] = PiiText.Replace(stamped[key], matches);
            }
        }

        stamped[IngestionPipeline.PiiPolicyKey] = PolicyName(policy);
        stamped[IngestionPipeline.PiiFoundKey] = (text.Count + title.Count + metadata.Values.Sum(m => m.Count)).ToString(CultureInfo.InvariantCulture);
        var stored = document with
        {
            Title = titleRedaction?.Text ?? document.Title,
            Text = redaction?.Text ?? document.Text,
            Metadata = stamped,
            Regions = redaction?.Regions ?? document.Regions,
            // Spans over the whole text, so a chunk or quote that cuts a card number in two is masked on both sides.
            Sensitive = policy == PiiPolicy.Mask ? text.Select(m => new SensitiveSpan(m.Start, m.End, m.Label)).ToList() : [],
        };

        // Masked data, and the placeholders of redacted data, stay out of the graph: "[EMAIL]" is no entity either.
        var (outOfGraphText, outOfGraphTitle) = policy switch
        {
            PiiPolicy.Mask => (text, title),
            PiiPolicy.Redact => (redaction!.Placeholders, titleRedaction!.Placeholders),
            _ => ([], []),
        };
        return ValueTask.FromResult(draft with { Document = stored, OutOfGraphText = outOfGraphText, OutOfGraphTitle = outOfGraphTitle });
    }

    internal static string PolicyName(PiiPolicy policy) => policy switch
    {
        PiiPolicy.Keep => "keep",
        PiiPolicy.Mask => "mask",
        PiiPolicy.Redact => "redact",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown personal-data policy"),
    };
}

/// <summary>Cuts the stored text into chunks by sentences under the token budget.</summary>
internal sealed class ChunkStep(Chunker chunker) : IDocumentStep
{
    public ValueTask<DocumentDraft> RunAsync(DocumentDraft draft, CancellationToken cancellationToken) =>
        ValueTask.FromResult(draft with { Chunks = chunker.Chunk(draft.Stored) });
}

/// <summary>
/// Extracts the document graph, asynchronously so a model-backed extractor fits, on the document as extraction sees
/// it (<see cref="ExtractionView"/>); anything that still touches text kept out of the graph is dropped.
/// </summary>
internal sealed class ExtractStep(IGraphExtractor extractor) : IDocumentStep
{
    public async ValueTask<DocumentDraft> RunAsync(DocumentDraft draft, CancellationToken cancellationToken)
    {
        var (document, chunks) = ExtractionView.Of(draft);
        var result = await extractor.ExtractForStorageAsync(document, chunks, cancellationToken).ConfigureAwait(false);
        var graph = result.Graph;
        var text = draft.OutOfGraphText;
        var mentions = text.Count == 0 ? graph.Mentions : graph.Mentions.Where(m => !Overlaps(text, m.Span.Start, m.Span.End)).ToList();
        if (mentions.Count == graph.Mentions.Count)
        {
            return draft with { Graph = graph, ExtractionCache = result.Cache };
        }

        var entities = mentions.Select(m => m.EntityId).ToHashSet(StringComparer.Ordinal);
        return draft with
        {
            Graph = new DocumentGraph(
                graph.Entities.Where(e => entities.Contains(e.Id)).ToList(),
                mentions,
                graph.Relations.Where(r => entities.Contains(r.SourceId) && entities.Contains(r.TargetId)).ToList()),
            ExtractionCache = result.Cache,
        };
    }

    private static bool Overlaps(IReadOnlyList<PiiMatch> matches, int start, int end)
    {
        foreach (var match in matches)
        {
            if (match.Start < end && start < match.End)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// The document as extractors see it — and, with <c>ingest --llm</c>, as the language model is sent it. Text that must
/// stay out of the graph (personal data under <c>mask</c>, its placeholders under <c>redact</c>) is neutralised
/// character for character, so offsets stay valid against the stored text and none of it can become an entity, alias,
/// mention, evidence phrase — or leave the machine in a prompt. Under <c>keep</c> it is the stored document.
/// </summary>
internal static class ExtractionView
{
    public static (Document Document, IReadOnlyList<Chunk> Chunks) Of(DocumentDraft draft)
    {
        var document = draft.Stored;
        var (text, title) = (draft.OutOfGraphText, draft.OutOfGraphTitle);
        if (text.Count == 0 && title.Count == 0)
        {
            return (document, draft.Chunks);
        }

        var neutralText = PiiText.Neutralize(document.Text, text);
        var neutral = document with { Text = neutralText, Title = PiiText.Neutralize(document.Title, title) };
        return (neutral, draft.Chunks.Select(c => c with { Text = neutralText[c.Start..c.End] }).ToList());
    }
}
