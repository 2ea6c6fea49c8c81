using Microsoft.AspNetCore.Routing;

namespace GraphRag.Api.Http;

/// <summary>Entities, subgraphs and paths, seen through the caller's readable chunks.</summary>
internal static class GraphEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
    }
}
