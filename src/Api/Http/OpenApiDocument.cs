using GraphRag.Hosting;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GraphRag.Api.Http;

/// <summary>The OpenAPI document's title and the API-key security scheme every <c>/v1</c> operation requires.</summary>
internal static class OpenApiDocument
{
    private const string Scheme = "ApiKey";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "GraphRag API";
            document.Info.Description =
                "Knowledge-graph-augmented retrieval with answers traced to document spans. Every /v1 route needs "
                + "'Authorization: Bearer <key>' (create one with 'graphrag keys add'); errors are RFC 7807 problem details.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "grk_<id>_<secret>",
                Description = "An API key from 'graphrag keys add'.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] });
            }

            return Task.CompletedTask;
        });
    }
}
