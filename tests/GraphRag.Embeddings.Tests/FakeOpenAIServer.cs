using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GraphRag.Embeddings.Tests;

/// <summary>One request as the server saw it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? Authorization, string? ApiKey, JsonObject Body)
{
    public IReadOnlyList<string> Inputs => [.. Body["input"]!.AsArray().Select(n => n!.GetValue<string>())];
}

/// <summary>
/// A real HTTP server on 127.0.0.1 speaking the OpenAI <c>/v1/embeddings</c> wire protocol (float and base64
/// encodings). Each input "…#N" gets the vector [N, position in its request, 1]; other inputs get [-1, position, 1].
/// Scripted statuses answer the first requests; a gate can hold responses back until released.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _statuses = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeOpenAIServer(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>While true, responses wait until <see cref="Release"/> or the client gives up.</summary>
    public bool Hold { get; set; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Completes when the first request has been read.</summary>
    public Task FirstRequest => _firstRequest.Task;

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeOpenAIServer(app);
        app.MapPost("{**path}", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(address);
        return server;
    }

    /// <summary>The next requests are answered with these statuses (and an OpenAI error body), in order.</summary>
    public void FailWith(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _statuses.Enqueue(status);
        }
    }

    public void Release() => _release.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value!,
            context.Request.QueryString.Value ?? string.Empty,
            context.Request.Headers.Authorization.FirstOrDefault(),
            context.Request.Headers["api-key"].FirstOrDefault(),
            body);
        Requests.Enqueue(request);
        _firstRequest.TrySetResult();

        if (Hold)
        {
            await _release.Task.WaitAsync(context.RequestAborted);
        }

        if (_statuses.TryDequeue(out var status))
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { error = new { message = $"scripted {status}", type = "test", code = status.ToString(CultureInfo.InvariantCulture) } });
            return;
        }

        var base64 = body["encoding_format"]?.GetValue<string>() == "base64";
        var data = new JsonArray();
        var inputs = request.Inputs;
        for (var i = 0; i < inputs.Count; i++)
        {
            var hash = inputs[i].LastIndexOf('#');
            var id = hash >= 0 && int.TryParse(inputs[i].AsSpan(hash + 1), CultureInfo.InvariantCulture, out var n) ? n : -1;
            float[] vector = [id, i, 1];
            JsonNode embedding = base64
                ? JsonValue.Create(Convert.ToBase64String(vector.SelectMany(BitConverter.GetBytes).ToArray()))
                : new JsonArray([.. vector.Select(v => (JsonNode)JsonValue.Create(v))]);
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }

        var response = new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = body["model"]?.GetValue<string>(),
            ["usage"] = new JsonObject { ["prompt_tokens"] = inputs.Count * 3, ["total_tokens"] = inputs.Count * 3 },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response.ToJsonString(JsonSerializerOptions.Default));
    }
}
