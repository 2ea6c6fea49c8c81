using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using GraphRag.Hosting;
using GraphRag.Graph.Security;
using GraphRag.Query.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GraphRag.Api.Http;

/// <summary>
/// The HTTP API: a minimal-API application over one <see cref="Engine"/>. Built once; <see cref="StartAsync"/> binds
/// Kestrel (port 0 picks a free one, which tests use) and returns the running server.
/// </summary>
public sealed class GraphRagServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly BufferedAuditSink _audit;

    private GraphRagServer(WebApplication app, BufferedAuditSink audit, Uri address)
    {
        _app = app;
        _audit = audit;
        Address = address;
    }

    /// <summary>The server's ingest jobs, for tests that watch a job across a shutdown.</summary>
    internal IngestJobs Jobs => _app.Services.GetRequiredService<IngestJobs>();

    /// <summary>The first address Kestrel bound, e.g. <c>http://127.0.0.1:5080/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Completes when the server has stopped (Ctrl+C, SIGTERM or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public static async Task<GraphRagServer> StartAsync(ServerParts parts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var options = parts.Engine.Settings.Api;
        var urls = options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (options.AllowAnonymous && !urls.All(IsLoopback))
        {
            throw new InvalidOperationException(
                "AllowAnonymous is for local use: every URL must be a loopback address (127.0.0.1, [::1] or localhost).");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "graphrag" });
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxUploadBytes;
            kestrel.AddServerHeader = false;
        });
        builder.Logging.ClearProviders();
        if (parts.Logging is { } configureLogging)
        {
            configureLogging(builder.Logging);
        }

        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownSeconds));
        builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = options.MaxUploadBytes);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            ApiJson.ApplyNaming(json.SerializerOptions);
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<Problems.ExceptionHandler>();
        builder.Services.AddOpenApi("v1", openApi => OpenApiDocument.Configure(openApi));
        builder.Services.AddSingleton(parts.Engine);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(parts.Authenticator);
        var audit = new BufferedAuditSink(parts.Audit, parts.Logging is null
            ? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance
            : LoggerFactory.Create(parts.Logging).CreateLogger("GraphRag.Audit"));
        builder.Services.AddSingleton<IAuditSink>(audit);
        builder.Services.AddSingleton(new Masking(parts.Mask));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IngestJobs>();
        builder.Services.AddSingleton<QueryService>();
        builder.Services.AddSingleton<FailedAuthentications>();
        builder.Services.AddSingleton<DocumentService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<IngestJobs>());
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                CallerAuthentication.KeyId(context) is { } keyId
                    ? RateLimitPartition.GetTokenBucketLimiter(keyId, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = options.Burst,
                        TokensPerPeriod = options.RequestsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(string.Empty));
            limiter.OnRejected = async (rejected, _) =>
            {
                rejected.HttpContext.Response.Headers.RetryAfter = "1";
                await Problems.Write(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Rate limit exceeded for this API key; retry after a second.");
            };
        });

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<CallerAuthentication>();
        app.UseRateLimiter();
        app.UseRouting();
        app.Use(RequestSizeLimits.Apply);
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/openapi/v1.json", "GraphRag v1");
            ui.RoutePrefix = "docs";
            ui.DocumentTitle = "GraphRag API reference";
        });
        HealthEndpoints.Map(app);
        var v1 = app.MapGroup("/v1");
        DocumentEndpoints.Map(v1);
        IngestJobEndpoints.Map(v1);
        QueryEndpoints.Map(v1);
        GraphEndpoints.Map(v1);

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GraphRagServer(app, audit, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>Stops accepting requests, lets running ingest jobs stop at a batch boundary, and waits for them.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Completes when every audit record of requests answered so far is in the log.</summary>
    public Task FlushAuditAsync(CancellationToken cancellationToken = default) => _audit.FlushAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _audit.DisposeAsync();
    }

    private static bool IsLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));
}

/// <summary>What a server is built from: the engine and the host's security services.</summary>
/// <param name="Mask">Masks personal data in a text (for callers without the <c>pii</c> grant).</param>
public sealed record ServerParts(Engine Engine, ICallerAuthenticator Authenticator, IAuditSink Audit, Func<string, string> Mask)
{
    /// <summary>Log providers to add (console for <c>graphrag serve</c>; none in tests).</summary>
    public Action<ILoggingBuilder>? Logging { get; init; }

    /// <summary>The production parts: keys and audit log in the engine's store, the engine's personal-data mask.</summary>
    public static ServerParts For(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return new ServerParts(
            engine,
            // No cache: a key revoked from the CLI stops working on the next request.
            new KeyAuthenticator(new Security.ApiKeyService(engine.Backend.Keys, TimeProvider.System, TimeSpan.Zero)),
            new StoreAuditSink(engine.Backend.Audit, TimeProvider.System),
            engine.MaskPersonalData);
    }
}

/// <summary>API keys from the store.</summary>
internal sealed class KeyAuthenticator(Security.ApiKeyService keys) : ICallerAuthenticator
{
    public Task<GraphRag.Graph.Security.Caller?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken = default) =>
        keys.AuthenticateAsync(presentedKey, cancellationToken);
}

/// <summary>The personal-data mask, as a service.</summary>
internal sealed record Masking(Func<string, string> Mask)
{
    /// <summary>The output filter for a caller with this access.</summary>
    public OutputFilter For(Caller caller, CallerAccess access) => new(caller, access.UnmaskedDocuments, access.Sensitive, Mask);
}

/// <summary>Per-endpoint body limits: JSON endpoints take far less than uploads.</summary>
internal static class RequestSizeLimits
{
    public static Task Apply(HttpContext context, RequestDelegate next)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
        if (limit is long max)
        {
            if (context.Request.ContentLength > max)
            {
                return Problems.Write(context, StatusCodes.Status413PayloadTooLarge, $"The request body is over this endpoint's limit of {max} bytes.");
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = max;
            }
        }

        return next(context);
    }
}

/// <summary>Marks an endpoint's body limit.</summary>
internal sealed class BodyLimit(long bytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = bytes;
}
