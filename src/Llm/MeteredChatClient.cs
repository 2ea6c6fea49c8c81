using System.ClientModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using GraphRag.Graph.Model;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace GraphRag.Llm;

/// <summary>
/// The one place every model call goes through. It fills in the role's defaults (temperature, output limit), reserves
/// the call's worst case — prompt tokens counted with the model's tokenizer plus the output limit — against the run's
/// budget and every <see cref="LlmUsageScope"/> in force (refusing the call with <see cref="LlmBudgetExceededException"/>
/// before anything is sent when one would be passed), then charges what the call actually used: the server's usage
/// (<see cref="ChatResponse.Usage"/>, or the <see cref="UsageContent"/> of a stream), or tokens counted here when the
/// server reports none. Provider failures become <see cref="LlmException"/>s that say what failed, transient or not.
/// </summary>
public sealed partial class MeteredChatClient : DelegatingChatClient
{
    private readonly LlmRoleSettings _role;
    private readonly TokenCounter _tokens;
    private readonly PriceTable _prices;
    private readonly LlmUsageMeter _run;
    private readonly double _timeoutSeconds;
    private readonly ILogger _logger;

    public MeteredChatClient(
        IChatClient inner, LlmRoleSettings role, TokenCounter tokens, PriceTable prices, LlmUsageMeter run, double timeoutSeconds, ILogger? logger = null)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(run);
        _role = role;
        _tokens = tokens;
        _prices = prices;
        _run = run;
        _timeoutSeconds = timeoutSeconds;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    public static readonly ActivitySource Activity = new("GraphRag.Llm");

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        options = WithDefaults(options);
        var input = _tokens.Count(prompt);
        var reserved = input + options.MaxOutputTokens!.Value;
        var meters = Reserve(reserved);
        using var activity = Start("chat", input);
        var clock = Stopwatch.StartNew();
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(prompt, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Map(ex, cancellationToken) is { } mapped)
        {
            Settle(meters, reserved, _prices.Usage(_role.Model, 1, 0, 0));
            LogFailed(_logger, _role.Role, _role.Describe(), mapped.Message);
            throw mapped;
        }
        catch
        {
            Settle(meters, reserved, _prices.Usage(_role.Model, 1, 0, 0));
            throw;
        }

        var usage = UsageOf(response.Usage, input, response.Text);
        Settle(meters, reserved, usage);
        Finish(activity, usage, clock);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        options = WithDefaults(options);
        var input = _tokens.Count(prompt);
        var reserved = input + options.MaxOutputTokens!.Value;
        var meters = Reserve(reserved);
        using var activity = Start("chat stream", input);
        var clock = Stopwatch.StartNew();
        var text = new StringBuilder();
        UsageDetails? reported = null;
        var updates = base.GetStreamingResponseAsync(prompt, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = updates.Current;
                }
                catch (Exception ex) when (Map(ex, cancellationToken) is { } mapped)
                {
                    LogFailed(_logger, _role.Role, _role.Describe(), mapped.Message);
                    throw mapped;
                }

                foreach (var usage in update.Contents.OfType<UsageContent>())
                {
                    reported ??= new UsageDetails();
                    reported.Add(usage.Details);
                }

