using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using GraphRag.Graph;

namespace GraphRag.Bench;

/// <summary>
/// The HTTP load test behind <c>graphrag bench load</c>: N clients post questions to a running <c>graphrag serve</c>
/// for S seconds, and the report gives throughput, errors and latency. It only ever talks to this machine (loopback),
/// and both N and S are bounded, so it cannot be pointed at someone else's server or left running.
/// </summary>
internal static class LoadTest
{
    public const int MaxClients = 256;
    public const int MaxSeconds = 600;
    public const int MaxK = 100;

    public static readonly string[] Modes = ["hybrid", "bm25", "graph", "vector"];

    /// <summary>Used without <c>--questions</c>: a spread of one-hop, two-hop and unanswerable questions.</summary>
    public static readonly string[] BuiltInQuestions =
    [
        "Who founded the company?",
        "Where was the founder of the company born?",
        "Which organization published the journal?",
        "When was the film released?",
        "Who directed the film that won the award?",
        "What is the capital of the country where the company is based?",
        "Who is married to the director of the film?",
        "How many employees does the company have?",
    ];

    /// <summary>
    /// The query endpoint under <paramref name="text"/>, which must be an absolute http(s) URL whose host is
    /// <c>localhost</c> or a loopback address, without user info, query or fragment.
    /// </summary>
    /// <exception cref="InvalidInputException">Anything else, with the reason.</exception>
    public static Uri ParseTarget(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidInputException($"--url '{text}' is not an absolute http:// or https:// URL.");
        }

        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new InvalidInputException($"--url '{text}' must be a plain base URL, without user info, query or fragment.");
        }

        if (!IsLoopbackHost(uri.Host))
        {
            throw new InvalidInputException(
                $"--url '{text}' is refused: bench load only targets this machine (localhost, 127.0.0.0/8 or [::1]), not '{uri.Host}'.");
        }

        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/v1/query");
    }

    /// <summary>True for <c>localhost</c> and loopback address literals (IPv4 127.0.0.0/8, IPv6 ::1).</summary>
    public static bool IsLoopbackHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host = host.TrimStart('[').TrimEnd(']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    /// <exception cref="InvalidInputException">A value is out of its range.</exception>
    public static void CheckBounds(int clients, int seconds, string mode, int k)
    {
        var problems = new List<string>();
        if (clients is < 1 or > MaxClients)
        {
            problems.Add($"--clients must be 1-{MaxClients}");
        }

        if (seconds is < 1 or > MaxSeconds)
        {
            problems.Add($"--seconds must be 1-{MaxSeconds}");
        }

        if (!Modes.Contains(mode, StringComparer.Ordinal))
        {
            problems.Add($"--mode must be one of {string.Join(", ", Modes)}");
        }

        if (k is < 1 or > MaxK)
        {
            problems.Add($"--k must be 1-{MaxK}");
        }

        if (problems.Count > 0)
        {
            throw new InvalidInputException(string.Join("; ", problems) + ".");
        }
    }

    /// <summary>The <c>question</c> of every non-blank line of a JSONL file, in order.</summary>
    /// <exception cref="InvalidInputException">A line is not a JSON object with a non-empty string <c>question</c>, or there is none.</exception>
    public static async Task<IReadOnlyList<string>> ReadQuestionsAsync(string path, CancellationToken cancellationToken = default)
    {
        var questions = new List<string>();
        var number = 0;
        await foreach (var line in File.ReadLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var json = JsonDocument.Parse(line);
                if (json.RootElement.ValueKind != JsonValueKind.Object
                    || !json.RootElement.TryGetProperty("question", out var question)
                    || question.ValueKind != JsonValueKind.String
                    || string.IsNullOrWhiteSpace(question.GetString()))
                {
                    throw new InvalidInputException($"{path} line {number}: expected an object with a non-empty \"question\" string.");
                }

                questions.Add(question.GetString()!);
            }
            catch (JsonException ex)
            {
                throw new InvalidInputException($"{path} line {number}: not JSON ({ex.Message}).", ex);
            }
        }

        return questions.Count > 0 ? questions : throw new InvalidInputException($"{path} holds no questions.");
    }

    /// <summary>Nearest-rank percentile (as <c>graphrag eval</c> reports) of values already sorted ascending; 0 for none.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(q * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    /// <summary>
    /// Runs the load: every client posts in a loop until the duration is up; a request in flight at the deadline is
    /// allowed to finish (within its own timeout) and counts. Requests/s is completed requests over the wall time.
    /// </summary>
    public static async Task<LoadReport> RunAsync(LoadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The URL was checked, but a name can still resolve anywhere; connect only to loopback addresses, never
        // through a proxy, never following redirects.
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Clients,
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ConnectCallback = ConnectToLoopbackAsync,
        };
        using var http = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        // Bodies are built once; the clients only pick one.
        var bodies = options.Questions
            .Select(q => JsonSerializer.SerializeToUtf8Bytes(new QueryBody(q, options.Mode, options.K), JsonSerializerOptions.Web))
            .ToArray();
        var next = -1L;
        var results = Enumerable.Range(0, options.Clients).Select(_ => new ClientResult()).ToArray();
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(results.Select(result => Task.Run(
            async () =>
            {
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var body = bodies[(int)(Interlocked.Increment(ref next) % bodies.Length)];
                    await SendOneAsync(http, options, body, result, cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken))).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var latencies = results.SelectMany(r => r.Latencies).Order().ToArray();
        var errors = results.SelectMany(r => r.Errors)
            .GroupBy(e => e.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(e => e.Value), StringComparer.Ordinal);
        var succeeded = results.Sum(r => r.Succeeded);
        var errorCount = errors.Values.Sum();
        var total = succeeded + errorCount;
        return new LoadReport(
            options.Endpoint.ToString(),
            options.Clients,
            Math.Round(elapsed.TotalSeconds, 3),
            total,
            succeeded,
            errorCount,
            errors,
            Math.Round(total / Math.Max(elapsed.TotalSeconds, 1e-9), 1),
            new LatencySummary(
                Math.Round(Percentile(latencies, 0.50), 2),
                Math.Round(Percentile(latencies, 0.95), 2),
                Math.Round(Percentile(latencies, 0.99), 2),
                Math.Round(latencies.Length > 0 ? latencies[^1] : 0, 2),
                latencies.Length));
    }

    private static async Task SendOneAsync(HttpClient http, LoadOptions options, byte[] body, ClientResult result, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (!string.IsNullOrEmpty(options.Key))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Key);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        var start = Stopwatch.GetTimestamp();
        try
        {
            // ResponseContentRead: the latency includes reading the whole answer.
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            result.Latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (response.IsSuccessStatusCode)
            {
                result.Succeeded++;
            }
            else
            {
                result.Fail(string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}"));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result.Fail("timeout");
        }
        catch (HttpRequestException ex)
        {
            result.Fail(ex.HttpRequestError == HttpRequestError.Unknown ? nameof(HttpRequestException) : $"{nameof(HttpRequestException)} ({ex.HttpRequestError})");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result.Fail(ex.GetType().Name);
        }
    }

    private static async ValueTask<Stream> ConnectToLoopbackAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.TrimStart('[').TrimEnd(']');
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var loopback = addresses.Where(IPAddress.IsLoopback).ToArray();
        if (loopback.Length == 0)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"'{host}' does not resolve to a loopback address; bench load will not connect to it.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(loopback, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed record QueryBody(string Question, string Mode, int K);

    /// <summary>One client's tallies; only its own task writes them, so no locking.</summary>
    private sealed class ClientResult
    {
        public List<double> Latencies { get; } = [];

        public Dictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

        public long Succeeded { get; set; }

        public void Fail(string kind) => Errors[kind] = Errors.GetValueOrDefault(kind) + 1;
    }
}

/// <summary>What <c>bench load</c> sends, to whom and for how long. Bounds are checked by <see cref="LoadCommand.CheckBounds"/>.</summary>
public sealed record LoadOptions(Uri Endpoint, string? Key, int Clients, TimeSpan Duration, IReadOnlyList<string> Questions, string Mode, int K)
{
    /// <summary>A request still unanswered after this long counts as a <c>timeout</c> error.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <param name="Url">The query endpoint.</param>
/// <param name="Seconds">Wall time from the first request to the last answer.</param>
/// <param name="Requests">Requests that got an answer or failed: <paramref name="Succeeded"/> + <paramref name="Errors"/>.</param>
/// <param name="ErrorsByKind">Errors by kind: <c>HTTP 401</c>, <c>timeout</c>, or an exception type.</param>
/// <param name="LatencyMs">Over every request that got an HTTP response, errors included.</param>
public sealed record LoadReport(
    string Url,
    int Clients,
    double Seconds,
    long Requests,
    long Succeeded,
    long Errors,
    IReadOnlyDictionary<string, long> ErrorsByKind,
    double RequestsPerSecond,
    LatencySummary LatencyMs);

public sealed record LatencySummary(double P50, double P95, double P99, double Max, int Count);
