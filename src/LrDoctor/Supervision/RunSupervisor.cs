using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using LrDoctor.Core;
using LrDoctor.Core.Protocol;
using LrDoctor.Core.Runs;
using LrDoctor.Hosting;
using LrDoctor.Metrics;
using LrDoctor.Storage;
using Microsoft.Extensions.Options;

namespace LrDoctor.Supervision;

/// <summary>Hosts runs in <c>lrdoctor worker</c> child processes: queues them under a concurrency limit, records what they send,
/// restarts a worker that dies from its last checkpoint, and interrupts every run with a checkpoint on shutdown.</summary>
/// <remarks>
/// A libtorch native error aborts its whole process, so training never happens in the daemon. Runs left
/// <c>queued</c>, <c>running</c> (the daemon was killed) or <c>interrupted</c> resume at the next start.
/// </remarks>
internal sealed partial class RunSupervisor : BackgroundService, IRunControl
{
    private readonly IRunStore _store;
    private readonly StoreWriter _writer;
    private readonly LrDoctorMetrics _metrics;
    private readonly SupervisorOptions _options;
    private readonly MetricsOptions _metricsOptions;
    private readonly IReadOnlyList<JobDefinition> _configuredJobs;
    private readonly WorkerLauncher _launcher;
    private readonly TimeProvider _time;
    private readonly ILogger<RunSupervisor> _logger;
    private readonly ConcurrentDictionary<string, LiveRun> _live = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _shutdown = new();
    private volatile bool _stopping;

    /// <summary>Creates the supervisor.</summary>
    public RunSupervisor(
        IRunStore store,
        StoreWriter writer,
        LrDoctorMetrics metrics,
        IOptions<SupervisorOptions> options,
        IOptions<MetricsOptions> metricsOptions,
        ConfiguredJobs configuredJobs,
        WorkerLauncher launcher,
        TimeProvider time,
        ILogger<RunSupervisor> logger)
    {
        _store = store;
        _writer = writer;
        _metrics = metrics;
        _options = options.Value;
        _metricsOptions = metricsOptions.Value;
        _configuredJobs = configuredJobs.Jobs;
        _launcher = launcher;
        _time = time;
        _logger = logger;
        _slots = new SemaphoreSlim(_options.MaxConcurrentRuns, _options.MaxConcurrentRuns);
    }

    /// <summary>Gets the ids of the runs hosted now (queued or training).</summary>
    public IReadOnlyCollection<string> LiveRunIds => _live.Keys.ToArray();

    /// <summary>Gets the worker process id of a live run, when it is training.</summary>
    public int? WorkerProcessId(string runId) => _live.TryGetValue(runId, out var run) ? run.ProcessId : null;

    /// <summary>Creates a queued run for a validated job and starts hosting it.</summary>
    /// <param name="job">The job.</param>
    /// <returns>The stored run.</returns>
    public StoredRun Submit(JobDefinition job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (_stopping)
        {
            throw new InvalidOperationException("the daemon is shutting down");
        }

        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var run = new StoredRun(NewRunId(), job.Name, RunState.Queued, job.JobJson, now) { UpdatedUnixMs = now };
        _store.SaveRun(run);
        _metrics.SetState(run.Id, RunState.Queued);
        Host(run);
        return run;
    }

    /// <inheritdoc />
    public bool TryPost(string runId, RunCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!_live.TryGetValue(runId, out var run))
        {
            return false;
        }

        if (command.Kind == RunCommandKind.Stop)
        {
            run.StopRequested = true;
            run.QueueCancellation.Cancel();
        }

        run.Send(WorkerInstruction.ForCommand(command));
        return true;
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        await _shutdown.CancelAsync().ConfigureAwait(false);
        var runs = _live.Values.ToArray();
        foreach (var run in runs)
        {
            run.Send(WorkerInstruction.ForInterrupt());
        }

