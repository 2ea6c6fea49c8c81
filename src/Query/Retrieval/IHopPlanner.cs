using GraphRag.Graph.Model;
using GraphRag.Query.Security;

namespace GraphRag.Query.Retrieval;

/// <summary>
/// Between retrieval rounds, proposes what to search for next — a sub-question, bridge entities — from the evidence so
/// far (IRCoT-style). Retrieval accepts only names that exist in the caller's visible graph, and stays within the hop
/// limit; without a planner the rounds choose their bridges by the graph alone.
/// </summary>
public interface IHopPlanner
{
    Task<HopPlan> PlanAsync(HopPlanRequest request, CancellationToken cancellationToken = default);
}

/// <summary>What a planner sees before round <paramref name="NextHop"/>.</summary>
/// <param name="Question">The question as asked.</param>
/// <param name="NextHop">The round about to run (2 or later).</param>
/// <param name="MaxHops">The last round there may be.</param>
/// <param name="Evidence">The best passages so far (readable by the caller), best first.</param>
/// <param name="KnownEntities">Names of the entities the question names and the rounds so far searched from.</param>
/// <param name="CandidateBridges">Names the graph alone would search from next.</param>
public sealed record HopPlanRequest(
    string Question,
    int NextHop,
    int MaxHops,
    IReadOnlyList<RankedPassage> Evidence,
    IReadOnlyList<string> KnownEntities,
    IReadOnlyList<string> CandidateBridges)
{
    /// <summary>What of the passages the caller may see; text sent to a model must pass through it. Null: everything.</summary>
    public PersonalDataMask? Masking { get; init; }
}

/// <summary>A planner's proposal.</summary>
/// <param name="SubQuestion">What the next round should ask, or null.</param>
/// <param name="Entities">Names of entities to search from next.</param>
/// <param name="Enough">True when the evidence so far already answers the question: no further round is needed.</param>
/// <param name="Usage">What the proposal cost.</param>
public sealed record HopPlan(string? SubQuestion, IReadOnlyList<string> Entities, bool Enough, LlmUsage Usage)
{
    /// <summary>Why nothing was proposed, when the planner could not (a budget, a provider error, a malformed reply).</summary>
    public string? Note { get; init; }
}
