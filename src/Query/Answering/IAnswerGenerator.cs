using GraphRag.Graph.Model;

namespace GraphRag.Query.Answering;

/// <summary>
/// Turns retrieved evidence into an answer. The one seam between retrieval and answer text, shaped like
/// <c>IChatClient.GetResponseAsync</c> (context in, response out), so an LLM-backed generator can replace the
/// extractive one without touching retrieval.
/// </summary>
public interface IAnswerGenerator
{
    Task<AnswerDraft> GenerateAsync(AnswerContext context, CancellationToken cancellationToken = default);
}

/// <summary>What a generator may use: the question, the ranked passages, and the entities and relations in them.</summary>
/// <param name="Question">The question as asked.</param>
/// <param name="Passages">Retrieved passages, best first.</param>
/// <param name="QuestionEntities">Entities the question names.</param>
/// <param name="Mentions">Every entity mention inside the passages, with spans.</param>
/// <param name="EntityTypes">Entity id → type, for the entities mentioned.</param>
/// <param name="Chains">Candidate answers reached from the question's entities along relations it asks about.</param>
/// <param name="BridgeEntities">Ids of entities retrieval reached through (the intermediate hops).</param>
public sealed record AnswerContext(
    string Question,
    IReadOnlyList<RankedPassage> Passages,
    IReadOnlyList<LinkedEntity> QuestionEntities,
    IReadOnlyList<Mention> Mentions,
    IReadOnlyDictionary<string, string> EntityTypes,
    IReadOnlyList<Retrieval.ChainCandidate> Chains,
    IReadOnlySet<string> BridgeEntities)
{
    /// <summary>The question analysed once for the whole query (terms and phrases); analysed here when not given.</summary>
    public Analysis.AnalyzedQuery Analysis { get => field ??= Query.Analysis.QueryAnalyzer.Analyze(Question); init; }

    /// <summary>
    /// The question's relation words and the labels each asks along ("spouse" → married_to): a chain that follows one
    /// states it, whatever word its evidence uses ("married to").
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> RelationWords { get; init; } = new Dictionary<string, IReadOnlySet<string>>();

    /// <summary>The graph as the caller sees it (names along the chains); null in modes without the graph.</summary>
    public Retrieval.GraphView? Graph { get; init; }

    /// <summary>What of the passages the caller may see; text sent to a model must pass through it. Null: everything.</summary>
    public Security.PersonalDataMask? Masking { get; init; }

    /// <summary>Receives a model's answer text as it is produced, before verification; null when nobody streams.</summary>
    public Func<string, CancellationToken, ValueTask>? AnswerStream { get; init; }
}

/// <summary>A generator's answer: the text, the spans it rests on, and how sure it is.</summary>
/// <param name="Text">The answer, or empty when the evidence does not support one.</param>
/// <param name="Support">Citations for the answer itself (the answer span and its sentence).</param>
/// <param name="Confidence">In [0, 1].</param>
/// <param name="AnswerEntityId">The entity the answer names, when it names one.</param>
/// <param name="Missing">A word the question hinges on that no passage contains, when that is why confidence is low.</param>
public sealed record AnswerDraft(string Text, IReadOnlyList<Citation> Support, double Confidence, string? AnswerEntityId = null)
{
    public string? Missing { get; init; }

    /// <summary>
    /// The answer as sentences, each with its citations, when it is more than one span: a model's verified claims, or
    /// an extractive list, comparison, timeline or summary; null for a single extractive span. Empty means a model's
    /// answer did not verify (or it found the passages insufficient).
    /// </summary>
    public IReadOnlyList<AnswerClaim>? Claims { get; init; }

    /// <summary>Claims a model made that were dropped, with the reason; null for extractive answers.</summary>
    public IReadOnlyList<DroppedClaim>? Dropped { get; init; }

    /// <summary>Why a model's answer was not used and this draft stands in for it.</summary>
    public string? Note { get; init; }

    /// <summary>How the answer was reached (a chain of relations, a span, a yes/no or an either/or decision).</summary>
    public AnswerKind Kind { get; init; } = AnswerKind.None;

    /// <summary>
    /// What the generator measured about its answer, by name (type fit, margin over the runner-up, …): the inputs the
    /// engine's confidence model reads, returned with the answer so its confidence explains itself.
    /// </summary>
    public IReadOnlyDictionary<string, double> Signals { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);
}

/// <summary>How an answer was composed.</summary>
public enum AnswerKind
{
    None,

    /// <summary>The end of a chain of relations from the question's entities.</summary>
    Chain,

    /// <summary>An entity mention picked from the passages.</summary>
    Span,

    /// <summary>A yes/no decision.</summary>
    YesNo,

    /// <summary>One of the alternatives the question offers.</summary>
    Option,

    /// <summary>Every entity that fits, each cited.</summary>
    List,

    /// <summary>Each side's value, side by side, each cited.</summary>
    Comparison,

    /// <summary>Dated sentences in date order, each cited.</summary>
    Timeline,

    /// <summary>The few sentences that answer, each cited.</summary>
    Summary,

    /// <summary>A language model's claims, each verified against the stored text.</summary>
    Grounded,
}
