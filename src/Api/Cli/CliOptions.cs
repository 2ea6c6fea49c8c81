using System.CommandLine;
using GraphRag.Hosting;

namespace GraphRag.Api.Cli;

/// <summary>Options shared by every command.</summary>
internal static class CliOptions
{
    public static readonly Option<string?> Database = new("--db")
    {
        Description = "Path of the store file (default: graphrag.db in the working folder, or GraphRag:Store:Path from settings); "
            + "giving it chooses the embedded store whatever GraphRag:Store:Kind says.",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print machine-readable JSON instead of text.",
        Recursive = true,
    };

    public static readonly Option<bool> NoEmbeddings = new("--no-embeddings")
    {
        Description = "Run without chunk embeddings (no embed step, no dense channel), as GraphRag:Embeddings:Enabled=false does.",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "On an error, print the exception's stack trace after the one-line message.",
        Recursive = true,
    };

    /// <summary>
    /// The settings every command runs with: files and environment, then the shared flags. Only a command that writes
    /// (<see cref="StoreUse.Create"/>) may create the store; the others fail with "no store" on a path that holds none.
    /// </summary>
    public static GraphRagSettings LoadSettings(ParseResult parse, string? databasePath, StoreUse use)
    {
        var settings = GraphRagSettings.Load(databasePath);
        settings.Store.CreateIfMissing = use == StoreUse.Create;
        if (parse.GetValue(Database) is not null)
        {
            // A file named on the command line is the embedded store's: flags outrank settings and the environment.
            settings.StoreKind = StoreKind.Sqlite;
        }
        if (parse.GetValue(NoEmbeddings))
        {
            settings.Embeddings.Enabled = false;
        }

        return settings;
    }

    /// <summary>
    /// Settings for a scratch store of the embedded kind at <paramref name="databasePath"/>: benchmarks create and delete
    /// their stores, which must never be the configured Neo4j store.
    /// </summary>
    public static GraphRagSettings LoadScratchSettings(ParseResult parse, string databasePath)
    {
        var settings = LoadSettings(parse, databasePath, StoreUse.Create);
        settings.StoreKind = StoreKind.Sqlite;
        return settings;
    }
}

/// <summary>Whether a command may create the store it opens.</summary>
internal enum StoreUse
{
    /// <summary>The command writes (ingest, demo, eval, serve, keys add): a missing store is created.</summary>
    Create,

    /// <summary>The command reads or changes what is stored: a missing store is an error, never a new empty store.</summary>
    Existing,
}

/// <summary>Process exit codes: the only codes <c>graphrag</c> ends with (the README lists them).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran but some input failed (a bad file in a batch) or what it named was not found.</summary>
    public const int PartialFailure = 1;

    /// <summary>The command could not run: bad arguments or unknown options, settings, or store.</summary>
    public const int Error = 2;

    /// <summary>An unexpected exception (a bug), reported in one line; <c>--verbose</c> adds the stack trace.</summary>
    public const int InternalError = 3;

    /// <summary>Cancelled (Ctrl+C) before the command finished; what was committed stays.</summary>
    public const int Cancelled = 130;
}
