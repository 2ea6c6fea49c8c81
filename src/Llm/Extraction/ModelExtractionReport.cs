using GraphRag.Graph.Model;

namespace GraphRag.Llm.Extraction;

/// <summary>
/// What model extraction did in one run: chunks, requests sent and replies found in the cache, entities and relations
/// the model proposed and kept, and what was dropped and why, with the tokens spent. Kept items were verified against
/// their chunk; nothing dropped reaches the graph.
/// </summary>
public sealed record ModelExtractionReport
{
    /// <summary>The extraction model (or Azure deployment).</summary>
    public string Model { get; init; } = string.Empty;

    /// <summary>The prompt version replies were asked and cached under.</summary>
    public string PromptVersion { get; init; } = string.Empty;

    public int Documents { get; init; }

    public int Chunks { get; init; }

    /// <summary>Requests sent to the model (a retried request counts once).</summary>
    public int Requests { get; init; }

    /// <summary>Chunks whose reply came from the store's cache: nothing was sent for them.</summary>
    public int CachedChunks { get; init; }

    /// <summary>Requests that failed (after the connector's retries); their documents are reported failed and not written.</summary>
    public int FailedRequests { get; init; }

    public int EntitiesProposed { get; init; }

    public int EntitiesKept { get; init; }

    public int RelationsProposed { get; init; }

    public int RelationsKept { get; init; }

    public ModelExtractionDrops Dropped { get; init; } = new();

    /// <summary>Replies that were not JSON of the schema: counted here, their chunk keeps its rule-based graph only.</summary>
    public int MalformedReplies { get; init; }

    /// <summary>What the requests cost (server-reported tokens, or counted here when the server reports none).</summary>
    public LlmUsage Usage { get; init; } = LlmUsage.None;
}

/// <summary>Proposed entities and relations dropped, by reason.</summary>
public sealed record ModelExtractionDrops
{
    /// <summary>The quote (or an entity's name) is not in the chunk, character for character.</summary>
    public int QuoteNotFound { get; init; }

    /// <summary>An entity type or relation label outside the domain profile, or a relation whose endpoint types its label forbids.</summary>
    public int NotAllowed { get; init; }

    /// <summary>A relation whose source or target is no entity of the chunk's reply or of the document's rule-based graph.</summary>
    public int UnknownEntity { get; init; }

    /// <summary>An item missing a field, with an empty one, or relating an entity to itself.</summary>
    public int Malformed { get; init; }

    public int Total => QuoteNotFound + NotAllowed + UnknownEntity + Malformed;
}

/// <summary>The running counts behind a <see cref="ModelExtractionReport"/>. Thread-safe.</summary>
internal sealed class ModelExtractionTally
{
    private int _documents, _chunks, _requests, _cached, _failed, _entitiesProposed, _entitiesKept, _relationsProposed, _relationsKept;
    private int _quoteNotFound, _notAllowed, _unknownEntity, _malformed, _malformedReplies;

    public void Document() => Interlocked.Increment(ref _documents);

    public void Chunk(bool cached)
    {
        Interlocked.Increment(ref _chunks);
        if (cached)
        {
            Interlocked.Increment(ref _cached);
        }
    }

    public void Request() => Interlocked.Increment(ref _requests);

    public void FailedRequest() => Interlocked.Increment(ref _failed);

    public void MalformedReply() => Interlocked.Increment(ref _malformedReplies);

    public void Add(ReplyOutcome outcome)
    {
        Interlocked.Add(ref _entitiesProposed, outcome.EntitiesProposed);
        Interlocked.Add(ref _entitiesKept, outcome.EntitiesKept);
        Interlocked.Add(ref _relationsProposed, outcome.RelationsProposed);
        Interlocked.Add(ref _relationsKept, outcome.RelationsKept);
        Interlocked.Add(ref _quoteNotFound, outcome.QuoteNotFound);
        Interlocked.Add(ref _notAllowed, outcome.NotAllowed);
        Interlocked.Add(ref _unknownEntity, outcome.UnknownEntity);
        Interlocked.Add(ref _malformed, outcome.Malformed);
    }

    public ModelExtractionReport Snapshot(string model, string promptVersion, LlmUsage usage) => new()
    {
        Model = model,
        PromptVersion = promptVersion,
        Documents = Volatile.Read(ref _documents),
        Chunks = Volatile.Read(ref _chunks),
        Requests = Volatile.Read(ref _requests),
        CachedChunks = Volatile.Read(ref _cached),
        FailedRequests = Volatile.Read(ref _failed),
        EntitiesProposed = Volatile.Read(ref _entitiesProposed),
        EntitiesKept = Volatile.Read(ref _entitiesKept),
        RelationsProposed = Volatile.Read(ref _relationsProposed),
        RelationsKept = Volatile.Read(ref _relationsKept),
        Dropped = new ModelExtractionDrops
        {
            QuoteNotFound = Volatile.Read(ref _quoteNotFound),
            NotAllowed = Volatile.Read(ref _notAllowed),
            UnknownEntity = Volatile.Read(ref _unknownEntity),
            Malformed = Volatile.Read(ref _malformed),
        },
        MalformedReplies = Volatile.Read(ref _malformedReplies),
        Usage = usage,
    };
}

/// <summary>What checking one reply against its chunk gave, in counts.</summary>
internal sealed class ReplyOutcome
{
    public int EntitiesProposed { get; set; }

    public int EntitiesKept { get; set; }

    public int RelationsProposed { get; set; }

    public int RelationsKept { get; set; }

    public int QuoteNotFound { get; set; }

    public int NotAllowed { get; set; }

    public int UnknownEntity { get; set; }

    public int Malformed { get; set; }

    /// <summary>The reply was no JSON object of the schema's shape.</summary>
    public bool MalformedReply { get; set; }
}
