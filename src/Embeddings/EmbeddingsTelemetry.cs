using System.Diagnostics;

namespace GraphRag.Embeddings;

/// <summary>One span per embedding call, so a query's or an ingest's embedding time shows up in its trace.</summary>
public static class EmbeddingsTelemetry
{
    public const string SourceName = "GraphRag.Embeddings";

    internal static ActivitySource Source { get; } = new(SourceName);

    internal static Activity? Start(string name, EmbeddingModelInfo model, int inputs)
    {
        var activity = Source.StartActivity(name, ActivityKind.Internal);
        activity?.SetTag("gen_ai.request.model", model.Id);
        activity?.SetTag("graphrag.embeddings.inputs", inputs);
        return activity;
    }
}
