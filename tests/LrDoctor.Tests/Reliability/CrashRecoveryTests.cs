using System.Text.Json;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.Reliability;

[Collection(DaemonCollection.Name)]
public sealed class CrashRecoveryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    private static long[] StepNumbers(List<JsonElement> steps) => steps.Select(s => s.GetProperty("step").GetInt64()).ToArray();

    private static long[] Range(long count) => Enumerable.Range(0, (int)count).Select(i => (long)i).ToArray();

    private static async Task<long> CheckpointStepAsync(DaemonProcess daemon, string id) =>
        (await daemon.GetRunAsync(id)).TryGetProperty("checkpointStep", out var c) ? c.GetInt64() : -1;

    [Fact]
    public async Task KillWorker_MidRun_RestartsFromItsCheckpointAndRecordsEveryStepOnce()
    {
        await using var daemon = await DaemonProcess.StartAsync(TestJobs.Settings());
        // Long enough that the kill lands mid-run (here and below): at about 0.2 ms a step, 3,000 steps finished within half a
        // second of the checkpoint at step 500 on a loaded machine, and the kill hit a worker that had already completed.
        string id = await daemon.SubmitAsync(TestJobs.DigitsMlp(name: "kill-worker", steps: 15_000, checkpointEvery: 100));
        await daemon.WaitUntilAsync(async () => await CheckpointStepAsync(daemon, id) >= 500, Timeout, "a checkpoint at step 500 or later");
        int worker = Assert.Single(ProcessTree.Children(daemon.Pid));

        ProcessTree.Kill9(worker);
        await daemon.WaitForStateAsync(id, Timeout, "completed", "failed");

        var run = await daemon.GetRunAsync(id);
        Assert.Equal("completed", run.GetProperty("state").GetString());
        Assert.Equal(1, run.GetProperty("restarts").GetInt32());
        Assert.Equal(137, run.GetProperty("lastExitCode").GetInt32());
        Assert.Equal(Range(15_000), StepNumbers(await daemon.StepsAsync(id)));
        var events = await daemon.EventsAsync(id);
        var exit = Assert.Single(events, e => e.GetProperty("kind").GetString() == "worker_exit");
        Assert.Contains("137", exit.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var resume = Assert.Single(events, e => e.GetProperty("kind").GetString() == "resume");
        Assert.True(resume.GetProperty("step").GetInt64() >= 499, resume.ToString());
        Assert.False(daemon.HasExited);
    }

    [Fact]
    public async Task KillWorker_MoreOftenThanMaxRestarts_FailsTheRunWithTheReason()
    {
        await using var daemon = await DaemonProcess.StartAsync(TestJobs.Settings(maxRestarts: 1));
        string id = await daemon.SubmitAsync(TestJobs.DigitsMlp(name: "crash-loop", steps: 1_000_000, checkpointEvery: 100));

        for (int kill = 0; kill < 2; kill++)
        {
            await daemon.WaitUntilAsync(() => Task.FromResult(ProcessTree.Children(daemon.Pid).Count == 1), Timeout, "a worker");
            await daemon.WaitUntilAsync(async () => (await daemon.GetRunAsync(id)).GetProperty("state").GetString() == "running", Timeout, "running");
            ProcessTree.Kill9(ProcessTree.Children(daemon.Pid).Single());
            await daemon.WaitUntilAsync(() => Task.FromResult(ProcessTree.Children(daemon.Pid).Count == 0 || kill == 0), Timeout, "the worker to go");
            await daemon.WaitUntilAsync(async () => (await daemon.EventsAsync(id)).Count(e => e.GetProperty("kind").GetString() == "worker_exit") == kill + 1, Timeout, "the worker_exit event");
        }

        await daemon.WaitForStateAsync(id, Timeout, "failed");
        var run = await daemon.GetRunAsync(id);
        Assert.Contains("gave up after 1 restarts", run.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, run.GetProperty("restarts").GetInt32());
        Assert.Empty(ProcessTree.Children(daemon.Pid));
        using var health = await daemon.Client.GetAsync(new Uri("healthz", UriKind.Relative));
        Assert.True(health.IsSuccessStatusCode);
    }

    [Fact]
    public async Task KillDaemon_MidRun_KeepsFlushedStepsAndResumesTheRunToTheEnd()
    {
        string workDir;
        string id;
        long seenBeforeKill;
        await using (var first = await DaemonProcess.StartAsync(TestJobs.Settings()))
        {
            workDir = first.WorkDir;
            id = await first.SubmitAsync(TestJobs.DigitsMlp(name: "kill-daemon", steps: 15_000, checkpointEvery: 100));
            await first.WaitUntilAsync(async () => await CheckpointStepAsync(first, id) >= 1000, Timeout, "a checkpoint at step 1000 or later");
            seenBeforeKill = (await first.StepsAsync(id)).Count;

            await first.SignalAndWaitAsync(9, TimeSpan.FromSeconds(30));
        }

        await using var second = await DaemonProcess.StartAsync(TestJobs.Settings(), workDir: workDir);

        // Every step the API showed before the kill was committed, so it is still there (and the run goes on).
        var after = StepNumbers(await second.StepsAsync(id));
        Assert.True(after.Length >= seenBeforeKill, $"{after.Length} steps after the restart, {seenBeforeKill} seen before the kill");
        Assert.Equal(Range(after.Length), after);

        await second.WaitForStateAsync(id, Timeout, "completed", "failed");
        var final = await second.GetRunAsync(id);
        Assert.True(final.GetProperty("state").GetString() == "completed", $"{final}\n{second.Output}");
        Assert.Equal(Range(15_000), StepNumbers(await second.StepsAsync(id)));
        var events = await second.EventsAsync(id);
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "resume");
    }

    [Fact]
    public async Task Sigterm_MidRun_CheckpointsLosesNothingAndResumesAtNextStart()
    {
        string workDir;
        string id;
        await using (var first = await DaemonProcess.StartAsync(TestJobs.Settings()))
        {
            workDir = first.WorkDir;
            id = await first.SubmitAsync(TestJobs.DigitsMlp(name: "sigterm", steps: 15_000, checkpointEvery: 100));
            await first.WaitUntilAsync(async () => (await first.GetRunAsync(id)).GetProperty("step").GetInt64() >= 300, Timeout, "step 300");

            Assert.Equal(0, await first.SignalAndWaitAsync(15, TimeSpan.FromSeconds(90)));
        }

        await using var second = await DaemonProcess.StartAsync(TestJobs.Settings(), workDir: workDir);
        await second.WaitForStateAsync(id, Timeout, "completed", "failed");

        var final = await second.GetRunAsync(id);
        Assert.True(final.GetProperty("state").GetString() == "completed", $"{final}\n{second.Output}");
        Assert.Equal(Range(15_000), StepNumbers(await second.StepsAsync(id)));
        var events = await second.EventsAsync(id);
        var interrupted = events.First(e => e.GetProperty("kind").GetString() == "run_ended");
        Assert.Contains("cancelled", interrupted.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var resume = Assert.Single(events, e => e.GetProperty("kind").GetString() == "resume");

        // The checkpoint written on SIGTERM is the step after the last one recorded: nothing was redone or lost.
        Assert.Equal(interrupted.GetProperty("step").GetInt64(), resume.GetProperty("step").GetInt64());
        Assert.True(resume.GetProperty("step").GetInt64() >= 299, resume.ToString());
    }
}
