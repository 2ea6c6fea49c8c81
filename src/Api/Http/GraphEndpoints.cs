using GraphRag.Hosting;
using GraphRag.Query.Exploration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GraphRag.Api.Http;

/// <summary>
/// Entities, subgraphs and paths, seen through the caller's readable chunks: an entity or relation exists for the
/// caller only through a readable mention or evidence span, and is named from readable mentions only. An entity the
/// caller cannot see answers exactly as one that does not exist.
/// </summary>
internal static class GraphEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/entities", async (string? search, string? type, int? limit, HttpContext http, Engine engine, CancellationToken cancellationToken) =>
            {
                if (limit is < 1 or > 1000)
                {
                    return Problems.BadRequest("limit must be 1-1000.");
                }

                if (search is { Length: > 200 })
                {
                    return Problems.BadRequest("search must be at most 200 characters.");
                }

                var scope = await engine.Scopes.ForAsync(CallerAuthentication.Of(http), cancellationToken);
                var entities = await engine.Explorer.SearchEntitiesAsync(search, type, limit ?? 20, scope, cancellationToken);
                return TypedResults.Ok(new EntityList(entities));
            })
            .WithName("SearchEntities").WithTags("Graph")
            .WithSummary("Entities whose readable names or aliases match the search (exactly or as a prefix), most mentioned first.")
            .Produces<EntityList>().ProducesProblem(StatusCodes.Status400BadRequest);

        v1.MapGet("/entities/{id}", async (string id, HttpContext http, Engine engine, Masking masking, CancellationToken cancellationToken) =>
            {
                var caller = CallerAuthentication.Of(http);
                var access = await engine.Scopes.ResolveAsync(caller, cancellationToken);
                if (await engine.Explorer.GetEntityAsync(id, access.Scope, cancellationToken) is not { } entity)
                {
                    return Problems.NotFound("entity with this id or name");
                }

                var filter = masking.For(caller, access);
                return TypedResults.Ok(entity with
                {
                    Mentions = entity.Mentions.Select(m => m with { Text = filter.Span(m.DocumentId, m.Start, m.Text) }).ToList(),
                    Relations = entity.Relations.Select(r => r with { Evidence = Filter(r.Evidence, filter) }).ToList(),
                });
            })
            .WithName("GetEntity").WithTags("Graph")
            .WithSummary("An entity (by id, name or alias): aliases, readable mentions with spans, relations with readable evidence.")
            .Produces<EntityDetails>().ProducesProblem(StatusCodes.Status404NotFound);

        v1.MapGet("/subgraph", async (string? entity, int? hops, int? limit, HttpContext http, Engine engine, Masking masking, CancellationToken cancellationToken) =>
            {
                if (string.IsNullOrWhiteSpace(entity) || hops is < 1 or > 3 || limit is < 1 or > 1000)
                {
                    return Problems.BadRequest("entity is required; hops must be 1-3 and limit 1-1000.");
                }

                var caller = CallerAuthentication.Of(http);
                var access = await engine.Scopes.ResolveAsync(caller, cancellationToken);
                if (await engine.Explorer.GetSubgraphAsync(entity, hops ?? 1, limit ?? 200, access.Scope, cancellationToken) is not { } subgraph)
                {
                    return Problems.NotFound("entity with this id or name");
                }

                var filter = masking.For(caller, access);
                return TypedResults.Ok(subgraph with { Edges = subgraph.Edges.Select(e => e with { Provenance = Filter(e.Provenance, filter) }).ToList() });
            })
            .WithName("GetSubgraph").WithTags("Graph")
            .WithSummary("The entities within `hops` relations of an entity and the relations between them, each with its readable evidence spans.")
            .Produces<EntitySubgraph>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        v1.MapGet("/paths", async (string? from, string? to, int? maxHops, HttpContext http, Engine engine, Masking masking, CancellationToken cancellationToken) =>
            {
                if (string.IsNullOrWhiteSpace(from) || string.IsNullOrWhiteSpace(to) || maxHops is < 1 or > 10)
                {
                    return Problems.BadRequest("from and to are required; maxHops must be 1-10.");
                }

                var caller = CallerAuthentication.Of(http);
                var access = await engine.Scopes.ResolveAsync(caller, cancellationToken);
                if (await engine.Explorer.FindPathAsync(from, to, maxHops ?? 6, access.Scope, cancellationToken) is not { } path)
                {
                    return Problems.NotFound("path between these entities");
                }

                var filter = masking.For(caller, access);
                return TypedResults.Ok(path with { Steps = path.Steps.Select(s => s with { Evidence = Filter(s.Evidence, filter) }).ToList() });
            })
            .WithName("FindPath").WithTags("Graph")
            .WithSummary("The cheapest chain of relations between two entities (ids, names or aliases), each edge with its readable evidence.")
            .Produces<EntityPath>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static List<EvidenceSpan> Filter(IEnumerable<EvidenceSpan> spans, OutputFilter filter) =>
        spans.Select(e => e with { Quote = filter.Span(e.DocumentId, e.Start, e.Quote) }).ToList();
}

public sealed record EntityList(IReadOnlyList<EntitySummary> Entities);
