using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using GraphRag.Graph.Model;
using GraphRag.Hosting;
using GraphRag.Query;
using GraphRag.Query.Answering;
using GraphRag.Query.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace GraphRag.Api.Http;

/// <summary><c>POST /v1/query</c> and its server-sent-events variant.</summary>
internal static class QueryEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/query", async Task<Results<Ok<QueryResponse>, ProblemHttpResult>> (QueryBody body, HttpContext http, QueryService service, CancellationToken cancellationToken) =>
            {
                var (response, problem) = await service.RunAsync(body, http, cancellationToken);
                return problem is not null ? problem : TypedResults.Ok(response!);
            })
            .WithName("Query").WithTags("Query")
            .WithSummary("Answer a question from the documents the caller may read, with citations, answer paths and timings.")
            .WithMetadata(new BodyLimit(64 * 1024))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        v1.MapPost("/query/stream", async Task<IResult> (QueryBody body, HttpContext http, QueryService service, CancellationToken cancellationToken) =>
            {
                if (service.Validate(body) is { } invalid)
                {
                    return invalid;
                }

                return TypedResults.ServerSentEvents(service.StreamAsync(body, http, cancellationToken));
            })
            .WithName("QueryStream").WithTags("Query")
            .WithSummary("The same query as server-sent events: accepted; with a language model, token events carrying the answer's text as it is written; then passage, path, citation, claim and dropped events, the answer (with usage), and done with timings.")
            .WithMetadata(new BodyLimit(64 * 1024))
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized);
    }
}

/// <summary>A question and how to answer it.</summary>
/// <param name="Question">1-2000 characters.</param>
/// <param name="Mode"><c>hybrid</c> (default), <c>bm25</c>, <c>graph</c> or <c>vector</c> (dense only; needs embeddings).</param>
/// <param name="K">Passages to return, 1-100 (default <see cref="QueryRequest.DefaultTopK"/>, 10).</param>
/// <param name="Hops">Retrieval rounds at most, 1-10 (default 3).</param>
public sealed record QueryBody(string? Question, string? Mode = null, int? K = null, int? Hops = null);

public sealed record QueryResponse(
    string Question,
    string Mode,
    string Answer,
    bool InsufficientEvidence,
    double Confidence,
    IReadOnlyList<CitationView> Citations,
    IReadOnlyList<PathView> Paths,
    IReadOnlyList<PassageView> Passages,
    IReadOnlyList<LinkedEntity> LinkedEntities,
    IReadOnlyList<HopTrace> Hops,
    IReadOnlyList<StageTiming> Timings,
    CypherStatement? Cypher)
{
    /// <summary>With a language model: the answer as sentences, each with its verified citations.</summary>
    public IReadOnlyList<ClaimView>? Claims { get; init; }

    /// <summary>With a language model: what it claimed that did not verify, and why.</summary>
    public IReadOnlyList<DroppedClaim>? DroppedClaims { get; init; }

    /// <summary>With a language model: what this query spent (requests, tokens in and out, estimated cost in US dollars).</summary>
    public LlmUsage? Usage { get; init; }

    /// <summary>Why the model's answer was not used, when the extractive answer stands in for it.</summary>
    public string? AnswerNote { get; init; }
}

/// <summary>One sentence of a model's answer with the citations its quotes verified as.</summary>
public sealed record ClaimView(string Text, IReadOnlyList<CitationView> Citations);

public sealed record CitationView(string DocumentId, string DocumentTitle, string ChunkId, int Start, int End, string Quote, int? Page);

public sealed record PathView(IReadOnlyList<PathStepView> Steps, double Score);

/// <param name="SourceId">The relation's source entity.</param>
/// <param name="TargetId">Its target entity.</param>
/// <param name="RelationId">The relation (the <c>RELATES</c> edge's <c>id</c> in Neo4j).</param>
public sealed record PathStepView(
    string Source, string Label, string Target, IReadOnlyList<CitationView> Evidence, string SourceId, string TargetId, string RelationId);

