using System.Text.Json;
using GraphRag.Graph;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace GraphRag.Api.Http;

/// <summary>
/// Every error as RFC 7807 problem details, mapped in one place. Messages of our own exceptions describe the input;
/// anything unexpected becomes a bare 500 whose detail stays in the log.
/// </summary>
internal static partial class Problems
{
    public static IResult Result(int status, string detail, string? title = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static IResult NotFound(string what) => Result(StatusCodes.Status404NotFound, $"No {what} found.");

    public static IResult BadRequest(string detail) => Result(StatusCodes.Status400BadRequest, detail);

    public static IResult Forbidden(string detail) => Result(StatusCodes.Status403Forbidden, detail);

    /// <summary>Writes a problem directly, for middleware that runs before endpoints.</summary>
    public static async Task Write(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetService(typeof(IProblemDetailsService)) as IProblemDetailsService;
        var problem = new ProblemDetails { Status = status, Detail = detail, Title = TitleOf(status) };
        if (problems is null || !await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            context.Response.ContentType = "application/problem+json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(problem));
        }
    }

    public static string? TitleOf(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => null,
    };

    /// <summary>Maps exceptions that escape an endpoint.</summary>
    internal sealed partial class ExceptionHandler(IProblemDetailsService problems, ILogger<ExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            var (status, detail) = exception switch
            {
                BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge =>
                    (413, "The request body is larger than this endpoint accepts."),
                BadHttpRequestException bad => (bad.StatusCode, bad.Message),
                InvalidInputException invalid => (400, invalid.Message),
                JsonException => (400, "The request body is not valid JSON for this endpoint."),
                InvalidDataException when !httpContext.RequestAborted.IsCancellationRequested => (400, "The request body is malformed."),
                ArgumentException => (400, "The request has a value this endpoint cannot use."),
                OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "The client closed the request."),
                StoreException { IsTransient: true } => (503, "The store is busy; retry shortly."),
                GraphRagException { IsTransient: true } => (503, "A service the engine depends on is busy or timed out; retry shortly."),
                _ => (500, "An unexpected error occurred; it has been logged."),
            };
            if (status >= 500)
            {
                LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            }

            httpContext.Response.StatusCode = status;
            if (status == StatusCodes.Status503ServiceUnavailable)
            {
                // A transient failure: the same request may succeed shortly.
                httpContext.Response.Headers.RetryAfter = "1";
            }

            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = new ProblemDetails { Status = status, Detail = detail, Title = TitleOf(status) },
            });
        }

        [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
        private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
    }
}
