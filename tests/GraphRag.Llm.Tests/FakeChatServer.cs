using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GraphRag.Llm.Tests;

/// <summary>One chat-completions request as the server saw it.</summary>
public sealed record ChatRequest(string Method, string Path, string Query, string? Authorization, string? ApiKey, JsonObject Body)
{
    public string? Model => Body["model"]?.GetValue<string>();

    public bool Stream => Body["stream"]?.GetValue<bool>() ?? false;

    public double? Temperature => Body["temperature"]?.GetValue<double>();

    /// <summary><c>max_completion_tokens</c> (what current connectors send) or <c>max_tokens</c>.</summary>
    public int? MaxTokens => (Body["max_completion_tokens"] ?? Body["max_tokens"])?.GetValue<int>();

    public JsonObject? ResponseFormat => Body["response_format"] as JsonObject;

    /// <summary>Each message's role and text (string content, or the text parts of content arrays).</summary>
    public IReadOnlyList<(string Role, string Text)> Messages =>
    [
        .. Body["messages"]!.AsArray().Select(m => (
            m!["role"]!.GetValue<string>(),
            m["content"] switch
            {
                JsonValue value => value.GetValue<string>(),
                JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? string.Empty)),
                _ => string.Empty,
            })),
    ];

    /// <summary>Every message's text, joined: what left the machine.</summary>
    public string Text => string.Join("\n", Messages.Select(m => m.Text));
}

/// <summary>How the server answers one request.</summary>
public abstract record FakeReply
{
    /// <summary>A normal completion whose message content is <paramref name="content"/>, with usage (none when both are null).</summary>
    public static FakeReply Content(string content, int? promptTokens = 11, int? completionTokens = 7) =>
        new ContentReply(content, promptTokens, completionTokens);

    /// <summary>A structured-output completion: <paramref name="value"/> serialised as the message content.</summary>
    public static FakeReply Json(object value, int? promptTokens = 11, int? completionTokens = 7) =>
        new ContentReply(JsonSerializer.Serialize(value, JsonSerializerOptions.Web), promptTokens, completionTokens);

    /// <summary>
    /// An SSE stream of <c>chat.completion.chunk</c>s, one per piece, then a chunk with the finish reason, a last chunk
    /// with usage (when given), and <c>[DONE]</c>. When <paramref name="holdAfter"/> is given, the stream sends
    /// <paramref name="holdAfterPieces"/> pieces, flushes, and waits for it before sending the rest.
    /// </summary>
    public static FakeReply Stream(
        IReadOnlyList<string> pieces, int? promptTokens = 11, int? completionTokens = 7, Task? holdAfter = null, int holdAfterPieces = 1) =>
        new StreamReply(pieces, promptTokens, completionTokens, holdAfter, holdAfterPieces);

    /// <summary>An error status with an OpenAI error body, and the retry headers when given.</summary>
    public static FakeReply Status(int status, string? retryAfter = null, string? retryAfterMs = null) =>
        new StatusReply(status, retryAfter, retryAfterMs);

    /// <summary>A reply that never comes: the server holds the request until the client gives up.</summary>
    public static FakeReply Hang() => new HangReply();

    /// <summary>A 200 whose body is not a chat completion (a misconfigured proxy, the wrong endpoint).</summary>
    public static FakeReply Garbage(string body = "<html>gateway</html>") => new GarbageReply(body);

    internal sealed record ContentReply(string Body, int? PromptTokens, int? CompletionTokens) : FakeReply;

    internal sealed record StreamReply(IReadOnlyList<string> Pieces, int? PromptTokens, int? CompletionTokens, Task? HoldAfter, int HoldAfterPieces) : FakeReply;

    internal sealed record StatusReply(int StatusCode, string? RetryAfter, string? RetryAfterMs) : FakeReply;

    internal sealed record HangReply : FakeReply;

    internal sealed record GarbageReply(string Body) : FakeReply;
}

