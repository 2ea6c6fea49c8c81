using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GraphRag.Graph;
using Microsoft.Extensions.Logging;

namespace GraphRag.Neo4j;

/// <summary>One Cypher statement and its parameters (every value a parameter: no Cypher is built from data).</summary>
public sealed record Statement(string Text, IReadOnlyDictionary<string, object?> Parameters);

/// <summary>The rows one statement returned, each row its columns in order.</summary>
public sealed record StatementResult(IReadOnlyList<string> Columns, IReadOnlyList<JsonElement[]> Rows);

/// <summary>
/// Neo4j's transactional HTTP endpoint (<c>/db/data/transaction</c> on 3.x, <c>/db/{db}/tx</c> on 4.x and later, as the
/// discovery document names it) over one <see cref="HttpClient"/>: basic or bearer authentication, a timeout per request,
/// transient failures retried with backoff, and every failure mapped to a <see cref="StoreException"/> that says whether
/// retrying may help. Thread-safe.
/// </summary>
public sealed partial class Neo4jHttp : IDisposable
{
    /// <summary>Spans for the store's transactions and requests.</summary>
    public static readonly ActivitySource Activity = new("GraphRag.Neo4j");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);
    private readonly HttpClient _http;
    private readonly Neo4jStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private Uri _transactions = null!;

    /// <summary>The Query API's address (<c>/db/{db}/query/v2</c>) when it is the API in use; null otherwise.</summary>
    internal Uri? QueryApi { get; private set; }

    /// <summary>The cluster member an explicit Query API transaction runs on (Aura), echoed with every request of it.</summary>
    internal const string AffinityHeader = "neo4j-cluster-affinity";

    private Neo4jHttp(HttpClient http, Neo4jStoreOptions options, TimeProvider time, ILogger? logger)
    {
        _http = http;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The server's version as <c>dbms.components()</c> reports it, e.g. <c>3.1.1</c>.</summary>
    public string Version { get; private set; } = "";

    /// <summary>The server's major version.</summary>
    public int Major { get; private set; }

    /// <summary>community or enterprise.</summary>
    public string Edition { get; private set; } = "";

    /// <summary>
    /// Reads the discovery document, finds the transactional endpoint and checks the server's version. Every failure is
    /// a <see cref="StoreException"/> whose message names the problem in one line: unreachable, authentication failed,
    /// not a Neo4j server, unsupported version.
    /// </summary>
    public static async Task<Neo4jHttp> ConnectAsync(
        Neo4jStoreOptions options,
        HttpMessageHandler? handler = null,
        TimeProvider? time = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(options.Url.TrimEnd('/') + "/", UriKind.Absolute, out var root) || (root.Scheme != "http" && root.Scheme != "https"))
        {
            throw new StoreException($"Neo4j: '{options.Url}' is not an http:// or https:// address.");
        }

        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = root;
        http.Timeout = Timeout.InfiniteTimeSpan; // per request, below, so a timeout is told apart from a cancellation
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(options.Token))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        }
        else if (!string.IsNullOrEmpty(options.User))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.User + ":" + (options.Password ?? ""))));
        }

        var connection = new Neo4jHttp(http, options, time ?? TimeProvider.System, logger);
        try
        {
            await connection.DiscoverAsync(root, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task DiscoverAsync(Uri root, CancellationToken cancellationToken)
    {
        var discovery = await RetryAsync(() => GetJsonAsync(root, cancellationToken), cancellationToken).ConfigureAwait(false);
        string? transaction = null;
        var database = Uri.EscapeDataString(_options.Database);
        var queryApi = discovery.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String
            ? q.GetString()!.Replace("{databaseName}", database, StringComparison.Ordinal)
            : null;
        if (_options.Api == Neo4jApi.Query || (_options.Api == Neo4jApi.Auto && queryApi is not null && !discovery.TryGetProperty("transaction", out _)))
        {
            QueryApi = Rebase(root, (queryApi ?? $"/db/{database}/query/v2").TrimEnd('/'));
            _transactions = QueryApi;
        }
        else if (discovery.TryGetProperty("transaction", out var tx) && tx.ValueKind == JsonValueKind.String)
        {
            // 4.x and later: "http://host:7474/db/{databaseName}/tx".
            transaction = tx.GetString()!.Replace("{databaseName}", Uri.EscapeDataString(_options.Database), StringComparison.Ordinal);
        }
        else if (discovery.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.String)
        {
            // 3.x: the data document names the endpoint.
            var service = await RetryAsync(() => GetJsonAsync(Rebase(root, data.GetString()!), cancellationToken), cancellationToken).ConfigureAwait(false);
            if (service.TryGetProperty("transaction", out var legacy) && legacy.ValueKind == JsonValueKind.String)
            {
                transaction = legacy.GetString();
            }
        }

        if (QueryApi is null)
        {
            if (transaction is null)
            {
                throw new StoreException($"Neo4j: {_options.Describe()} answered, but not as a Neo4j server (no transactional endpoint in its discovery document).");
            }

            _transactions = Rebase(root, transaction.TrimEnd('/'));
        }

        var components = await RunAsync([new Statement("CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition", Empty)], cancellationToken)
            .ConfigureAwait(false);
        var row = components[0].Rows.FirstOrDefault(r => r[0].GetString() == "Neo4j Kernel") ?? components[0].Rows.FirstOrDefault();
        Version = row?[1].EnumerateArray().FirstOrDefault().GetString() ?? "";
        Edition = row?[2].GetString() ?? "";
        Major = int.TryParse(Version.Split('.')[0], out var major) ? major : 0;
        var minor = Version.Split('.') is { Length: > 1 } parts && int.TryParse(parts[1], out var m) ? m : 0;
        if (Major < 3 || (Major == 3 && minor < 1))
        {
            throw new StoreException($"Neo4j: {_options.Describe()} runs version '{Version}'; GraphRag needs 3.1 or later.");
        }

        if (_logger is not null)
        {
            LogConnected(_logger, Version, Edition, _options.Describe(), QueryApi is null ? "transactional endpoint" : "Query API");
        }
    }

    /// <summary>The discovery document's addresses carry the server's advertised host; keep the configured one.</summary>
    private static Uri Rebase(Uri root, string advertised) =>
        Uri.TryCreate(advertised, UriKind.Absolute, out var absolute) ? new Uri(root, absolute.PathAndQuery) : new Uri(root, advertised);

    internal static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>();

    /// <summary>Runs statements in one transaction of their own (committed at once), retrying transient failures.</summary>
    public Task<IReadOnlyList<StatementResult>> RunAsync(IReadOnlyList<Statement> statements, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statements);
        using var span = Activity.StartActivity("neo4j.run");
        span?.SetTag("neo4j.statements", statements.Count);
        if (QueryApi is { } query)
        {
            // One statement per request: several that must see one state run in an explicit transaction.
            return statements.Count == 1
                ? RetryAsync(async () => (IReadOnlyList<StatementResult>)[await PostQueryAsync(query, statements[0], null, cancellationToken).ConfigureAwait(false)], cancellationToken)
                : InTransactionAsync(tx => tx.RunAsync(statements, cancellationToken), cancellationToken);
        }

        return RetryAsync(() => PostAsync(new Uri(_transactions + "/commit"), statements, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one explicit transaction, committed when it returns and rolled back when it throws.
    /// A transient failure anywhere rolls it back and runs the whole of <paramref name="work"/> again (with backoff),
    /// so it must not have effects outside the transaction.
    /// </summary>
    public Task<T> InTransactionAsync<T>(Func<Neo4jTransaction, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RetryAsync(
            async () =>
            {
                using var span = Activity.StartActivity("neo4j.transaction");
                var transaction = new Neo4jTransaction(this, _transactions);
                try
                {
                    var result = await work(transaction).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return result;
                }
                catch
                {
                    await transaction.RollbackAsync().ConfigureAwait(false);
                    throw;
                }
            },
            cancellationToken);
    }

    private async Task<T> RetryAsync<T>(Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var tries = 0; ; tries++)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (StoreException ex) when (ex.IsTransient && tries < _options.MaxRetries)
            {
                var delay = _options.RetryDelayMilliseconds * Math.Pow(2, tries) * (0.75 + (Random.Shared.NextDouble() / 2));
                if (_logger is not null)
                {
                    LogRetrying(_logger, ex, tries + 1, _options.MaxRetries, (long)delay);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(delay), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<JsonElement> GetJsonAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        var (_, body) = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return body;
    }

    /// <summary>POSTs statements and returns their results; the response's errors become a <see cref="StoreException"/>.</summary>
    internal async Task<IReadOnlyList<StatementResult>> PostAsync(Uri uri, IReadOnlyList<Statement> statements, CancellationToken cancellationToken)
    {
        var (_, results, _) = await PostForLocationAsync(uri, statements, cancellationToken).ConfigureAwait(false);
        return results;
    }

    internal async Task<(Uri? Location, IReadOnlyList<StatementResult> Results, string? Commit)> PostForLocationAsync(
        Uri uri, IReadOnlyList<Statement> statements, CancellationToken cancellationToken)
    {
        var payload = new
        {
            statements = statements.Select(s => new { statement = s.Text, parameters = s.Parameters, resultDataContents = new[] { "row" } }),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent(JsonSerializer.Serialize(payload, Json), Encoding.UTF8, "application/json"),
        };
        var (headers, body) = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        ThrowOnErrors(body);
        var results = new List<StatementResult>();
        if (body.TryGetProperty("results", out var list))
        {
            foreach (var result in list.EnumerateArray())
            {
                var columns = result.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
                var rows = result.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("row").EnumerateArray().ToArray()).ToList();
                results.Add(new StatementResult(columns, rows));
            }
        }

        var commit = body.TryGetProperty("commit", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        return (headers.Location, results, commit);
    }

    /// <summary>
    /// POSTs one statement to the Query API (or an empty body, to commit) and returns its result, the transaction id
    /// when one was opened, and the cluster affinity to echo.
    /// </summary>
    internal async Task<StatementResult> PostQueryAsync(Uri uri, Statement? statement, string? affinity, CancellationToken cancellationToken) =>
        (await PostQueryForTransactionAsync(uri, statement, affinity, cancellationToken).ConfigureAwait(false)).Result;

    internal async Task<(StatementResult Result, string? Transaction, string? Affinity)> PostQueryForTransactionAsync(
        Uri uri, Statement? statement, string? affinity, CancellationToken cancellationToken)
    {
        var payload = statement is null ? "{}" : JsonSerializer.Serialize(new { statement = statement.Text, parameters = statement.Parameters }, Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        if (affinity is not null)
        {
            request.Headers.TryAddWithoutValidation(AffinityHeader, affinity);
        }

        var (headers, body) = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        ThrowOnErrors(body);
        var columns = new List<string>();
        var rows = new List<JsonElement[]>();
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
        {
            columns.AddRange(data.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!));
            rows.AddRange(data.GetProperty("values").EnumerateArray().Select(v => v.EnumerateArray().ToArray()));
        }

        var transaction = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("transaction", out var t) && t.TryGetProperty("id", out var id)
            ? id.ToString()
            : null;
        var echoed = headers.Affinity ?? affinity;
        return (new StatementResult(columns, rows), transaction, echoed);
    }

    internal async Task DeleteAsync(Uri uri, string? affinity = null)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, uri);
            if (affinity is not null)
            {
                request.Headers.TryAddWithoutValidation(AffinityHeader, affinity);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.TimeoutSeconds));
            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // A transaction that cannot be rolled back explicitly is rolled back by the server when it times out.
        }
    }

    /// <summary>Sends a request with the configured timeout; HTTP and network failures become store exceptions.</summary>
    private async Task<(ResponseHeaders Headers, JsonElement Body)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        HttpResponseMessage response;
        string text;
        try
        {
            response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StoreException($"Neo4j: {_options.Describe()} did not answer within {_options.TimeoutSeconds} s.", ex) { IsTransient = true };
        }
        catch (HttpRequestException ex)
        {
            throw new StoreException($"Neo4j: {_options.Describe()} is unreachable ({ex.Message}).", ex) { IsTransient = true };
        }

        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.Unauthorized:
                    throw new StoreException($"Neo4j: authentication failed at {_options.Describe()} (check GraphRag:Store:Neo4j:User, Password or Token).");
                case HttpStatusCode.Forbidden:
                    throw new StoreException($"Neo4j: {_options.Describe()} refused the request (forbidden): the user lacks a permission.");
                case HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout or HttpStatusCode.TooManyRequests:
                    throw new StoreException($"Neo4j: {_options.Describe()} is unavailable (HTTP {(int)response.StatusCode}).") { IsTransient = true };
            }

            JsonElement body;
            try
            {
                body = string.IsNullOrWhiteSpace(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new StoreException($"Neo4j: {_options.Describe()} answered HTTP {(int)response.StatusCode} with a body that is not JSON.", ex)
                {
                    IsTransient = (int)response.StatusCode >= 500,
                };
            }

            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("errors", out _))
            {
                ThrowOnErrors(body);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new StoreException($"Neo4j: {_options.Describe()} answered HTTP {(int)response.StatusCode} to {request.Method} {request.RequestUri?.AbsolutePath}.")
                {
                    IsTransient = (int)response.StatusCode >= 500,
                };
            }

            var affinity = response.Headers.TryGetValues(AffinityHeader, out var values) ? values.FirstOrDefault() : null;
            return (new ResponseHeaders(response.Headers.Location, affinity), body);
        }
    }

    /// <summary>The first of the response's errors as an exception: Neo.TransientError.* may succeed when retried.</summary>
    private void ThrowOnErrors(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("errors", out var errors) || errors.GetArrayLength() == 0)
        {
            return;
        }

        var first = errors[0];
        var code = first.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "";
        var message = first.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
        throw Map(code, message, _options.Describe());
    }

    /// <summary>Neo4j's status codes (Neo.Classification.Category.Title) mapped to the project's exceptions.</summary>
    internal static StoreException Map(string code, string message, string where)
    {
        if (code.StartsWith("Neo.ClientError.Security.", StringComparison.Ordinal))
        {
            return new StoreException($"Neo4j: authentication failed at {where} ({code}).");
        }

        // The server rolls back the transaction on any error; transient ones (deadlocks, leader switches, a lock timeout)
        // succeed when the whole transaction runs again. An expired transaction is gone for good, but a new one may succeed.
        var transient = code.StartsWith("Neo.TransientError.", StringComparison.Ordinal)
            || code == "Neo.ClientError.Transaction.TransactionNotFound";
        return new StoreException($"Neo4j error {code}: {message}") { IsTransient = transient };
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Neo4j {Version} ({Edition}) at {Location}, through the {Api}")]
    private static partial void LogConnected(ILogger logger, string version, string edition, string location, string api);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Neo4j failed transiently; retry {Attempt} of {MaxRetries} in {Milliseconds} ms")]
    private static partial void LogRetrying(ILogger logger, Exception exception, int attempt, int maxRetries, long milliseconds);
}

/// <summary>What the store reads from a response's headers: a new transaction's address and the cluster affinity.</summary>
internal sealed record ResponseHeaders(Uri? Location, string? Affinity);
