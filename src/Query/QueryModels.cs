using System.Text.Json.Serialization;
using GraphRag.Graph.Model;
using GraphRag.Query.Security;

namespace GraphRag.Query;

/// <summary>Which channels retrieval uses.</summary>
public enum QueryMode
{
    /// <summary>BM25 over chunks only.</summary>
    Bm25,

    /// <summary>Entity linking and personalised PageRank over the graph only.</summary>
    Graph,

    /// <summary>Every channel fused, with iterative multi-hop retrieval.</summary>
    Hybrid,

    /// <summary>
    /// Dense (embedding) retrieval only, one round: what the vector channel finds on its own. Needs embeddings; an
    /// engine without them rejects it (<see cref="QueryEngine.Supports"/>).
    /// </summary>
    Vector,
}

/// <summary>A question and how to answer it.</summary>
public sealed record QueryRequest
{
    public required string Question { get; init; }

    public QueryMode Mode { get; init; } = QueryMode.Hybrid;

    /// <summary>
    /// Passages to return when the caller does not say: 10, the number the answerer, the confidence model's fit and
    /// <c>eval</c>'s figures are measured with, so an answer from <c>query</c>, the demo or HTTP is the one measured.
    /// </summary>
    public const int DefaultTopK = 10;

    /// <summary>Passages to return (and the answerer reads).</summary>
    public int TopK { get; init; } = DefaultTopK;

    /// <summary>Retrieval rounds at most (1 = retrieve once).</summary>
    public int MaxHops { get; init; } = 3;

    /// <summary>What the caller may read; null means everything (the local administrator).</summary>
    public AccessScope? Scope { get; init; }

    /// <summary>
    /// What of the stored text the caller may see, applied to every passage sent to a language model (and mapped back
    /// for citations). Null when the caller sees personal data: the <c>pii</c> grant, or the CLI's local administrator.
    /// </summary>
    public PersonalDataMask? Masking { get; init; }

    /// <summary>
    /// Receives the answer's text as a language model produces it, piece by piece, before it is verified (the verified
    /// claims are in the result). Null: no streaming. Without a model it is never called.
    /// </summary>
    public Func<string, CancellationToken, ValueTask>? AnswerStream { get; init; }
}

/// <summary>
/// The documents a caller may read, decided before retrieval. Every channel, traversal and answer step consults it,
/// so nothing outside it can surface, contribute a score, or be counted.
/// </summary>
/// <param name="Principal">Who is asking, for audit.</param>
/// <param name="CanRead">True for a document id the caller may read.</param>
/// <param name="ReadableDocuments">The same set, materialised for search filters; null means no restriction.</param>
/// <param name="CanReadAcl">
/// The same rule over a document's ACL, for indexes that keep documents apart by ACL (lexical postings): they then read
/// only the partitions the caller may read. Null makes them filter by <paramref name="ReadableDocuments"/> instead.
/// </param>
public sealed record AccessScope(
    string Principal, Func<string, bool> CanRead, IReadOnlyCollection<string>? ReadableDocuments, Func<IReadOnlyList<string>, bool>? CanReadAcl = null);

/// <summary>The engine's reply: an answer (or a plain statement that the evidence is insufficient) and where it came from.</summary>
public sealed record QueryResult
{
    public required string Question { get; init; }

    public required QueryMode Mode { get; init; }

    /// <summary>A short extractive answer, or "insufficient information".</summary>
    public required string Answer { get; init; }

    /// <summary>True when no evidence met the threshold: the answer is not a guess.</summary>
    public required bool InsufficientEvidence { get; init; }

    /// <summary>Confidence in [0, 1] from the evidence scores.</summary>
    public double Confidence { get; init; }

    public required IReadOnlyList<RankedPassage> Passages { get; init; }

    public required IReadOnlyList<Citation> Citations { get; init; }

    public IReadOnlyList<AnswerPath> Paths { get; init; } = [];

    public IReadOnlyList<HopTrace> Hops { get; init; } = [];

    public IReadOnlyList<LinkedEntity> LinkedEntities { get; init; } = [];

    public IReadOnlyList<StageTiming> Timings { get; init; } = [];

    /// <summary>
    /// The answer as sentences, each with its citations (every quote the stored text at its span): a language model's
    /// verified claims, or an extractive list, comparison, timeline or summary; null for a single extractive span.
    /// </summary>
    public IReadOnlyList<AnswerClaim>? Claims { get; init; }

    /// <summary>What a language model claimed that did not verify, and why; null when no model answered.</summary>
    public IReadOnlyList<DroppedClaim>? DroppedClaims { get; init; }

    /// <summary>What this query spent on language models (planning and answering); null when none is configured.</summary>
    public LlmUsage? Usage { get; init; }

