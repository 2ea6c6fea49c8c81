using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GraphRag.Hosting;
using GraphRag.Api.Http;
using GraphRag.Api.Security;

namespace GraphRag.Api.Tests.Http;

/// <summary>
/// A real <c>graphrag serve</c> on a free loopback port over a temporary store, with keys for two tenants, a
/// personal-data reader and an administrator. Tests talk to it over HTTP only.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly List<HttpClient> _clients = [];

    private ApiServer(string root, Engine engine, GraphRagServer server, ApiKeyService keys)
    {
        Root = root;
        Engine = engine;
        Server = server;
        Keys = keys;
    }

    public string Root { get; }

    public Engine Engine { get; }

    public GraphRagServer Server { get; }

    public ApiKeyService Keys { get; }

    /// <summary>A folder server-side ingest jobs may read from.</summary>
    public string IngestRoot => Path.Combine(Root, "inbox");

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="embeddings">
    /// Embed chunks with the bundled local model and query with the dense channel, as the product does by default.
    /// Off for suites whose behaviour does not involve vectors, so their bulk uploads do not wait for the model; the
    /// security suites (non-interference, leakage) and the vector tests turn it on.
    /// </param>
    public static async Task<ApiServer> StartAsync(Action<GraphRagSettings>? configure = null, bool embeddings = false)
    {
        var root = Directory.CreateTempSubdirectory("graphrag-http-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "inbox"));
        var settings = new GraphRagSettings();
        settings.Store.Path = Path.Combine(root, "api.db");
        settings.Api.Urls = "http://127.0.0.1:0";
        settings.Api.IngestRoots.Add(Path.Combine(root, "inbox"));
        settings.Api.RequestsPerSecond = 10_000;
        settings.Api.Burst = 10_000;
        settings.Embeddings.Enabled = embeddings;
        configure?.Invoke(settings);
        settings.Validate();
        var engine = await Engine.OpenAsync(settings);
        try
        {
            var server = await GraphRagServer.StartAsync(ServerParts.For(engine));
            return new ApiServer(root, engine, server, new ApiKeyService(engine.SqliteStore()));
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client sending this key (none when null).</summary>
    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = Server.Address, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        _clients.Add(client);
        return client;
    }

    public async Task<HttpClient> ClientForAsync(string principal, string[] groups, params string[] grants)
    {
        var created = await Keys.CreateAsync(principal, groups, grants);
        return Client(created.Key);
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> UploadTextAsync(HttpClient client, string name, string text, string[]? acl = null, string? pii = null) =>
        client.PostAsJsonAsync("/v1/documents", new { name, text, acl, pii }, Json);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync();
        await Engine.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on a slow shutdown; the temp folder is cleaned by the OS.
        }
    }
}
