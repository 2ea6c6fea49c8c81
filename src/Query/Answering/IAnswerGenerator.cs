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
public sealed record AnswerContext(
    string Question,
    IReadOnlyList<RankedPassage> Passages,
    IReadOnlyList<LinkedEntity> QuestionEntities,
    IReadOnlyList<Mention> Mentions,
    IReadOnlyDictionary<string, string> EntityTypes,
    IReadOnlyList<Relation> Relations);

/// <summary>A generator's answer: the text, the spans it rests on, and how sure it is.</summary>
/// <param name="Text">The answer, or empty when the evidence does not support one.</param>
/// <param name="Support">Citations for the answer itself (the answer span and its sentence).</param>
/// <param name="Confidence">In [0, 1].</param>
/// <param name="AnswerEntityId">The entity the answer names, when it names one.</param>
public sealed record AnswerDraft(string Text, IReadOnlyList<Citation> Support, double Confidence, string? AnswerEntityId = null);
