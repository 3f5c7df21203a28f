using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;
using LrDoctor.Testing;

namespace LrDoctor.Storage.Tests;

public sealed class StoreWriterTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task DisposeAsync_WithQueuedWrites_CommitsEveryOne()
    {
        using var store = new LiteDbRunStore(_temp.DbPath);
        for (int r = 0; r < 4; r++)
        {
            store.SaveRun(new StoredRun("run" + r, "n", RunState.Running, "{}", r));
        }

        var writer = new StoreWriter(store, TimeSpan.FromSeconds(10), batchSize: 1000, capacity: 256);
        var producers = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            for (int s = 0; s < 5000; s++)
            {
                await writer.WriteAsync(StoreWrite.ForStep("run" + r, new StepRecord(s, s)));
            }
        }));
        await Task.WhenAll(producers);
        await writer.DisposeAsync();

        for (int r = 0; r < 4; r++)
        {
            Assert.Equal(5000, store.CountSteps("run" + r));
        }

        Assert.Equal(0, writer.QueueDepth);
    }

    [Fact]
    public async Task WriteAsync_TwentyInterleavedRuns_RecordsExactlyEveryStepOfEach()
    {
        const int Runs = 20;
        const int StepsPerRun = 3000;
        using var store = new LiteDbRunStore(_temp.DbPath);
        for (int r = 0; r < Runs; r++)
        {
            store.SaveRun(new StoredRun("run" + r, "n", RunState.Running, "{}", r));
        }

        var writer = new StoreWriter(store, TimeSpan.FromMilliseconds(200), batchSize: 1000, capacity: 4096);
        var producers = Enumerable.Range(0, Runs).Select(r => Task.Run(async () =>
        {
            for (int s = 0; s < StepsPerRun; s++)
            {
                await writer.WriteAsync(StoreWrite.ForStep("run" + r, new StepRecord(s, r + (s / 10_000.0))));
            }
        }));
        await Task.WhenAll(producers);
        await writer.DisposeAsync();

        for (int r = 0; r < Runs; r++)
        {
            var steps = store.GetSteps("run" + r, new StepQuery());
            Assert.Equal(Enumerable.Range(0, StepsPerRun).Select(i => (long)i), steps.Select(x => x.Step));
            Assert.Equal(r + (2999 / 10_000.0), steps[^1].TrainLoss);
            Assert.Equal(StepsPerRun - 1, store.GetRun("run" + r)!.Step);
        }
    }

    [Fact]
    public async Task WriteAsync_QueueBackedUp_CommitsTheBacklogInFewLargeBatches()
    {
        using var store = new LiteDbRunStore(_temp.DbPath);
        store.SaveRun(new StoredRun("a", "n", RunState.Running, "{}", 0));
        await using var writer = new StoreWriter(store, TimeSpan.FromMinutes(10), batchSize: 100, capacity: 100_000);
        var flushes = new List<int>();
        writer.Flushed += n =>
        {
            lock (flushes)
            {
                flushes.Add(n);
            }
        };

        // The supervisor holds the store while the worker keeps recording: 10,100 steps pile up in the queue.
        using var queued = new ManualResetEventSlim();
        var holding = Task.Run(() => store.UpdateRun("a", run =>
        {
            queued.Wait(TimeSpan.FromSeconds(60));
            return run;
        }));
        for (int s = 0; s < 10_100; s++)
        {
            await writer.WriteAsync(StoreWrite.ForStep("a", new StepRecord(s, 1.0)));
        }

        queued.Set();
        await holding.WaitAsync(TimeSpan.FromSeconds(60));
        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(10_100, store.CountSteps("a"));
        lock (flushes)
        {
            // Batches of 100 would take 101 transactions; the backlog goes in one or two.
            Assert.InRange(flushes.Count, 1, 2);
            Assert.Equal(10_100, flushes.Sum());
        }
    }

    [Fact]
    public async Task WriteAsync_FewerWritesThanBatchSize_CommittedOnceTheIntervalHasPassedWithoutAFlushCall()
    {
        using var store = new LiteDbRunStore(_temp.DbPath);
        store.SaveRun(new StoredRun("a", "n", RunState.Running, "{}", 0));
        var clock = new WatchedClock();
        await using var writer = new StoreWriter(store, TimeSpan.FromMilliseconds(200), batchSize: 1000, timeProvider: clock);
        var flushed = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        writer.Flushed += n => flushed.TrySetResult(n);

        await writer.WriteAsync(StoreWrite.ForStep("a", new StepRecord(0, 1.0)));
        Assert.Equal(TimeSpan.FromMilliseconds(200), await clock.NextTimerAsync());
        clock.Advance(TimeSpan.FromMilliseconds(199));

        Assert.False(flushed.Task.IsCompleted);
        Assert.Equal(0, store.CountSteps("a"));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await flushed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, store.CountSteps("a"));
    }

    [Fact]
    public async Task WriteAsync_SecondWriteLateInTheInterval_CommitsBothWhenTheFirstHasWaitedTheInterval()
    {
        using var store = new LiteDbRunStore(_temp.DbPath);
        store.SaveRun(new StoredRun("a", "n", RunState.Running, "{}", 0));
        var clock = new WatchedClock();
        await using var writer = new StoreWriter(store, TimeSpan.FromMilliseconds(200), batchSize: 1000, timeProvider: clock);
        var flushed = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        writer.Flushed += n => flushed.TrySetResult(n);

        await writer.WriteAsync(StoreWrite.ForStep("a", new StepRecord(0, 1.0)));
        await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(200));
        clock.Advance(TimeSpan.FromMilliseconds(150));
        await writer.WriteAsync(StoreWrite.ForStep("a", new StepRecord(1, 1.0)));

        // The interval runs from the batch's first write: the second write waits only what is left of it.
        Assert.Equal(TimeSpan.FromMilliseconds(50), await clock.NextTimerAsync());
        clock.Advance(TimeSpan.FromMilliseconds(49));
        Assert.False(flushed.Task.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, await flushed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task WriteAsync_FullBatch_IsCommittedWithoutWaitingForTheInterval()
    {
        using var store = new LiteDbRunStore(_temp.DbPath);
        store.SaveRun(new StoredRun("a", "n", RunState.Running, "{}", 0));
        var clock = new WatchedClock();
        await using var writer = new StoreWriter(store, TimeSpan.FromMinutes(10), batchSize: 10, timeProvider: clock);
        var flushed = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        writer.Flushed += n => flushed.TrySetResult(n);

        for (int s = 0; s < 10; s++)
        {
            await writer.WriteAsync(StoreWrite.ForStep("a", new StepRecord(s, 1.0)));
        }

        // Virtual time never moves: only the batch size can have triggered the commit.
        Assert.Equal(10, await flushed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(10, store.CountSteps("a"));
    }

    [Fact]
    public async Task FlushAsync_BeforeIntervalElapses_CommitsQueuedWrites()
    {
        using var store = new LiteDbRunStore(_temp.DbPath);
        store.SaveRun(new StoredRun("a", "n", RunState.Running, "{}", 0));
        await using var writer = new StoreWriter(store, TimeSpan.FromMinutes(10));
        await writer.WriteAsync(StoreWrite.ForStep("a", new StepRecord(0, 1.0)));
        await writer.WriteAsync(StoreWrite.ForEvent("a", new RunEvent(0, EventKind.Advice, "warm up", 1)));

        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, store.CountSteps("a"));
        Assert.Single(store.GetEvents("a"));
    }

    [Fact]
    public async Task WriteAsync_QueueFull_WaitsUntilTheWriterDrainsIt()
    {
        using var store = new LiteDbRunStore(_temp.DbPath);
        store.SaveRun(new StoredRun("a", "n", RunState.Running, "{}", 0));
        await using var writer = new StoreWriter(store, TimeSpan.FromMilliseconds(50), batchSize: 10, capacity: 10, maxBatchSize: 10);
        int flushes = 0;
        writer.Flushed += _ => Interlocked.Increment(ref flushes);

        for (int s = 0; s < 200; s++)
        {
            await writer.WriteAsync(StoreWrite.ForStep("a", new StepRecord(s, 1.0)));
            Assert.True(writer.QueueDepth <= 10 + 10 + 1, $"queue depth {writer.QueueDepth} beyond capacity and one batch");
        }

        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(200, store.CountSteps("a"));
        Assert.True(flushes >= 20, $"only {flushes} flushes for 200 writes in batches of 10");
    }
}
