using GraphRag.Ingest.Privacy;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Pipeline;

/// <summary>
/// One ingestion run: what to read and what to stamp on its documents. Values left null fall back to
/// <see cref="IngestOptions"/>.
/// </summary>
public sealed record IngestRun
{
    /// <summary>Files and folders, expanded with the options' include and exclude globs.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Files given directly; <see cref="SourceFile.RelativePath"/> is the default document id (uploads).</summary>
    public IReadOnlyList<SourceFile> Files { get; init; } = [];

    /// <summary>The ACL of every document of the run; null takes <see cref="IngestOptions.Acl"/>.</summary>
    public IReadOnlyList<string>? Acl { get; init; }

    /// <summary>Metadata added to every document (over what the reader found).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>What happens to the personal data of the run's documents; null takes <see cref="PiiOptions.Policy"/>.</summary>
    public PiiPolicy? PiiPolicy { get; init; }
}
