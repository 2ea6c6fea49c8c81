using Microsoft.AspNetCore.OpenApi;

namespace GraphRag.Api.Http;

/// <summary>The OpenAPI document's title and the API-key security scheme.</summary>
internal static class OpenApiDocument
{
    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "GraphRag API";
            document.Info.Description = "Knowledge-graph-augmented retrieval with citations. Every /v1 route needs 'Authorization: Bearer <key>'.";
            return Task.CompletedTask;
        });
    }
}
