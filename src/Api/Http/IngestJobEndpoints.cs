using GraphRag.Hosting;
using GraphRag.Graph.Security;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Privacy;
using GraphRag.Ingest.Readers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GraphRag.Api.Http;

/// <summary>Server-side ingest jobs: administrators name files, folders or globs under the configured roots.</summary>
internal static class IngestJobEndpoints
{
    private static readonly char[] GlobCharacters = ['*', '?', '[', '{'];

    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/ingest-jobs", (IngestJobRequest body, HttpContext http, Engine engine, IngestJobs jobs, ApiOptions options, IAuditSink audit) =>
                CreateAsync(body, http, engine, jobs, options, audit))
            .WithName("CreateIngestJob").WithTags("Ingest jobs")
            .WithSummary("Start ingesting server-side files, folders or globs (administrators; paths must lie under GraphRag:Api:IngestRoots).")
            .WithMetadata(new BodyLimit(64 * 1024))
            .Produces<IngestJobView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        v1.MapGet("/ingest-jobs/{id}", (string id, HttpContext http, IngestJobs jobs) =>
                jobs.Find(CallerAuthentication.Of(http), id) is { } job ? TypedResults.Ok(job.View()) : Problems.NotFound("ingest job with this id"))
            .WithName("GetIngestJob").WithTags("Ingest jobs").WithSummary("A job's state, progress and per-document results.")
            .Produces<IngestJobView>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> CreateAsync(
        IngestJobRequest body, HttpContext http, Engine engine, IngestJobs jobs, ApiOptions options, IAuditSink audit)
    {
        var caller = CallerAuthentication.Of(http);
        if (!caller.IsAdministrator)
        {
            return Problems.Forbidden("Server-side ingest jobs need a key with the 'admin' grant; upload documents with POST /v1/documents.");
        }

        if (body.Paths is not { Count: > 0 and <= 100 } paths)
        {
            return Problems.BadRequest("'paths' must list 1-100 files, folders or globs.");
        }

        foreach (var entry in body.Acl ?? [])
        {
            AccessControl.Validate(entry);
        }

        PiiPolicy? policy = null;
        if (body.Pii is not null)
        {
            if (!PiiPolicies.TryParse(body.Pii, out var parsed))
            {
                return Problems.BadRequest("pii must be one of keep, mask, redact.");
            }

            policy = parsed;
        }

        if (body.Llm == true && !engine.CanExtractWithModel)
        {
            return Problems.BadRequest("llm needs an extraction model on the server (GraphRag:Llm:Provider and Model, or Roles:Extraction) and graph extraction on.");
        }

        var roots = (options.IngestRoots.Count > 0 ? options.IngestRoots : [Directory.GetCurrentDirectory()])
            .Select(r => Path.TrimEndingDirectorySeparator(RealPath(r)) + Path.DirectorySeparatorChar)
            .ToList();
        var files = new List<SourceFile>();
        foreach (var path in paths)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                return Problems.BadRequest("A path is empty.");
            }

            var (folder, pattern) = Split(path);
            var full = Path.GetFullPath(folder);
            if (!Within(RealPath(full), roots))
            {
                return Problems.Forbidden($"'{path}' is outside the folders this server ingests from.");
            }

            var missing = new List<string>();
            // The part after the folder is anchored to it ("/data/inbox/*.pdf" is the folder's own PDFs), hence the leading slash.
            var found = InputEnumerator.Enumerate([full], engine.Pipeline.SupportedExtensions, pattern is null ? [] : ["/" + pattern], [], missing);
            if (missing.Count > 0)
            {
                return Problems.BadRequest($"'{path}' does not exist.");
            }

            // A link inside a root — to a file or to any folder on the way — must not lead outside it.
            files.AddRange(found.Where(f => Within(RealPath(f.FullPath), roots)));
        }

        if (files.Count == 0)
        {
            return Problems.BadRequest("The paths name no files of a supported format.");
        }

        if (!jobs.TryEnqueue(caller, files, paths, body.Acl, policy, body.Llm == true, out var job))
        {
            return Problems.Result(StatusCodes.Status503ServiceUnavailable, "Too many ingest jobs are queued; retry later.");
        }

        await audit.RecordAsync(
            new AuditRecord(caller.Principal, "ingest-job.create", job.Id, 202, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["paths"] = string.Join(';', paths),
                ["files"] = files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }),
            CancellationToken.None);
        return TypedResults.Accepted($"/v1/ingest-jobs/{job.Id}", job.View());
    }

    /// <summary>A glob splits into the folder before its first wildcard segment and the pattern after it.</summary>
    private static (string Folder, string? Pattern) Split(string path)
    {
        var normalised = path.Replace('\\', '/');
        var wildcard = normalised.IndexOfAny(GlobCharacters);
        if (wildcard < 0)
        {
            return (path, null);
        }

        var slash = normalised.LastIndexOf('/', wildcard);
        return slash < 0 ? (".", normalised) : (normalised[..Math.Max(1, slash)], normalised[(slash + 1)..]);
    }

    /// <summary>The path with every symbolic link along it resolved (as realpath(3) does), so containment is checked on what is read.</summary>
    internal static string RealPath(string path, int depth = 0)
    {
        if (depth > 40)
        {
            throw new IOException($"Too many levels of symbolic links resolving '{path}'.");
        }

        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            current = info.LinkTarget is null
                ? next
                : RealPath(Path.IsPathRooted(info.LinkTarget) ? info.LinkTarget : Path.Combine(current, info.LinkTarget), depth + 1);
        }

        return current;
    }

    private static bool Within(string fullPath, IReadOnlyList<string> roots) =>
        roots.Any(root => (fullPath + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal));
}

/// <param name="Paths">Files, folders or globs (<c>/data/reports/**/*.pdf</c>) on the server.</param>
/// <param name="Acl">ACL for every document of the job; default none (readable by every caller).</param>
/// <param name="Pii">Personal-data policy for the job: keep, mask or redact; default the server's.</param>
/// <param name="Llm">
/// Also extract with the server's Extraction model (as <c>graphrag ingest --llm</c>): every item must quote its chunk;
/// replies are cached in the store; the job's status reports what was proposed, kept and dropped, and the tokens spent.
/// </param>
public sealed record IngestJobRequest(IReadOnlyList<string>? Paths, IReadOnlyList<string>? Acl = null, string? Pii = null, bool? Llm = null);