public sealed record PassageView(
    string ChunkId, string DocumentId, string Title, int Start, int End, int? Page, string? Section, double Score, Explanation Explanation, string Text);

/// <summary>Runs queries for a caller: scope, masking and audit.</summary>
internal sealed class QueryService(Engine engine, Masking masking, IAuditSink audit)
{
    public ProblemHttpResult? Validate(QueryBody body)
    {
        if (string.IsNullOrWhiteSpace(body.Question) || body.Question.Length > 2000)
        {
            return TypedResults.Problem(detail: "question is required and must be 1-2000 characters.", statusCode: 400, title: "Bad Request");
        }

        if (ParseMode(body.Mode) is not { } mode)
        {
            return TypedResults.Problem(detail: $"mode must be one of {string.Join(", ", ModeNames)}.", statusCode: 400, title: "Bad Request");
        }

        if (!engine.Query.Supports(mode))
        {
            return TypedResults.Problem(
                detail: $"mode {ModeName(mode)} needs embeddings, which this server runs without; use one of {string.Join(", ", ModeNames.Where(n => engine.Query.Supports(ParseMode(n)!.Value)))}.",
                statusCode: 400,
                title: "Bad Request");
        }

        if (body.K is < 1 or > 100)
        {
            return TypedResults.Problem(detail: "k must be 1-100.", statusCode: 400, title: "Bad Request");
        }

        return body.Hops is < 1 or > 10
            ? TypedResults.Problem(detail: "hops must be 1-10.", statusCode: 400, title: "Bad Request")
            : null;
    }

    public async Task<(QueryResponse? Response, ProblemHttpResult? Problem)> RunAsync(
        QueryBody body, HttpContext http, CancellationToken cancellationToken, Func<string, CancellationToken, ValueTask>? answerStream = null)
    {
        if (Validate(body) is { } invalid)
        {
            return (null, invalid);
        }

        var caller = CallerAuthentication.Of(http);
        var access = await engine.Scopes.ResolveAsync(caller, cancellationToken);
        var filter = masking.For(caller, access);
        var request = new QueryRequest
        {
            Question = body.Question!.Trim(),
            Mode = ParseMode(body.Mode)!.Value,
            TopK = body.K ?? QueryRequest.DefaultTopK,
            MaxHops = body.Hops ?? 3,
            Scope = access.Scope,
            // Passages reach a model only as this caller may see them: personal data masked without the pii grant.
            Masking = engine.PromptMask(caller, access),
            // The model saw nothing the caller may not; what it writes is filtered like every other text all the same.
            AnswerStream = answerStream is null ? null : (text, token) => answerStream(filter.Text(string.Empty, text), token),
        };
        var result = await engine.Query.QueryAsync(request, cancellationToken);
        var response = Map(result, filter);
        await audit.RecordAsync(
            new AuditRecord(caller.Principal, "query", "/v1/query", 200, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["question_sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.Question)))[..16],
                ["mode"] = response.Mode,
                ["k"] = request.TopK.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["insufficient"] = response.InsufficientEvidence ? "true" : "false",
                ["documents"] = string.Join(',', response.Passages.Select(p => p.DocumentId).Distinct(StringComparer.Ordinal)),
            }),
            CancellationToken.None);
        return (response, null);
    }

