using System.ComponentModel.DataAnnotations;
using GraphRag.Ingest.Chunking;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Pipeline;

/// <summary>Settings for an ingestion run.</summary>
public sealed class IngestOptions
{
    public ReaderOptions Readers { get; set; } = new();

    public ChunkingOptions Chunking { get; set; } = new();

    /// <summary>
    /// Glob patterns a file in a folder argument must match; empty means every supported file. Without a slash a pattern
    /// matches file names at any depth; with one it is relative to the folder (<see cref="InputEnumerator.Glob"/>).
    /// </summary>
    public IList<string> Include { get; } = [];

    /// <summary>Glob patterns that exclude files.</summary>
    public IList<string> Exclude { get; } = [];

    /// <summary>Documents parsed, chunked and extracted at once; the writer stays single.</summary>
    [Range(1, 256)]
    public int Parallelism { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Extract entities and relations (false: a lexical-only store).</summary>
    public bool ExtractGraph { get; set; } = true;

    /// <summary>Entity and relation extraction settings, including an optional domain profile file.</summary>
    public Extraction.ExtractionOptions Extraction { get; set; } = new();

    /// <summary>Access-control entries stamped on every document of the run (empty: readable by all).</summary>
    public IList<string> Acl { get; } = [];

    /// <summary>Personal-data detection and the default policy (keep, mask, redact) of a run.</summary>
    public Privacy.PiiOptions Pii { get; set; } = new();

    /// <summary>
    /// The embedding model chunk vectors are made with; required when the pipeline is given an embedding generator,
    /// and part of the pipeline version then (another model re-processes every document).
    /// </summary>
    public GraphRag.Graph.Model.VectorModel? VectorModel { get; set; }

    /// <summary>Chunks sent to the embedding generator in one call.</summary>
    [Range(1, 4096)]
    public int EmbeddingBatchSize { get; set; } = 32;
}
