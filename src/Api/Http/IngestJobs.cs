using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Threading.Channels;
using GraphRag.Hosting;
using GraphRag.Graph.Security;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Privacy;
using GraphRag.Ingest.Readers;
using GraphRag.Llm.Extraction;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GraphRag.Api.Http;

public enum JobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>
/// Server-side ingest jobs, run one at a time in the background. On shutdown the running job is cancelled: the pipeline
/// stops between write batches, each of which is one transaction, so the store keeps every batch written before and
/// nothing half-written. Jobs live in memory; a restart forgets them (the documents they stored stay).
/// </summary>
internal sealed partial class IngestJobs(Engine engine, ApiOptions options, IAuditSink audit, TimeProvider time, ILogger<IngestJobs> logger)
    : BackgroundService
{
    private const int MaxQueued = 64;

    private readonly Channel<IngestJob> _queue = Channel.CreateBounded<IngestJob>(MaxQueued);
    private readonly ConcurrentDictionary<string, IngestJob> _jobs = new(StringComparer.Ordinal);

    public bool TryEnqueue(
        Caller caller, IReadOnlyList<SourceFile> files, IReadOnlyList<string> requested, IReadOnlyList<string>? acl, PiiPolicy? policy, bool llm, out IngestJob job)
    {
        job = new IngestJob(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), caller.Principal, requested, files, acl, time.GetUtcNow(), options.MaxJobResults)
        {
            PiiPolicy = policy,
            Llm = llm,
        };
        if (!_queue.Writer.TryWrite(job))
        {
            return false;
        }

        _jobs[job.Id] = job;
        return true;
    }

    /// <summary>The job, when the caller started it or is an administrator.</summary>
    public IngestJob? Find(Caller caller, string id) =>
        _jobs.TryGetValue(id, out var job) && (caller.IsAdministrator || job.Owner == caller.Principal) ? job : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await RunAsync(job, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            while (_queue.Reader.TryRead(out var queued))
            {
                queued.Finish(JobState.Cancelled, "the server stopped before the job started", time.GetUtcNow());
            }
        }
    }

    private async Task RunAsync(IngestJob job, CancellationToken stoppingToken)
    {
        job.Start(time.GetUtcNow());
        LogStarted(logger, job.Id, job.Files.Count);
        try
        {
            var run = new IngestRun { Files = job.Files, Acl = job.Acl, PiiPolicy = job.PiiPolicy };
            var progress = new Progress<IngestProgress>(job.Report);
            // A job with model extraction gets its own extractor: the job's counts, tokens and budget live in it.
            var pipeline = engine.Pipeline;
            if (job.Llm)
            {
                var model = engine.CreateModelIngestion();
                job.Extraction = model.Extractor;
                pipeline = model.Pipeline;
            }

            await foreach (var result in pipeline.RunAsync(run, progress, stoppingToken))
            {
                job.Add(result);
            }

            // A run stopped by its token budget did not finish its input: cancelled, with the reason and what is left.
            var stopped = job.StopReason;
            job.Finish(
                stopped is null ? JobState.Succeeded : JobState.Cancelled,
                stopped is null ? null : $"stopped: {stopped}; {job.NotProcessed} documents not processed (what was written stays; run the job again to process them)",
                time.GetUtcNow());
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            job.Finish(JobState.Cancelled, "the server stopped; documents written before the stop are stored, the rest were not started", time.GetUtcNow());
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, job.Id);
            job.Finish(JobState.Failed, $"{ex.GetType().Name}: {ex.Message}", time.GetUtcNow());
        }

        LogFinished(logger, job.Id, job.State);
        await audit.RecordAsync(
            new AuditRecord(job.Owner, "ingest-job.finish", job.Id, 200, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["state"] = job.State.ToString().ToLowerInvariant(),
                ["added"] = job.Added.ToString(CultureInfo.InvariantCulture),
                ["replaced"] = job.Replaced.ToString(CultureInfo.InvariantCulture),
                ["unchanged"] = job.Unchanged.ToString(CultureInfo.InvariantCulture),
                ["failed"] = job.FailedCount.ToString(CultureInfo.InvariantCulture),
                ["not-processed"] = job.NotProcessed.ToString(CultureInfo.InvariantCulture),
                ["llm-tokens"] = (job.Extraction?.Report.Usage.TotalTokens ?? 0).ToString(CultureInfo.InvariantCulture),
            }),
            CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest job {Id} started with {Files} files")]
    private static partial void LogStarted(ILogger logger, string id, int files);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest job {Id} finished: {State}")]
    private static partial void LogFinished(ILogger logger, string id, JobState state);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest job {Id} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string id);
}

