using System.ComponentModel.DataAnnotations;

namespace GraphRag.Hosting;

/// <summary>Settings of <c>graphrag serve</c> (configuration section <c>GraphRag:Api</c>).</summary>
public sealed class ApiOptions
{
    /// <summary>Where Kestrel listens; loopback by default, so nothing is exposed until an operator says so.</summary>
    [Required]
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>
    /// Lets requests without a key in, with the least privilege: they read only documents whose ACL is empty or
    /// <c>*</c>, see personal data masked, and can neither write nor administer. For local use only: the server
    /// refuses to start with it on unless every URL is a loopback address.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Largest upload (multipart body) accepted, in bytes.</summary>
    [Range(1024, 1L << 31)]
    public long MaxUploadBytes { get; set; } = 32L << 20;

    /// <summary>Largest JSON request body accepted, in bytes.</summary>
    [Range(1024, 64L << 20)]
    public long MaxJsonBytes { get; set; } = 1L << 20;

    /// <summary>Requests per second each key may make on average (token bucket).</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerSecond { get; set; } = 50;

    /// <summary>Requests a key may make in a burst above the average.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 100;

    /// <summary>Folders server-side ingest jobs may read from (administrators only); empty means the working folder.</summary>
    public IList<string> IngestRoots { get; } = [];

    /// <summary>Per-document results an ingest job keeps for its status report (the counts cover all).</summary>
    [Range(1, 1_000_000)]
    public int MaxJobResults { get; set; } = 10_000;

    /// <summary>How long shutdown waits for a running ingest job to stop at a batch boundary.</summary>
    [Range(1, 3600)]
    public int ShutdownSeconds { get; set; } = 30;
}
