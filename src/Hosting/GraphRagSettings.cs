using System.ComponentModel.DataAnnotations;
using GraphRag.Embeddings;
using GraphRag.Graph.Sqlite;
using GraphRag.Graph.Synonyms;
using GraphRag.Ingest.Pipeline;
using GraphRag.Llm;
using GraphRag.Neo4j;
using GraphRag.Query;
using Microsoft.Extensions.Configuration;

namespace GraphRag.Hosting;

/// <summary>
/// All settings, bound from (in increasing precedence) <c>appsettings.json</c> and <c>graphrag.json</c> in the working
/// folder, <c>GRAPHRAG_</c>-prefixed environment variables (<c>GRAPHRAG_GraphRag__Store__Path</c>), then command-line flags.
/// </summary>
public sealed class GraphRagSettings
{
    public const string Section = "GraphRag";

    /// <summary>The embedded store's settings (<c>GraphRag:Store</c>: path, busy timeout), used when <see cref="StoreKind"/> is Sqlite.</summary>
    public SqliteStoreOptions Store { get; set; } = new();

    /// <summary>Which backend holds the data: <c>GraphRag:Store:Kind</c>, Sqlite (the default) or Neo4j.</summary>
    public StoreKind StoreKind { get; set; } = StoreKind.Sqlite;

    /// <summary>The Neo4j store's settings (<c>GraphRag:Store:Neo4j</c>: Url, Database, User, Password, Token, Store, …).</summary>
    public Neo4jStoreOptions Neo4j { get; set; } = new();

    public IngestOptions Ingest { get; set; } = new();

    public QueryEngineOptions Query { get; set; } = new();

    public ApiOptions Api { get; set; } = new();

    /// <summary>Chunk embeddings (<c>GraphRag:Embeddings</c>): the local model by default; <c>Enabled: false</c> turns them off.</summary>
    public EmbeddingOptions Embeddings { get; set; } = new();

    /// <summary>Synonym edges between entities whose names embed alike (<c>GraphRag:Synonyms</c>); only with embeddings on.</summary>
    public EntitySynonymOptions Synonyms { get; set; } = new();

    /// <summary>
    /// Language models (<c>GraphRag:Llm</c>): provider, endpoint, model, key, limits, per-role overrides, budgets and
    /// prices. <c>Provider</c> is None by default, and then nothing is sent anywhere.
    /// </summary>
    public LlmOptions Llm { get; set; } = new();

    /// <exception cref="ValidationException">
    /// A settings file is not JSON, a value has the wrong type, or a value is out of range: one line naming each problem,
    /// where the value came from (file or environment variable) and the setting.
    /// </exception>
    public static GraphRagSettings Load(string? databasePath) => Load(databasePath, Directory.GetCurrentDirectory());

    /// <summary>As <see cref="Load(string?)"/>, reading the settings files of <paramref name="folder"/>.</summary>
    internal static GraphRagSettings Load(string? databasePath, string folder)
    {
        IConfigurationRoot configuration;
        try
        {
            configuration = new ConfigurationBuilder()
                .SetBasePath(folder)
                .AddJsonFile("appsettings.json", optional: true)
                .AddJsonFile("graphrag.json", optional: true)
                .AddEnvironmentVariables("GRAPHRAG_")
                .Build();
        }
        catch (InvalidDataException ex) when (SettingsProblems.Unreadable(ex) is { } problem)
        {
            throw new ValidationException("Invalid settings: " + problem, ex);
        }

        var problems = new List<string>();
        var settings = Bind(configuration, problems);
        if (problems.Count > 0)
        {
            throw new ValidationException("Invalid settings: " + string.Join("; ", problems));
        }

        if (!string.IsNullOrWhiteSpace(databasePath))
        {
            settings.Store.Path = databasePath;
        }

        settings.Validate();
        return settings;
    }

    /// <summary>
    /// Binds every setting, collecting each value that cannot be converted (it is then left at its default so the others
    /// are still checked) instead of stopping at the first.
    /// </summary>
    private static GraphRagSettings Bind(IConfigurationRoot configuration, List<string> problems)
    {
        while (true)
        {
            var settings = new GraphRagSettings();
            try
            {
                configuration.GetSection(Section).Bind(settings);
                // Kind and Neo4j sit under GraphRag:Store beside the SQLite settings (GRAPHRAG_GraphRag__Store__Kind=Neo4j).
                var store = configuration.GetSection(Section).GetSection("Store");
                if (store["Kind"] is { Length: > 0 } kind)
                {
                    if (Enum.TryParse<StoreKind>(kind, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
                    {
                        settings.StoreKind = parsed;
                    }
                    else
                    {
                        problems.Add($"{SettingsProblems.SourceOf(configuration, store.GetSection("Kind").Path)}: GraphRag:Store:Kind is '{kind}', not one of Sqlite, Neo4j");
                    }
                }

                store.GetSection("Neo4j").Bind(settings.Neo4j);
                return settings;
            }
            catch (InvalidOperationException ex) when (problems.Count < 50 && SettingsProblems.TryDescribeConversion(ex, configuration, out var key, out var problem))
            {
                problems.Add(problem);
                configuration[key] = null;
            }
        }
    }

    /// <summary>Fails start-up with every broken setting named, rather than failing later mid-run.</summary>
    public void Validate()
    {
        var errors = new List<ValidationResult>();
        foreach (var target in new object[] { StoreKind == StoreKind.Neo4j ? Neo4j : Store, Ingest, Ingest.Readers, Ingest.Chunking, Ingest.Extraction, Ingest.Pii, Query, Api, Synonyms })
        {
            Validator.TryValidateObject(target, new ValidationContext(target), errors, validateAllProperties: true);
        }

        if (Ingest.Chunking.OverlapTokens >= Ingest.Chunking.MaxTokens)
        {
            errors.Add(new ValidationResult("Ingest:Chunking:OverlapTokens must be smaller than MaxTokens."));
        }

        errors.AddRange(LlmClientFactory.Validate(Llm).Select(problem => new ValidationResult("Llm: " + problem)));
        if (errors.Count > 0)
        {
            throw new ValidationException("Invalid settings: " + string.Join("; ", errors.Select(e => e.ErrorMessage)));
        }
    }
}

/// <summary>The store backends the host can open.</summary>
public enum StoreKind
{
    /// <summary>The embedded SQLite file (<c>GraphRag:Store:Path</c>).</summary>
    Sqlite,

    /// <summary>A Neo4j server (<c>GraphRag:Store:Neo4j</c>).</summary>
    Neo4j,
}
