using System.ComponentModel.DataAnnotations;

namespace GraphRag.Ingest.Readers;

/// <summary>Limits and field mappings for readers. Defaults ingest the shared datasets' <c>corpus.jsonl</c> as-is.</summary>
public sealed class ReaderOptions
{
    /// <summary>Files larger than this on disk are rejected before they are opened.</summary>
    [Range(1, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Upper bound on bytes decompressed from a container format (.docx): guards against zip bombs.</summary>
    [Range(1, long.MaxValue)]
    public long MaxDecompressedBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Upper bound on records (CSV rows, JSON objects) read from one file.</summary>
    [Range(1, int.MaxValue)]
    public int MaxRecordsPerFile { get; set; } = 1_000_000;

    /// <summary>Upper bound on the normalised text of one document, in characters.</summary>
    [Range(1, int.MaxValue)]
    public int MaxDocumentCharacters { get; set; } = 16 * 1024 * 1024;

    /// <summary>Record field (JSON) or column (CSV) that holds the document id; records without one get <c>path#n</c>.</summary>
    public string IdField { get; set; } = "id";

    /// <summary>Record field or column that holds the title.</summary>
    public string TitleField { get; set; } = "title";

    /// <summary>Record fields or columns whose values, joined by blank lines, form the document text.</summary>
    public IList<string> TextFields { get; } = ["text"];

    /// <summary>Record fields or columns copied into metadata; empty means every other scalar field.</summary>
    public IList<string> MetadataFields { get; } = [];

    /// <summary>CSV field delimiter.</summary>
    public char CsvDelimiter { get; set; } = ',';
}
