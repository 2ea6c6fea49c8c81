using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GraphRag.Api.Tests.Live;

/// <summary>
/// A fact that needs a local Neo4j server installation (<c>GRAPHRAG_TEST_NEO4J_HOME</c>, set by <c>.ci/run</c> through
/// <c>.ci/neo4j</c>); skipped, saying so, when none is configured.
/// </summary>
public sealed class LiveNeo4jFactAttribute : FactAttribute
{
    public LiveNeo4jFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(LiveNeo4j.Home))
        {
            Skip = "Live Neo4j test skipped: GRAPHRAG_TEST_NEO4J_HOME is not set (run `.ci/neo4j install` and set it to the server folder it prints).";
        }
    }
}

/// <summary>
/// A Neo4j 3.x server instance of its own over the installation in <see cref="Home"/>: its own conf, data, logs and run
/// folders (the installation is never written) and free loopback ports, so it never meets the shared CI server. Loads
/// an export with the installation's own <c>neo4j-admin import</c>, starts, answers Cypher, and stops when disposed.
/// </summary>
internal sealed class LiveNeo4j : IAsyncDisposable
{
    // Java 17 runs the 3.x (Java 8) server and its tools only when these packages are opened.
    private static readonly string[] Opens =
        ["java.lang", "java.util", "java.nio", "java.lang.reflect", "java.io", "sun.nio.ch", "java.util.concurrent", "java.net"];

    private readonly string _instance;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private bool _started;

    private LiveNeo4j(string instance, int httpPort)
    {
        _instance = instance;
        Url = new Uri($"http://127.0.0.1:{httpPort}");
    }

    public static string? Home => Environment.GetEnvironmentVariable("GRAPHRAG_TEST_NEO4J_HOME");

    public Uri Url { get; }

    private string Conf => Path.Combine(_instance, "conf");

    /// <summary>An instance in <paramref name="folder"/> whose database (graphrag.db) is imported from an export's CSV files.</summary>
    public static async Task<LiveNeo4j> ImportAsync(string folder, string exportDirectory, char arrayDelimiter, CancellationToken cancellationToken)
    {
        var home = Home ?? throw new InvalidOperationException("GRAPHRAG_TEST_NEO4J_HOME is not set.");
        var server = new LiveNeo4j(folder, FreePort());
        server.WriteConf(home, server.Url.Port, FreePort());
        string[] nodes = ["documents", "chunks", "entities"];
        string[] relationships = ["has_chunk", "mentions", "describes", "relates"];
        var args = new List<string> { "import", "--mode=csv", "--database=graphrag.db" };
        args.AddRange(nodes.Select(n => $"--nodes={Path.Combine(exportDirectory, n + ".csv")}"));
        args.AddRange(relationships.Select(r => $"--relationships={Path.Combine(exportDirectory, r + ".csv")}"));
        args.AddRange(["--multiline-fields=true", $"--array-delimiter={arrayDelimiter}", "--id-type=STRING"]);
        var (exit, output) = await server.RunAsync(Path.Combine(home, "bin", "neo4j-admin"), args, cancellationToken);
        if (exit != 0 || !output.Contains("IMPORT DONE", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"neo4j-admin import failed ({exit}):\n{output}");
        }

        return server;
    }

    /// <summary>Starts the server and waits (up to two minutes) until the transactional endpoint answers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var home = Home!;
        var (exit, output) = await RunAsync(Path.Combine(home, "bin", "neo4j"), ["start"], cancellationToken);
        if (exit != 0)
        {
            throw new InvalidOperationException($"neo4j start failed ({exit}):\n{output}");
        }

        _started = true;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        while (true)
        {
            try
            {
                await QueryAsync("CALL dbms.components()", new Dictionary<string, object>(), timeout.Token);
                return;
            }
            catch (HttpRequestException) when (!timeout.IsCancellationRequested)
            {
                // Not listening yet. The start script returns once the JVM runs; the database opens after it.
                await Task.Delay(500, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var log = Path.Combine(_instance, "logs", "neo4j.log");
                throw new TimeoutException($"Neo4j at {Url} did not answer within 120 s. Log:\n{(File.Exists(log) ? await File.ReadAllTextAsync(log, CancellationToken.None) : "(none)")}");
            }
        }
    }