                text.Append(update.Text);
                yield return update;
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
            // Charged whether the stream ended, failed or was abandoned: what arrived was produced, and billed.
            var usage = UsageOf(reported, input, text.ToString());
            Settle(meters, reserved, usage);
            Finish(activity, usage, clock);
        }
    }

    private ChatOptions WithDefaults(ChatOptions? options)
    {
        var result = options?.Clone() ?? new ChatOptions();
        result.Temperature ??= (float)_role.Temperature;
        result.MaxOutputTokens ??= _role.MaxOutputTokens;
        return result;
    }

    /// <summary>Reserves on the run and every scope in force; refuses (releasing what was reserved) when one would pass its budget.</summary>
    private List<LlmUsageMeter> Reserve(long tokens)
    {
        var meters = new List<LlmUsageMeter>(LlmUsageScope.Current) { _run };
        var reserved = new List<LlmUsageMeter>(meters.Count);
        try
        {
            foreach (var meter in meters)
            {
                meter.Reserve(tokens);
                reserved.Add(meter);
            }
        }
        catch (LlmBudgetExceededException ex)
        {
            foreach (var meter in reserved)
            {
                meter.Settle(tokens, LlmUsage.None);
            }

            LogRefused(_logger, _role.Role, ex.Message);
            throw;
        }

        return meters;
    }

    private static void Settle(List<LlmUsageMeter> meters, long reserved, LlmUsage usage)
    {
        foreach (var meter in meters)
        {
            meter.Settle(reserved, usage);
        }
    }

    /// <summary>The server's figures where it gave them; tokens counted here otherwise.</summary>
    private LlmUsage UsageOf(UsageDetails? reported, int input, string output)
    {
        var counted = reported?.InputTokenCount is null || reported.OutputTokenCount is null;
        var inputTokens = reported?.InputTokenCount ?? input;
        var outputTokens = reported?.OutputTokenCount ?? _tokens.Count(output);
        return _prices.Usage(_role.Model, 1, inputTokens, outputTokens, counted);
    }

    private Activity? Start(string name, int input)
    {
        var activity = Activity.StartActivity(name);
        activity?.SetTag("gen_ai.request.model", _role.Model);
        activity?.SetTag("graphrag.llm.role", _role.Role.ToString());
        activity?.SetTag("graphrag.llm.prompt_tokens_counted", input);
        return activity;
    }

    private void Finish(Activity? activity, LlmUsage usage, Stopwatch clock)
    {
        activity?.SetTag("gen_ai.usage.input_tokens", usage.InputTokens);
        activity?.SetTag("gen_ai.usage.output_tokens", usage.OutputTokens);
        LogCall(_logger, _role.Role, _role.Describe(), usage.InputTokens, usage.OutputTokens, Math.Round(clock.Elapsed.TotalMilliseconds, 1));
    }

    /// <summary>A provider failure as an <see cref="LlmException"/>; null for anything that is not one (the caller's cancellation included).</summary>
    private LlmException? Map(Exception exception, CancellationToken cancellationToken)
    {
        var what = $"The {_role.Role.ToString().ToLowerInvariant()} model ({_role.Describe()})";
        switch (exception)
        {
            case LlmException:
                return null;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case ClientResultException result when result.Status > 0:
                var status = result.Status;
                var retryAfter = LlmRetryPolicy.ServerDelay(result.GetRawResponse(), TimeProvider.System) is { } wait
                    ? string.Create(CultureInfo.InvariantCulture, $"; it asked to retry after {wait.TotalSeconds:0.###} s")
                    : string.Empty;
                var transient = status is 408 or 429 or >= 500;
                var reason = status switch
                {
                    401 or 403 => "refused the API key",
                    404 => "does not know this model or deployment",
                    429 => "is rate-limiting requests",
                    >= 500 => "failed on the server",
                    _ => "refused the request",
                };
                return new LlmException($"{what} {reason} (HTTP {status}{retryAfter}).", exception) { StatusCode = status, IsTransient = transient };
            case OperationCanceledException or TimeoutException:
                return new LlmException(
                    string.Create(CultureInfo.InvariantCulture, $"{what} did not answer within {_timeoutSeconds:0.###} s."), exception) { IsTransient = true };
            case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                var last = Map(aggregate.InnerExceptions[^1], cancellationToken);
                return last is null
                    ? null
                    : new LlmException($"{last.Message.TrimEnd('.')} ({aggregate.InnerExceptions.Count} tries).", exception)
                    {
                        StatusCode = last.StatusCode,
                        IsTransient = last.IsTransient,
                    };
            case HttpRequestException or IOException or ClientResultException:
                return new LlmException($"{what} could not be reached: {exception.Message}", exception) { IsTransient = true };
            case System.Text.Json.JsonException or FormatException or KeyNotFoundException:
                // The server answered, but not with a chat completion the connector could read.
                return new LlmException($"{what} answered with something that is not a chat completion: {exception.Message}", exception);
            default:
                return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Role} model {Model}: {InputTokens} tokens in, {OutputTokens} out, {Milliseconds} ms")]
    private static partial void LogCall(ILogger logger, LlmRole role, string model, long inputTokens, long outputTokens, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Role} model {Model} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, LlmRole role, string model, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Role} model call refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, LlmRole role, string reason);
}
