using GraphRag.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace GraphRag.Api.Http;

/// <summary>Liveness and readiness, open without a key and revealing nothing about the data.</summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok")))
            .WithName("Health").WithTags("Operations").WithSummary("Liveness: the process is up.");
        app.MapGet("/readyz", async (Engine engine, IHostApplicationLifetime lifetime, CancellationToken cancellationToken) =>
            {
                if (lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    return Problems.Result(StatusCodes.Status503ServiceUnavailable, "The server is shutting down.");
                }

                try
                {
                    await engine.Backend.Access.GetGenerationAsync(cancellationToken);
                    return TypedResults.Ok(new HealthStatus("ready"));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    return Problems.Result(StatusCodes.Status503ServiceUnavailable, "The store cannot be read.");
                }
            })
            .WithName("Ready").WithTags("Operations").WithSummary("Readiness: the store answers and the server is not stopping.")
            .Produces<HealthStatus>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }
}

public sealed record HealthStatus(string Status);