    /// <summary>Runs one parameterised statement; the rows, each a JSON array of the returned columns.</summary>
    public async Task<IReadOnlyList<JsonArray>> QueryAsync(string statement, IReadOnlyDictionary<string, object> parameters, CancellationToken cancellationToken)
    {
        var body = new { statements = new[] { new { statement, parameters } } };
        using var response = await _http.PostAsJsonAsync(new Uri(Url, "/db/data/transaction/commit"), body, cancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var json = (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!;
        var errors = json["errors"]!.AsArray();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"Cypher failed: {errors[0]!["code"]}: {errors[0]!["message"]}\n{statement}");
        }

        return [.. json["results"]![0]!["data"]!.AsArray().Select(d => d!["row"]!.AsArray())];
    }

    public async Task<long> CountAsync(string statement, CancellationToken cancellationToken) =>
        (await QueryAsync(statement, new Dictionary<string, object>(), cancellationToken))[0][0]!.GetValue<long>();

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            // The start script's stop reads this instance's pid file: only the server this test started is stopped.
            await RunAsync(Path.Combine(Home!, "bin", "neo4j"), ["stop"], CancellationToken.None);
        }

        _http.Dispose();
    }

    private void WriteConf(string home, int httpPort, int boltPort)
    {
        foreach (var dir in new[] { "conf", "data", "logs", "run", "import", "certificates" })
        {
            Directory.CreateDirectory(Path.Combine(_instance, dir));
        }

        // Keys set here are dropped from the installation's file: the start script concatenates repeated keys.
        string[] overridden = ["dbms.security.auth_enabled", "dbms.connector.", "dbms.directories.", "dbms.memory.", "dbms.active_database"];
        var lines = File.ReadAllLines(Path.Combine(home, "conf", "neo4j.conf"))
            .Where(l => !overridden.Any(o => l.TrimStart().StartsWith(o, StringComparison.Ordinal)))
            .ToList();
        lines.AddRange(
        [
            "dbms.security.auth_enabled=false",
            "dbms.active_database=graphrag.db",
            $"dbms.directories.data={Path.Combine(_instance, "data")}",
            $"dbms.directories.logs={Path.Combine(_instance, "logs")}",
            $"dbms.directories.run={Path.Combine(_instance, "run")}",
            $"dbms.directories.import={Path.Combine(_instance, "import")}",
            $"dbms.directories.certificates={Path.Combine(_instance, "certificates")}",
            "dbms.connector.http.enabled=true",
            $"dbms.connector.http.listen_address=127.0.0.1:{httpPort}",
            "dbms.connector.bolt.enabled=true",
            $"dbms.connector.bolt.listen_address=127.0.0.1:{boltPort}",
            "dbms.connector.https.enabled=false",
            "dbms.memory.heap.initial_size=256m",
            "dbms.memory.heap.max_size=512m",
            "dbms.memory.pagecache.size=128m",
        ]);
        lines.AddRange(Opens.Select(p => $"dbms.jvm.additional=--add-opens=java.base/{p}=ALL-UNNAMED"));
        File.WriteAllLines(Path.Combine(Conf, "neo4j.conf"), lines);
    }

    private async Task<(int Exit, string Output)> RunAsync(string script, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        // Through bash: the npm tarball does not keep every script's execute bit.
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _instance };
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NEO4J_CONF"] = Conf;
        if (script.EndsWith("neo4j-admin", StringComparison.Ordinal))
        {
            // neo4j-admin reads no dbms.jvm.additional; the launcher takes the same flags from the environment.
            start.Environment["JDK_JAVA_OPTIONS"] = string.Join(' ', Opens.Select(p => $"--add-opens=java.base/{p}=ALL-UNNAMED")) + " -Xmx512m";
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
