using GraphRag.Graph.Model;
using GraphRag.Query;

namespace GraphRag.Llm;

/// <summary>Begins, for each query, a usage scope bounded by <c>Budget:TokensPerQuery</c> (the engine's <see cref="IQueryUsageMeter"/>).</summary>
public sealed class LlmQueryUsage(LlmClients clients) : IQueryUsageMeter
{
    public IQueryUsageScope Begin()
    {
        var meter = clients.NewQueryMeter();
        return new Scope(meter, LlmUsageScope.Begin(meter));
    }

    private sealed class Scope(LlmUsageMeter meter, IDisposable frame) : IQueryUsageScope
    {
        public LlmUsage Usage => meter.Usage;

        public void Dispose() => frame.Dispose();
    }
}
