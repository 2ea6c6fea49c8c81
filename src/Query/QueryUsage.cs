using GraphRag.Graph.Model;

namespace GraphRag.Query;

/// <summary>
/// Language-model spending per query. The engine begins a scope around each query; model-backed parts (an
/// <see cref="Answering.IAnswerGenerator"/>, a <see cref="Retrieval.IHopPlanner"/>) are charged to it and bounded by its
/// budget, and the result reports its usage.
/// </summary>
public interface IQueryUsageMeter
{
    IQueryUsageScope Begin();
}

/// <summary>One query's spending; disposing it ends the scope.</summary>
public interface IQueryUsageScope : IDisposable
{
    LlmUsage Usage { get; }
}
