using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GraphRag.Neo4j.Tests;

/// <summary>
/// A local HTTP endpoint that answers as a Neo4j server's HTTP API does (discovery documents, the transactional
/// endpoint's JSON), with each answer chosen by the test: the wire format the store parses, without a server.
/// </summary>
public sealed class WireServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<WireRequest, WireResponse> _answer;
    private readonly Task _loop;

    public WireServer(Func<WireRequest, WireResponse> answer)
    {
        _answer = answer;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<WireRequest> Requests { get; } = new();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var request = new WireRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], await reader.ReadToEndAsync())
            {
                Affinity = context.Request.Headers["neo4j-cluster-affinity"],
            };
            Requests.Enqueue(request);
            var response = _answer(request);
            if (response.Hold is { } hold)
            {
                await hold;
            }

            try
            {
                context.Response.StatusCode = response.Status;
                context.Response.ContentType = "application/json";
                if (response.Affinity is { } affinity)
                {
                    context.Response.Headers["neo4j-cluster-affinity"] = affinity;
                }

                if (response.Location is { } location)
                {
                    context.Response.Headers["Location"] = location.Replace("{base}", Url, StringComparison.Ordinal);
                }

                var bytes = Encoding.UTF8.GetBytes(response.Body.Replace("{base}", Url, StringComparison.Ordinal));
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                // The client gave up (a timeout test).
            }
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.ConfigureAwait(false);
    }

    /// <summary>The discovery document of a 3.x server (<c>GET /</c>).</summary>
    public const string V3Root = """{"management":"http://localhost:7474/db/manage/","data":"http://localhost:7474/db/data/","bolt":"bolt://localhost:7687"}""";

    /// <summary>The data document of a 3.x server (<c>GET /db/data/</c>), with the advertised host (not ours).</summary>
    public const string V3Data = """{"transaction":"http://localhost:7474/db/data/transaction","neo4j_version":"3.1.1"}""";

    /// <summary>The discovery document of a 5.x server.</summary>
    public const string V5Root = """
        {"bolt_routing":"neo4j://localhost:7687","query":"http://localhost:7474/db/{databaseName}/query/v2",
         "transaction":"http://localhost:7474/db/{databaseName}/tx","bolt_direct":"bolt://localhost:7687",
         "neo4j_version":"5.26.0","neo4j_edition":"community"}
        """;

    /// <summary>The discovery document of a server that offers only the Query API (as Aura does).</summary>
    public const string QueryOnlyRoot = """{"bolt_routing":"neo4j://localhost:7687","query":"http://localhost:7474/db/{databaseName}/query/v2","neo4j_version":"5.27-aura","neo4j_edition":"enterprise"}""";

    /// <summary>A Query API answer with these fields and rows (values as JSON).</summary>
    public static string QueryData(string fields, string values, string? transaction = null) =>
        $$"""{"data":{"fields":{{fields}},"values":{{values}}},"bookmarks":["FB:x"]{{(transaction is null ? "" : $$""","transaction":{"id":"{{transaction}}","expires":"2026-12-07T13:00:00Z"}""")}}}""";

    /// <summary>A transactional endpoint's answer to <c>CALL dbms.components()</c>.</summary>
    public static string Components(string version) =>
        $$"""{"results":[{"columns":["name","versions","edition"],"data":[{"row":["Neo4j Kernel",["{{version}}"],"community"],"meta":[null,null,null]}]}],"errors":[]}""";

    /// <summary>A transactional endpoint's answer with one error.</summary>
    public static string Error(string code, string message) =>
        $$"""{"results":[],"errors":[{"code":"{{code}}","message":"{{message}}"}]}""";

    /// <summary>One result with a single value.</summary>
    public static string Single(long value) =>
        $$"""{"results":[{"columns":["n"],"data":[{"row":[{{value}}],"meta":[null]}]}],"errors":[]}""";
}

public sealed record WireRequest(string Method, string Path, string? Authorization, string Body)
{
    public string? Affinity { get; init; }
}

public sealed record WireResponse(int Status, string Body, string? Location = null, Task? Hold = null)
{
    public string? Affinity { get; init; }

    public static WireResponse Ok(string body) => new(200, body);
}