    /// <summary>
    /// Why the answer is not the model's, when a model was configured but its answer could not be used (malformed
    /// replies, a budget, a provider error) and the extractive answer stands in; null otherwise.
    /// </summary>
    public string? AnswerNote { get; init; }

    /// <summary>How the answer was composed.</summary>
    public Answering.AnswerKind Kind { get; init; }

    /// <summary>The measurements the confidence was computed from, by name.</summary>
    public IReadOnlyDictionary<string, double> ConfidenceSignals { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>The best answer the evidence gave, also when it was declined: for evaluation and calibration only.</summary>
    internal string Candidate { get; init; } = string.Empty;
}

/// <summary>One sentence of an answer and the verified quotes it rests on (each quote is the stored text at its span).</summary>
public sealed record AnswerClaim(string Text, IReadOnlyList<Citation> Citations);

/// <summary>A sentence a model claimed that was not kept, and why (a quote not found in its passage, a passage that does not exist).</summary>
public sealed record DroppedClaim(string Text, string Reason);

/// <summary>A retrieved passage and why it ranks where it does.</summary>
public sealed record RankedPassage(Chunk Chunk, string DocumentTitle, double Score, Explanation Explanation);

/// <summary>Per-channel scores and the graph evidence that lifted a passage.</summary>
/// <param name="Channels">Channel name → score that channel gave (before fusion).</param>
/// <param name="Entities">Names of the linked or bridge entities the passage mentions.</param>
/// <param name="Relations">Labelled relations supported by the passage that touch those entities.</param>
/// <param name="Hop">The retrieval round that first found the passage (1-based).</param>
public sealed record Explanation(
    IReadOnlyDictionary<string, double> Channels, IReadOnlyList<string> Entities, IReadOnlyList<string> Relations, int Hop)
{
    /// <summary>Channel name → what it added to the fused score (its weight times its score).</summary>
    public IReadOnlyDictionary<string, double> Contributions { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>
    /// True when only the dense (vector) channel found the passage: no query word or graph link supports it, so it is
    /// a semantic match to check rather than lexical evidence.
    /// </summary>
    public bool VectorOnly { get; init; }
}

/// <summary>A quotation of the stored text: <c>Quote == document.Text[Start..End]</c>.</summary>
public sealed record Citation(string DocumentId, string DocumentTitle, string ChunkId, int Start, int End, string Quote, int? Page = null);

/// <summary>A chain entity → relation → entity … that connects the question to the answer.</summary>
public sealed record AnswerPath(IReadOnlyList<PathStep> Steps, double Score);

/// <summary>One edge of an answer path with the spans that support it.</summary>
public sealed record PathStep(string SourceName, string Label, string TargetName, IReadOnlyList<Citation> Evidence)
{
    /// <summary>The relation's source entity (the entity <see cref="SourceName"/> names).</summary>
    public string SourceId { get; init; } = string.Empty;

    /// <summary>The relation's target entity.</summary>
    public string TargetId { get; init; } = string.Empty;

    /// <summary>The relation this step follows.</summary>
    public string RelationId { get; init; } = string.Empty;
}

/// <summary>What one retrieval round did.</summary>
/// <param name="Hop">1-based round number.</param>
/// <param name="Query">The query text used in this round.</param>
/// <param name="BridgeEntities">Entities carried into this round from the previous one.</param>
/// <param name="NewPassages">Chunk ids first found in this round.</param>
/// <param name="TopScore">The best fused score after this round.</param>
public sealed record HopTrace(int Hop, string Query, IReadOnlyList<string> BridgeEntities, IReadOnlyList<string> NewPassages, double TopScore)
{
    /// <summary>What a planning model proposed after this round, for the next one, when one is configured; null otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PlannerStep? Plan { get; init; }
}

/// <summary>One step of a planning model between retrieval rounds.</summary>
/// <param name="SubQuestion">The next sub-question it proposed, when it proposed one.</param>
/// <param name="Proposed">The bridge entity names it proposed.</param>
/// <param name="Accepted">Those that exist in the caller's visible graph and became bridge entities (as the caller sees them named).</param>
/// <param name="Rejected">Those that do not, or were already used.</param>
/// <param name="Usage">What the step cost.</param>
public sealed record PlannerStep(
    string? SubQuestion, IReadOnlyList<string> Proposed, IReadOnlyList<string> Accepted, IReadOnlyList<string> Rejected, LlmUsage Usage)
{
    /// <summary>Why the step proposed nothing, when it could not (a budget, a provider error, a malformed reply).</summary>
    public string? Note { get; init; }
}

/// <summary>An entity the question names, how it was matched, and how specific it is.</summary>
public sealed record LinkedEntity(string EntityId, string Name, string Type, string MatchedText, string Match, double Weight);

public sealed record StageTiming(string Stage, double Milliseconds);
