using GraphRag.Hosting;
using System.Threading.RateLimiting;
using GraphRag.Graph.Security;
using Microsoft.AspNetCore.Http;

namespace GraphRag.Api.Http;

/// <summary>Turns a presented API key into a caller; null for a key that is unknown, malformed or revoked.</summary>
public interface ICallerAuthenticator
{
    Task<Caller?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken = default);
}

/// <summary>
/// Authenticates every <c>/v1</c> request before anything else runs: a key from <c>Authorization: Bearer …</c> or
/// <c>X-Api-Key</c>, or, only when anonymous access is switched on, the least-privileged <see cref="Anonymous"/> caller. A missing or bad key is a
/// 401 problem with a <c>WWW-Authenticate</c> challenge; nothing else about the request is looked at. Failed attempts
/// spend from a per-address bucket of the same size as a key's; an address that has spent it gets 429 before any key
/// lookup, so guessing keys or flooding with bad ones stays cheap for the server.
/// </summary>
internal sealed class CallerAuthentication(RequestDelegate next, ICallerAuthenticator authenticator, ApiOptions options, FailedAuthentications failures)
{
    private readonly PartitionedRateLimiter<string> _failures = failures.Limiter;

    private const string CallerKey = "graphrag.caller";
    private const string KeyIdKey = "graphrag.key-id";

    /// <summary>
    /// A keyless caller when anonymous access is on: no groups and no grants, so it reads only public documents (an
    /// empty ACL or <c>*</c>), sees personal data masked and cannot write. Its name is not a valid principal name, so no
    /// <c>user:</c> ACL entry can name it.
    /// </summary>
    public static readonly Caller Anonymous = new("(anonymous)", [], []);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (_failures.GetStatistics(address) is { CurrentAvailablePermits: <= 0 })
        {
            context.Response.Headers.RetryAfter = "1";
            await Problems.Write(context, StatusCodes.Status429TooManyRequests, "Too many failed authentications from this address; retry after a second.");
            return;
        }

        var key = PresentedKey(context.Request);
        Caller? caller = key is null
            ? (options.AllowAnonymous ? Anonymous : null)
            : await authenticator.AuthenticateAsync(key, context.RequestAborted);
        if (caller is null)
        {
            using var spent = _failures.AttemptAcquire(address);
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"graphrag\"";
            await Problems.Write(
                context,
                StatusCodes.Status401Unauthorized,
                key is null ? "An API key is required: send 'Authorization: Bearer <key>'." : "The API key is not valid.");
            return;
        }

        context.Items[CallerKey] = caller;
        // The key's public id (grk_<id>_<secret>) names its rate-limit bucket: limits are per key, not per principal.
        context.Items[KeyIdKey] = key is null ? "anonymous" : key.Split('_', 3) is [_, var id, _] ? id : caller.Principal;
        await next(context);
    }

    /// <summary>The authenticated caller of a <c>/v1</c> request.</summary>
    public static Caller Of(HttpContext context) =>
        context.Items.TryGetValue(CallerKey, out var value) && value is Caller caller
            ? caller
            : throw new InvalidOperationException("No authenticated caller on this request.");

    /// <summary>The public id of the key that authenticated the request (its rate-limit bucket); null before authentication.</summary>
    public static string? KeyId(HttpContext context) => context.Items.TryGetValue(KeyIdKey, out var value) ? value as string : null;

    private static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization[7..].Trim();
            return token.Length > 0 ? token : null;
        }

        var header = request.Headers["X-Api-Key"].ToString().Trim();
        return header.Length > 0 ? header : null;
    }
}

/// <summary>Failed authentications per client address, as a token bucket of a key's size; disposed with the server.</summary>
internal sealed class FailedAuthentications(ApiOptions options) : IDisposable
{
    public PartitionedRateLimiter<string> Limiter { get; } = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Burst,
            TokensPerPeriod = options.RequestsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public void Dispose() => Limiter.Dispose();
}
