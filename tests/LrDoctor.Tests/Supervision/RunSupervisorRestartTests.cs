using LrDoctor.Core.Runs;
using LrDoctor.Hosting;
using LrDoctor.Metrics;
using LrDoctor.Storage;
using LrDoctor.Supervision;
using LrDoctor.Testing;
using LrDoctor.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LrDoctor.Tests.Supervision;

/// <summary>The supervisor's restart back-off in virtual time: a worker that dies is restarted after <c>RestartDelayMs</c>, not
/// before, at most <c>MaxRestarts</c> times.</summary>
public sealed class RunSupervisorRestartTests : IAsyncLifetime
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromMilliseconds(500);
    private readonly string _dir = DaemonProcess.NewWorkDir();
    private readonly WatchedClock _clock = new();
    private readonly DyingWorkerLauncher _launcher = new();
    private LiteDbRunStore _store = null!;
    private StoreWriter _writer = null!;
    private RunSupervisor _supervisor = null!;

    public Task InitializeAsync()
    {
        _store = new LiteDbRunStore(Path.Combine(_dir, "data/lrdoctor.db"));
        _writer = new StoreWriter(_store, TimeSpan.FromMilliseconds(20));
        var options = new SupervisorOptions { MaxRestarts = 2, RestartDelayMs = (int)RestartDelay.TotalMilliseconds, CheckpointDirectory = Path.Combine(_dir, "checkpoints") };
        _supervisor = new RunSupervisor(
            _store,
            _writer,
            new LrDoctorMetrics(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry())),
            Options.Create(options),
            Options.Create(new MetricsOptions { RetireAfterSeconds = 300 }),
            new ConfiguredJobs([]),
            _launcher,
            _clock,
            NullLogger<RunSupervisor>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _supervisor.StopAsync(CancellationToken.None);
        _supervisor.Dispose();
        await _writer.DisposeAsync();
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task DeadWorker_IsRestartedOnlyAfterTheDelay_AndTheRunFailsAfterMaxRestarts()
    {
        var run = _supervisor.Submit(new JobDefinition("dies", TestJobs.DigitsMlp("dies"), AutoStart: false));
        Assert.Equal(1, await _launcher.NextLaunchAsync());

        for (int restart = 1; restart <= 2; restart++)
        {
            // The worker died; the supervisor waits RestartDelayMs of (virtual) time before it starts the next one.
            await _clock.WaitForTimerAsync(RestartDelay);
            Assert.Equal(restart, _store.GetRun(run.Id)!.Restarts);
            _clock.Advance(RestartDelay - TimeSpan.FromMilliseconds(1));
            Assert.Equal(restart, _launcher.Count);
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(restart + 1, await _launcher.NextLaunchAsync());
        }

        // The third death is one more than MaxRestarts (2): the run fails; its metrics are retired later (the next timer).
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(300));
        var failed = _store.GetRun(run.Id)!;
        Assert.Equal(RunState.Failed, failed.State);
        Assert.Equal(3, failed.Restarts);
        Assert.Equal(DyingWorkerLauncher.ExitCode, failed.LastExitCode);
        Assert.Contains("gave up after 2 restarts", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("worker: native error", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(3, _store.GetEvents(run.Id).Count(e => e.Kind == EventKind.WorkerExit));
        Assert.Equal(3, _launcher.Count);
    }

    [Fact]
    public async Task Shutdown_WhileWaitingToRestart_InterruptsTheRunWithoutAnotherWorker()
    {
        var run = _supervisor.Submit(new JobDefinition("dies", TestJobs.DigitsMlp("dies"), AutoStart: false));
        await _launcher.NextLaunchAsync();
        await _clock.WaitForTimerAsync(RestartDelay);

        await _supervisor.StopAsync(CancellationToken.None);

        var interrupted = _store.GetRun(run.Id)!;
        Assert.Equal(RunState.Interrupted, interrupted.State);
        Assert.Contains("while the worker was restarting", interrupted.Reason, StringComparison.Ordinal);
        Assert.Equal(1, _launcher.Count);
    }
}
