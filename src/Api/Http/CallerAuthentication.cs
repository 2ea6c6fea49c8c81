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
/// <c>X-Api-Key</c>, or, only when anonymous access is switched on, the local administrator. A missing or bad key is a
/// 401 problem with a <c>WWW-Authenticate</c> challenge; nothing else about the request is looked at.
/// </summary>
internal sealed class CallerAuthentication(RequestDelegate next, ICallerAuthenticator authenticator, ApiOptions options)
{
    private const string CallerKey = "graphrag.caller";
    private const string KeyIdKey = "graphrag.key-id";

    public static readonly Caller Anonymous = Caller.LocalAdministrator with { Principal = "anonymous" };

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var key = PresentedKey(context.Request);
        Caller? caller = key is null
            ? (options.AllowAnonymous ? Anonymous : null)
            : await authenticator.AuthenticateAsync(key, context.RequestAborted);
        if (caller is null)
        {
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
