using System.ComponentModel.DataAnnotations;

namespace GraphRag.Neo4j;

/// <summary>Settings for the Neo4j store (<c>GraphRag:Store:Neo4j</c>).</summary>
public sealed class Neo4jStoreOptions
{
    /// <summary>The server's HTTP(S) address, e.g. <c>http://127.0.0.1:7474</c> (TLS when <c>https</c>).</summary>
    [Required]
    public string Url { get; set; } = "http://127.0.0.1:7474";

    /// <summary>The database on 4.x and later (ignored by 3.x, which has one).</summary>
    [Required]
    public string Database { get; set; } = "neo4j";

    /// <summary>User for basic authentication; none when empty (and no <see cref="Token"/>).</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>A bearer token (SSO, Aura); used instead of <see cref="User"/> and <see cref="Password"/> when set.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// The name of this GraphRag store inside the database: every node the store writes carries it as <c>store</c>,
    /// so several stores can share one database (Community editions have one).
    /// </summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_.:-]{1,64}$")]
    public string Store { get; set; } = "graphrag";

    /// <summary>
    /// Which HTTP API to speak: <see cref="Neo4jApi.Auto"/> (the transactional endpoint when the server offers it, else the
    /// Query API v2, as on Aura), or one of them.
    /// </summary>
    public Neo4jApi Api { get; set; } = Neo4jApi.Auto;

    /// <summary>How long one HTTP request may take.</summary>
    [Range(1, 3600)]
    public int TimeoutSeconds { get; set; } = 100;

    /// <summary>How often a transient failure (Neo.TransientError.*, 503, a timeout) is retried, with backoff.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first backoff; each retry doubles it (with jitter).</summary>
    [Range(1, 60_000)]
    public int RetryDelayMilliseconds { get; set; } = 200;

    /// <summary>
    /// Folder for the in-memory indexes' cache file, <c>neo4j-&lt;store id&gt;.index</c> (the SQLite store keeps its
    /// <c>graphrag.db.index</c> beside the file; a server has no "beside", so it goes here, by default in the working
    /// folder as <c>graphrag.db</c> does). The file holds the lexical postings, so keep it as private as the data. Empty
    /// keeps none, and each process then reads every row from the server when it starts (musique-100: about 8 s against
    /// under 2 s from the file).
    /// </summary>
    public string? IndexCacheFolder { get; set; } = "graphrag-neo4j-cache";

    /// <summary>The embedding model chunk vectors are made with; null turns vectors off (see the SQLite options).</summary>
    public Graph.Model.VectorModel? VectorModel { get; set; }

    /// <summary>Refuse to open a store whose recorded model differs from <see cref="VectorModel"/>.</summary>
    public bool CheckVectorModel { get; set; } = true;

    /// <summary>Where the data lives, for messages: the address, store and database, never credentials.</summary>
    internal string Describe()
    {
        var url = Uri.TryCreate(Url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : Url;
        return $"{url} (database {Database}, store {Store})";
    }
}

/// <summary>Neo4j's HTTP APIs.</summary>
public enum Neo4jApi
{
    /// <summary>The transactional endpoint when the discovery document names one, else the Query API.</summary>
    Auto,

    /// <summary>The transactional endpoint (<c>/db/data/transaction</c> on 3.x, <c>/db/{db}/tx</c> on 4.x and 5.x).</summary>
    Transactional,

    /// <summary>The Query API v2 (<c>/db/{db}/query/v2</c>, 5.x and Aura): one statement per request.</summary>
    Query,
}