    public async IAsyncEnumerable<SseItem<object>> StreamAsync(QueryBody body, HttpContext http, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new SseItem<object>(new { question = body.Question }, "accepted");
        // A model's answer text is relayed as it is written; what verified follows once the query is done.
        var tokens = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        var running = RunAsync(body, http, cancellationToken, (text, token) => tokens.Writer.WriteAsync(text, token));
        _ = running.ContinueWith(_ => tokens.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await foreach (var text in tokens.Reader.ReadAllAsync(cancellationToken))
        {
            yield return new SseItem<object>(new { text }, "token");
        }

        var (response, _) = await running;
        foreach (var passage in response!.Passages)
        {
            yield return new SseItem<object>(passage, "passage");
        }

        foreach (var path in response.Paths)
        {
            yield return new SseItem<object>(path, "path");
        }

        foreach (var citation in response.Citations)
        {
            yield return new SseItem<object>(citation, "citation");
        }

        foreach (var claim in response.Claims ?? [])
        {
            yield return new SseItem<object>(claim, "claim");
        }

        foreach (var dropped in response.DroppedClaims ?? [])
        {
            yield return new SseItem<object>(dropped, "dropped");
        }

        yield return new SseItem<object>(
            new { response.Answer, response.InsufficientEvidence, response.Confidence, response.LinkedEntities, response.Cypher, response.Usage, response.AnswerNote },
            "answer");
        yield return new SseItem<object>(new { response.Timings, response.Hops }, "done");
    }

    /// <summary>The modes by name, hybrid (the default) first: parsed from the enum, so a new mode is accepted at once.</summary>
    private static readonly IReadOnlyList<string> ModeNames =
        [.. Enum.GetValues<QueryMode>().OrderBy(m => m != QueryMode.Hybrid).Select(ModeName)];

    private static string ModeName(QueryMode mode) => mode.ToString().ToLowerInvariant();

    /// <summary>A mode by its name, any case; numbers are not names.</summary>
    private static QueryMode? ParseMode(string? mode) =>
        mode is null ? QueryMode.Hybrid
        : Enum.GetValues<QueryMode>().Where(m => string.Equals(ModeName(m), mode, StringComparison.OrdinalIgnoreCase)).Select(m => (QueryMode?)m).FirstOrDefault();

    internal static QueryResponse Map(QueryResult result, OutputFilter filter)
    {
        CitationView Cite(Citation c) => new(c.DocumentId, filter.Text(c.DocumentId, c.DocumentTitle), c.ChunkId, c.Start, c.End, filter.Span(c.DocumentId, c.Start, c.Quote), c.Page);
        var sources = result.Passages.Select(p => p.Chunk.DocumentId).Concat(result.Citations.Select(c => c.DocumentId)).Distinct(StringComparer.Ordinal).ToList();
        return new QueryResponse(
            result.Question,
            result.Mode.ToString().ToLowerInvariant(),
            filter.Text(sources, result.Answer),
            result.InsufficientEvidence,
            result.Confidence,
            result.Citations.Select(Cite).ToList(),
            result.Paths.Select(p => new PathView(p.Steps.Select(s => new PathStepView(s.SourceName, s.Label, s.TargetName, s.Evidence.Select(Cite).ToList(), s.SourceId, s.TargetId, s.RelationId)).ToList(), p.Score)).ToList(),
            result.Passages.Select(p => new PassageView(
                p.Chunk.Id, p.Chunk.DocumentId, filter.Text(p.Chunk.DocumentId, p.DocumentTitle), p.Chunk.Start, p.Chunk.End, p.Chunk.Page, p.Chunk.Section is null ? null : filter.Text(p.Chunk.DocumentId, p.Chunk.Section), p.Score, p.Explanation,
                filter.Span(p.Chunk.DocumentId, p.Chunk.Start, p.Chunk.Text))).ToList(),
            result.LinkedEntities,
            result.Hops,
            result.Timings,
            // Only ids of this (already scoped) answer go in; the statement text is a constant resource.
            AnswerPathCypher.For(result))
        {
            Claims = result.Claims?.Select(c => new ClaimView(filter.Text(c.Citations.Select(x => x.DocumentId).Concat(sources), c.Text), c.Citations.Select(Cite).ToList())).ToList(),
            DroppedClaims = result.DroppedClaims?.Select(d => new DroppedClaim(filter.Text(sources, d.Text), filter.Text(sources, d.Reason))).ToList(),
            Usage = result.Usage,
            AnswerNote = result.AnswerNote,
        };
    }
}