        var all = Task.WhenAll(runs.Select(r => r.Task ?? Task.CompletedTask));
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(TimeSpan.FromSeconds(_options.ShutdownTimeoutSeconds));
        try
        {
            await all.WaitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogShutdownKill(runs.Length);
            foreach (var run in runs)
            {
                run.Kill();
            }

            await all.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _shutdown.Dispose();
        _slots.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        ResumeUnfinishedRuns();
        StartConfiguredJobs();
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // a normal stop
        }
    }

    /// <summary>Re-hosts runs that a previous daemon left queued, running (killed) or interrupted (shut down).</summary>
    internal void ResumeUnfinishedRuns()
    {
        var unfinished = new[] { RunState.Running, RunState.Interrupted, RunState.Queued }
            .SelectMany(state => _store.ListRuns(0, int.MaxValue, state))
            .OrderBy(r => r.CreatedUnixMs)
            .ToList();
        foreach (var run in unfinished)
        {
            LogResuming(run.Id, WireName.Of(run.State), run.CheckpointStep ?? -1);
            var queued = _store.UpdateRun(run.Id, r => r with { State = RunState.Queued, UpdatedUnixMs = Now() }) ?? run;
            _metrics.SetState(run.Id, RunState.Queued);
            Host(queued, resumedAfter: run.State switch
            {
                RunState.Queued => null,
                RunState.Running => "the daemon stopped without a shutdown",
                RunState.Interrupted => "the daemon was shut down",
                var other => WireName.Of(other),
            });
        }
    }

    /// <summary>Starts the configured jobs with <c>autoStart</c> that have no unfinished run already.</summary>
    internal void StartConfiguredJobs()
    {
        var busy = _live.Values.Select(r => _store.GetRun(r.Id)?.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var job in _configuredJobs.Where(j => j.AutoStart && !busy.Contains(j.Name)))
        {
            var run = Submit(job);
            LogAutoStarted(run.Id, job.Name);
        }
    }

    private void Host(StoredRun run, string? resumedAfter = null)
    {
        var live = new LiveRun(run.Id, run.JobJson);
        if (!_live.TryAdd(run.Id, live))
        {
            return;
        }

        live.Task = Task.Run(() => HostAsync(live, resumedAfter));
    }

    private async Task HostAsync(LiveRun live, string? resumedAfter)
    {
        bool acquired = false;
        try
        {
            using var queue = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token, live.QueueCancellation.Token);
            try
            {
                await _slots.WaitAsync(queue.Token).ConfigureAwait(false);
                acquired = true;
            }
            catch (OperationCanceledException)
            {
                if (!_stopping)
                {
                    await EndAsync(live.Id, RunState.Stopped, "stopped before it started").ConfigureAwait(false);
                }

                return;
            }

            await TrainAsync(live, resumedAfter).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogHostFailed(e, live.Id);
            await EndAsync(live.Id, RunState.Failed, "the daemon could not host the run: " + e.Message).ConfigureAwait(false);
        }
        finally
        {
            if (acquired)
            {
                _slots.Release();
            }

            _live.TryRemove(live.Id, out _);
            live.QueueCancellation.Dispose();
        }
    }

    private async Task TrainAsync(LiveRun live, string? resumedAfter)
    {
        while (true)
        {
            var run = _store.UpdateRun(live.Id, r => r with
            {
                State = RunState.Running,
                StartedUnixMs = r.StartedUnixMs ?? Now(),
                UpdatedUnixMs = Now(),
            }) ?? throw new InvalidOperationException($"run {live.Id} vanished from storage");
            _metrics.SetState(run.Id, RunState.Running);

            string? resumeFrom = ResumeCheckpoint.Choose(run, _options.CheckpointDirectory);
            if (resumedAfter is not null && resumeFrom is null)
            {
                // With a checkpoint the engine records the resume event itself.
                await RecordEventAsync(run.Id, new RunEvent(0, EventKind.Resume, $"restarted from step 0 after {resumedAfter} (no checkpoint yet)", Now())).ConfigureAwait(false);
            }

            var outcome = await RunWorkerAsync(live, run, resumeFrom).ConfigureAwait(false);
            await _writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (outcome.Ended is { } ended)
            {
                await EndAsync(run.Id, ended.State ?? RunState.Failed, ended.Reason, engineRecordedEnd: true).ConfigureAwait(false);
                return;
            }

            if (_stopping)
            {
                // Killed at the end of the shutdown grace period: resume from the last checkpoint next time.
                await EndAsync(run.Id, RunState.Interrupted, "the worker did not finish its checkpoint before the shutdown timeout", outcome.ExitCode).ConfigureAwait(false);
                return;
            }

            string died = $"worker (pid {outcome.ProcessId}) exited with code {outcome.ExitCode}" + (outcome.LastError is null ? string.Empty : ": " + outcome.LastError);
            var after = _store.UpdateRun(run.Id, r => r with { Restarts = r.Restarts + 1, LastExitCode = outcome.ExitCode, UpdatedUnixMs = Now() })!;
            await RecordEventAsync(run.Id, new RunEvent(Math.Max(0, after.Step), EventKind.WorkerExit, died, Now())
            {
                Data = new Dictionary<string, double> { ["exitCode"] = outcome.ExitCode, ["restarts"] = after.Restarts },
            }).ConfigureAwait(false);
            LogWorkerDied(run.Id, outcome.ExitCode, after.Restarts, _options.MaxRestarts);
            if (live.StopRequested)
            {
                await EndAsync(run.Id, RunState.Stopped, "stopped on request; " + died, outcome.ExitCode).ConfigureAwait(false);
                return;
            }

            if (after.Restarts > _options.MaxRestarts)
            {
                await EndAsync(run.Id, RunState.Failed, $"{died}; gave up after {_options.MaxRestarts} restarts", outcome.ExitCode).ConfigureAwait(false);
                return;
            }

            resumedAfter = $"the worker died (exit code {outcome.ExitCode})";
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(_options.RestartDelayMs), _time, _shutdown.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await EndAsync(run.Id, RunState.Interrupted, "the daemon was shut down while the worker was restarting").ConfigureAwait(false);
                return;
            }
        }
    }

    private async Task<WorkerOutcome> RunWorkerAsync(LiveRun live, StoredRun run, string? resumeFrom)
    {
        string checkpointDir = Path.GetFullPath(Path.Combine(_options.CheckpointDirectory, run.Id));
        Directory.CreateDirectory(checkpointDir);
        using var job = JsonDocument.Parse(run.JobJson);
        var start = WorkerInstruction.ForStart(run.Id, job.RootElement.Clone(), checkpointDir, resumeFrom, _options.WorkerThreads, _options.CheckpointIntervalSeconds);

        using var process = new Process { StartInfo = _launcher.CreateStartInfo(_options.WorkerThreads) };
        process.Start();
        LogWorkerStarted(run.Id, process.Id, resumeFrom ?? "(none)");
        var stderr = PumpErrorsAsync(run.Id, process);
        try
        {
            await process.StandardInput.WriteLineAsync(WorkerProtocol.Encode(start)).ConfigureAwait(false);
            await process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // died at once; the exit code tells why
        }

        live.Attach(process);
        if (_stopping)
        {
            live.Send(WorkerInstruction.ForInterrupt());
        }

        WorkerMessage? ended = null;
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync().ConfigureAwait(false)) is not null)
        {
            WorkerMessage message;
            try
            {
                message = WorkerProtocol.DecodeMessage(line);
            }
            catch (SpecException e)
            {
                LogBadLine(run.Id, e.Message);
                continue;
            }

            if (message.Type == WorkerMessageType.Ended)
            {
                ended = message;
            }
            else
            {
                await HandleAsync(run.Id, message).ConfigureAwait(false);
            }
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        live.Detach();
        string? lastError = await stderr.ConfigureAwait(false);
        return new WorkerOutcome(ended, process.ExitCode, process.Id, lastError);
    }

    private async ValueTask HandleAsync(string runId, WorkerMessage message)
    {
        switch (message.Type)
        {
            case WorkerMessageType.Step when message.Step is { } step:
                _metrics.OnStep(runId, step);
                await _writer.WriteAsync(StoreWrite.ForStep(runId, step)).ConfigureAwait(false);
                break;
            case WorkerMessageType.Finding when message.Finding is { } finding:
                _metrics.OnFinding(runId, finding);
                await _writer.WriteAsync(StoreWrite.ForEvent(runId, new RunEvent(finding.DetectedStep, EventKind.Finding, $"{finding.Cause} {finding.Action}", Now())
                {
                    Symptom = finding.Symptom,
                    Data = finding.Evidence,
                })).ConfigureAwait(false);
                break;
            case WorkerMessageType.Event when message.Event is { } runEvent:
                await RecordEventAsync(runId, runEvent).ConfigureAwait(false);
                break;
            case WorkerMessageType.Artifact when message.Kind is { } kind && message.Json is { } json:
                await _writer.WriteAsync(StoreWrite.ForArtifact(runId, kind, json)).ConfigureAwait(false);
                break;
            case WorkerMessageType.Checkpoint when message.Path is { } path:
                await _writer.WriteAsync(StoreWrite.ForCheckpoint(runId, message.AtStep ?? 0, path)).ConfigureAwait(false);
                break;
            default:
                LogBadLine(runId, "unknown or incomplete message type " + message.Type);
                break;
        }
    }

    private async ValueTask RecordEventAsync(string runId, RunEvent runEvent)
    {
        _metrics.OnEvent(runId, runEvent);
        await _writer.WriteAsync(StoreWrite.ForEvent(runId, runEvent)).ConfigureAwait(false);
    }

    private async Task EndAsync(string runId, RunState state, string? reason, int? exitCode = null, bool engineRecordedEnd = false)
    {
        await _writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        bool final = state != RunState.Interrupted;
        var run = _store.UpdateRun(runId, r => r with
        {
            State = state,
            Reason = reason,
            UpdatedUnixMs = Now(),
            EndedUnixMs = final ? Now() : r.EndedUnixMs,
            LastExitCode = exitCode ?? r.LastExitCode,
        });
        if (final && run is not null && !engineRecordedEnd)
        {
            await RecordEventAsync(runId, new RunEvent(Math.Max(0, run.Step), EventKind.RunEnded, $"{WireName.Of(state)}: {reason}", Now())).ConfigureAwait(false);
            await _writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _metrics.SetState(runId, state);
        LogRunEnded(runId, WireName.Of(state), reason ?? string.Empty);
        if (final)
        {
            _ = RetireLaterAsync(runId);
        }
    }

    private async Task RetireLaterAsync(string runId)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(_metricsOptions.RetireAfterSeconds), _time, _shutdown.Token).ConfigureAwait(false);
            _metrics.RetireRun(runId);
        }
        catch (OperationCanceledException)
        {
            // the process ends; its metrics go with it
        }
    }

    private async Task<string?> PumpErrorsAsync(string runId, Process process)
    {
        string? last = null;
        string? line;
        while ((line = await process.StandardError.ReadLineAsync().ConfigureAwait(false)) is not null)
        {
            if (line.Length > 0)
            {
                last = line.Length > 300 ? line[..300] : line;
                LogWorkerOutput(runId, line);
            }
        }

        return last;
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string NewRunId() => Guid.NewGuid().ToString("N")[..12];

    private sealed record WorkerOutcome(WorkerMessage? Ended, int ExitCode, int ProcessId, string? LastError);
}