/// <summary>
/// A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions wire protocol — <c>POST /v1/chat/completions</c>
/// for OpenAI and compatible servers, <c>POST /openai/deployments/{deployment}/chat/completions?api-version=…</c> for
/// Azure OpenAI — so tests exercise the real connectors end to end. It records every request and answers from a script:
/// queued replies first, in order, then <see cref="Responder"/>; with neither, a 500 that says nothing was scripted.
/// </summary>
public sealed class FakeChatServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeReply> _script = new();
    private readonly ConcurrentQueue<ChatRequest> _requests = new();
    private readonly CancellationTokenSource _stopping = new();

    private FakeChatServer(WebApplication app) => _app = app;

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c> (the Azure endpoint).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The OpenAI-compatible base URL, <c>…/v1</c>, as <c>GraphRag:Llm:Endpoint</c> takes it.</summary>
    public string OpenAIEndpoint => new Uri(BaseAddress, "v1").ToString();

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<ChatRequest> Requests => [.. _requests];

    /// <summary>Answers requests once the queued replies are spent.</summary>
    public Func<ChatRequest, FakeReply>? Responder { get; set; }

    public static async Task<FakeChatServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeChatServer(app);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        app.MapPost("/openai/deployments/{deployment}/chat/completions", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Answers the next requests with these replies, in order.</summary>
    public void Enqueue(params FakeReply[] replies)
    {
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
        var request = new ChatRequest(
            context.Request.Method,
            context.Request.Path.Value!,
            context.Request.QueryString.Value ?? string.Empty,
            context.Request.Headers.Authorization.FirstOrDefault(),
            context.Request.Headers["api-key"].FirstOrDefault(),
            body);
        _requests.Enqueue(request);
        var reply = _script.TryDequeue(out var scripted) ? scripted
            : Responder?.Invoke(request) ?? FakeReply.Status(500);
        var model = request.Model ?? context.Request.RouteValues["deployment"]?.ToString() ?? "fake";
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        switch (reply)
        {
            case FakeReply.StatusReply status:
                context.Response.StatusCode = status.StatusCode;
                if (status.RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = status.RetryAfter;
                }

                if (status.RetryAfterMs is not null)
                {
                    context.Response.Headers["retry-after-ms"] = status.RetryAfterMs;
                }

                await context.Response.WriteAsJsonAsync(new
                {
                    error = new { message = $"scripted {status.StatusCode}", type = "test", code = status.StatusCode.ToString(CultureInfo.InvariantCulture) },
                });
                break;
            case FakeReply.HangReply:
                try
                {
                    await Task.Delay(Timeout.Infinite, aborted.Token);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up (or the server is stopping): nothing to answer.
                }

                break;
            case FakeReply.ContentReply content:
                context.Response.ContentType = "application/json";
                var completion = new JsonObject
                {
                    ["id"] = "chatcmpl-fake",
                    ["object"] = "chat.completion",
                    ["created"] = 1_700_000_000,
                    ["model"] = model,
                    ["choices"] = new JsonArray(new JsonObject
                    {
                        ["index"] = 0,
                        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content.Body },
                        ["finish_reason"] = "stop",
                        ["logprobs"] = null,
                    }),
                };
                if (Usage(content.PromptTokens, content.CompletionTokens) is { } usage)
                {
                    completion["usage"] = usage;
                }

                await context.Response.WriteAsync(completion.ToJsonString());
                break;
            case FakeReply.GarbageReply garbage:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(garbage.Body);
                break;
            case FakeReply.StreamReply stream:
                await WriteStreamAsync(context, stream, model, aborted.Token);
                break;
        }
    }

    private static async Task WriteStreamAsync(HttpContext context, FakeReply.StreamReply stream, string model, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        async Task SendAsync(JsonObject chunk)
        {
            await context.Response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n", Encoding.UTF8, cancellationToken);
            await context.Response.Body.FlushAsync(cancellationToken);
        }

        JsonObject Chunk(JsonObject? delta, string? finish, JsonObject? usage = null) => new()
        {
            ["id"] = "chatcmpl-fake",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = delta is null
                ? new JsonArray()
                : new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish, ["logprobs"] = null }),
            ["usage"] = usage,
        };

        await SendAsync(Chunk(new JsonObject { ["role"] = "assistant", ["content"] = string.Empty }, null));
        for (var i = 0; i < stream.Pieces.Count; i++)
        {
            if (stream.HoldAfter is not null && i == stream.HoldAfterPieces)
            {
                await stream.HoldAfter.WaitAsync(cancellationToken);
            }

            await SendAsync(Chunk(new JsonObject { ["content"] = stream.Pieces[i] }, null));
        }

        await SendAsync(Chunk(new JsonObject(), "stop"));
        if (Usage(stream.PromptTokens, stream.CompletionTokens) is { } usage)
        {
            await SendAsync(Chunk(null, null, usage));
        }

        await context.Response.WriteAsync("data: [DONE]\n\n", Encoding.UTF8, cancellationToken);
    }

    private static JsonObject? Usage(int? prompt, int? completion) => prompt is null && completion is null
        ? null
        : new JsonObject
        {
            ["prompt_tokens"] = prompt ?? 0,
            ["completion_tokens"] = completion ?? 0,
            ["total_tokens"] = (prompt ?? 0) + (completion ?? 0),
        };
}
