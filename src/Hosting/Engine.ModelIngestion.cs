using GraphRag.Graph;
using GraphRag.Ingest.Extraction;
using GraphRag.Ingest.Pipeline;
using GraphRag.Llm;
using GraphRag.Llm.Extraction;
using Microsoft.Extensions.Logging;

namespace GraphRag.Hosting;

public sealed partial class Engine
{
    /// <summary>What a run with model extraction is built from: the rule-based extractor and the pipeline's settings and roles.</summary>
    internal sealed record ModelIngestionSource(IGraphExtractor Rules, Func<IGraphExtractor, IngestionPipeline> PipelineWith, ILoggerFactory? Loggers);

    internal ModelIngestionSource? ModelIngestionParts { get; init; }

    /// <summary>True when the Extraction role has a model, so <see cref="CreateModelIngestion"/> can run.</summary>
    public bool CanExtractWithModel => Llm?.Has(LlmRole.Extraction) == true && Settings.Ingest.ExtractGraph;

    /// <summary>
    /// A pipeline for one ingestion run whose extraction also asks the Extraction role's model (<c>ingest --llm</c>), with
    /// the extractor that counts the run's work and tokens (<see cref="ModelGraphExtractor.Report"/>). Build one per
    /// run: the run's budget and counts live in it. Its pipeline version differs from <see cref="Pipeline"/>'s, so a
    /// document switches between the two kinds of extraction only by being re-processed (its cached replies stay).
    /// </summary>
    /// <exception cref="GraphRagException">No Extraction model is configured, or graph extraction is off.</exception>
    public ModelIngestion CreateModelIngestion()
    {
        if (ModelIngestionParts is not { } parts || !Settings.Ingest.ExtractGraph)
        {
            throw new GraphRagException("Extraction with a model extracts a graph; it cannot run with --no-graph (Ingest:ExtractGraph=false).");
        }

        var profile = (parts.Rules as RuleBasedGraphExtractor)?.Profile;
        var extractor = ModelGraphExtractor.Create(Llm, parts.Rules, profile, Backend.ExtractionCache, parts.Loggers?.CreateLogger<ModelGraphExtractor>());
        return new ModelIngestion(parts.PipelineWith(extractor), extractor);
    }
}

/// <summary>One ingestion run with model extraction: its pipeline and the extractor that reports on the run.</summary>
public sealed record ModelIngestion(IngestionPipeline Pipeline, ModelGraphExtractor Extractor);
