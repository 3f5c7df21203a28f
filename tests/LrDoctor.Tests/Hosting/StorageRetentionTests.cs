using LrDoctor.Core.Runs;
using LrDoctor.Hosting;
using LrDoctor.Storage;
using LrDoctor.Testing;
using LrDoctor.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LrDoctor.Tests.Hosting;

public sealed class StorageRetentionTests
{
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public void Sweep_FinishedRunsPastRetentionOrBeyondTheLimit_AreDeletedWithTheirCheckpoints()
    {
        string dir = DaemonProcess.NewWorkDir();
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        long day = (long)TimeSpan.FromDays(1).TotalMilliseconds;
        var storage = new StorageOptions { Path = Path.Combine(dir, "data/lrdoctor.db"), RetentionDays = 7, MaxFinishedRuns = 2 };
        var supervisor = new SupervisorOptions { CheckpointDirectory = Path.Combine(dir, "checkpoints") };
        using var store = new LiteDbRunStore(storage.Path);
        void Add(string id, RunState state, long endedDaysAgo)
        {
            long ended = now.ToUnixTimeMilliseconds() - (endedDaysAgo * day);
            store.SaveRun(new StoredRun(id, id, state, "{}", ended - 1000) { EndedUnixMs = ended });
            Directory.CreateDirectory(Path.Combine(supervisor.CheckpointDirectory, id));
        }

        Add("old", RunState.Completed, 10);
        Add("recent1", RunState.Completed, 1);
        Add("recent2", RunState.Failed, 2);
        Add("recent3", RunState.Stopped, 3);
        Add("live-old", RunState.Interrupted, 30);
        var retention = new StorageRetention(store, Options.Create(storage), Options.Create(supervisor), new FixedTime(now), NullLogger<StorageRetention>.Instance);

        int deleted = retention.Sweep();

        Assert.Equal(2, deleted);
        Assert.Equal(["live-old", "recent1", "recent2"], store.ListRuns(0, 100).Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(supervisor.CheckpointDirectory, "old")));
        Assert.False(Directory.Exists(Path.Combine(supervisor.CheckpointDirectory, "recent3")));
        Assert.True(Directory.Exists(Path.Combine(supervisor.CheckpointDirectory, "recent1")));
    }

    [Fact]
    public async Task ExecuteAsync_SweepsAtStartThenEveryHourInVirtualTime_AndStopsCleanly()
    {
        string dir = DaemonProcess.NewWorkDir();
        var clock = new WatchedClock();
        var storage = new StorageOptions { Path = Path.Combine(dir, "data/lrdoctor.db"), RetentionDays = 7 };
        var supervisor = new SupervisorOptions { CheckpointDirectory = Path.Combine(dir, "checkpoints") };
        using var store = new LiteDbRunStore(storage.Path);
        void Add(string id, TimeSpan endedAgo)
        {
            long ended = (clock.GetUtcNow() - endedAgo).ToUnixTimeMilliseconds();
            store.SaveRun(new StoredRun(id, id, RunState.Completed, "{}", ended - 1000) { EndedUnixMs = ended });
        }

        Add("old", TimeSpan.FromDays(10));
        using var retention = new StorageRetention(store, Options.Create(storage), Options.Create(supervisor), clock, NullLogger<StorageRetention>.Instance);
        await retention.StartAsync(CancellationToken.None);

        // The first sweep runs at start, then the loop waits an hour.
        await clock.WaitForTimerAsync(TimeSpan.FromHours(1));
        Assert.Null(store.GetRun("old"));

        // A run that passes the 7 days within the hour is kept until the next sweep, then deleted.
        Add("aging", TimeSpan.FromDays(7) - TimeSpan.FromMinutes(30));
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(store.GetRun("aging"));
        clock.Advance(TimeSpan.FromMinutes(1));
        await clock.WaitForTimerAsync(TimeSpan.FromHours(1));
        Assert.Null(store.GetRun("aging"));

        await retention.StopAsync(CancellationToken.None);
        Assert.True(retention.ExecuteTask!.IsCompletedSuccessfully, "a stop is not a failure");
    }
}