/// <summary>One job's progress; updated by the runner, read by status requests.</summary>
internal sealed class IngestJob(
    string id, string owner, IReadOnlyList<string> requested, IReadOnlyList<SourceFile> files, IReadOnlyList<string>? acl, DateTimeOffset created, int maxResults)
{
    private readonly Lock _lock = new();
    private readonly List<IngestResult> _results = [];
    private int _filesDone;

    public string Id { get; } = id;

    public string Owner { get; } = owner;

    public IReadOnlyList<SourceFile> Files { get; } = files;

    public IReadOnlyList<string>? Acl { get; } = acl;

    public PiiPolicy? PiiPolicy { get; init; }

    /// <summary>Extract with the Extraction model too (<c>llm: true</c>).</summary>
    public bool Llm { get; init; }

    /// <summary>The job's model extractor once it runs: its report is the job's model usage, read live by status requests.</summary>
    public ModelGraphExtractor? Extraction { get; set; }

    /// <summary>Documents not processed because the run stopped (a token budget was spent).</summary>
    public int NotProcessed { get; private set; }

    private string? _stopReason;

    /// <summary>Why the run stopped before its input ran out; null when it did not.</summary>
    public string? StopReason
    {
        get
        {
            lock (_lock)
            {
                return _stopReason;
            }
        }
    }

    public JobState State { get; private set; } = JobState.Queued;

    public int Added { get; private set; }

    public int Replaced { get; private set; }

    public int Unchanged { get; private set; }

    public int FailedCount { get; private set; }

    private DateTimeOffset? _started;
    private DateTimeOffset? _finished;
    private string? _error;
    private int _dropped;

    public void Start(DateTimeOffset at)
    {
        lock (_lock)
        {
            State = JobState.Running;
            _started = at;
        }
    }

    public void Report(IngestProgress progress)
    {
        lock (_lock)
        {
            _filesDone = Math.Max(_filesDone, progress.FilesDone);
        }
    }

    public void Add(IngestResult result)
    {
        lock (_lock)
        {
            switch (result.Status)
            {
                case IngestStatus.Added: Added++; break;
                case IngestStatus.Replaced: Replaced++; break;
                case IngestStatus.Unchanged: Unchanged++; break;
                case IngestStatus.NotProcessed:
                    NotProcessed++;
                    _stopReason ??= result.Reason;
                    break;
                default: FailedCount++; break;
            }

            if (_results.Count < maxResults)
            {
                _results.Add(result);
            }
            else
            {
                _dropped++;
            }
        }
    }

    public void Finish(JobState state, string? error, DateTimeOffset at)
    {
        lock (_lock)
        {
            State = state;
            _error = error;
            _finished = at;
            if (state == JobState.Succeeded)
            {
                _filesDone = Files.Count;
            }
        }
    }

    /// <summary>A result's status as the API spells it: <c>added</c>, …, <c>not-processed</c>.</summary>
    private static string Status(IngestStatus status) => status == IngestStatus.NotProcessed ? "not-processed" : status.ToString().ToLowerInvariant();

    public IngestJobView View()
    {
        lock (_lock)
        {
            return new IngestJobView(
                Id,
                State.ToString().ToLowerInvariant(),
                requested,
                created,
                _started,
                _finished,
                new JobProgress(Files.Count, _filesDone, Added, Replaced, Unchanged, FailedCount) { NotProcessed = NotProcessed, StopReason = _stopReason },
                _error,
                _results.Select(r => new JobDocumentResult(r.Source, r.DocumentId, Status(r.Status), r.Reason, r.Chunks)).ToList(),
                _dropped)
            {
                Llm = Extraction?.Report,
            };
        }
    }
}

/// <param name="Llm">With <c>llm: true</c>: what the model proposed, kept and dropped (by reason), and the tokens and estimated cost so far.</param>
public sealed record IngestJobView(
    string Id,
    string State,
    IReadOnlyList<string> Paths,
    DateTimeOffset Created,
    DateTimeOffset? Started,
    DateTimeOffset? Finished,
    JobProgress Progress,
    string? Error,
    IReadOnlyList<JobDocumentResult> Results,
    int ResultsOmitted)
{
    public ModelExtractionReport? Llm { get; init; }
}

public sealed record JobProgress(int Files, int FilesDone, int Added, int Replaced, int Unchanged, int Failed)
{
    /// <summary>Documents not processed because the job stopped: its token budget was spent (<see cref="StopReason"/>).</summary>
    public int NotProcessed { get; init; }

    /// <summary>Why the job stopped before its input ran out; null when it did not.</summary>
    public string? StopReason { get; init; }
}

public sealed record JobDocumentResult(string Source, string? DocumentId, string Status, string? Reason, int Chunks);
