using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;

namespace LrDoctor.Storage.Tests;

public sealed class LiteDbRunStoreTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static StoredRun NewRun(string id, long created = 1000, RunState state = RunState.Running) =>
        new(id, "job-" + id, state, """{"name":"job"}""", created);

    private static StepRecord Step(long s) =>
        new(s, TrainLoss: 2.0 / (s + 1), ValLoss: s % 10 == 0 ? 1.5 : null, Lr: 0.1, GradNorm: s) { Epoch = s / 100.0 };

    private static List<StoreWrite> Steps(string runId, long from, long count) =>
        Enumerable.Range(0, (int)count).Select(i => StoreWrite.ForStep(runId, Step(from + i))).ToList();

    [Fact]
    public void GetSteps_AfterBatchesAcrossChunks_ReturnsEveryStepWithItsValues()
    {
        using var store = new LiteDbRunStore(_temp.DbPath);
        store.SaveRun(NewRun("a"));
        store.WriteBatch(Steps("a", 0, 700));
        store.WriteBatch(Steps("a", 700, 2000));

        var steps = store.GetSteps("a", new StepQuery());

        Assert.Equal(2700, steps.Count);
        Assert.Equal(Enumerable.Range(0, 2700).Select(i => (long)i), steps.Select(s => s.Step));
        Assert.Equal(Step(1234), steps[1234]);
        Assert.Null(steps[1235].ValLoss);
        Assert.Equal(2699, store.GetRun("a")!.Step);
        Assert.Equal(2700, store.CountSteps("a"));
    }

    [Fact]
    public void GetSteps_NonFiniteAndMissingValues_RoundTripDistinctly()
    {
        using var store = new LiteDbRunStore(_temp.DbPath);
        store.SaveRun(NewRun("a"));
        var nan = new StepRecord(0, double.NaN, null, double.PositiveInfinity, double.NegativeInfinity) { GroupLrs = [0.1, 0.01] };
        var missing = new StepRecord(1, null);
        store.WriteBatch([StoreWrite.ForStep("a", nan), StoreWrite.ForStep("a", missing)]);

        var steps = store.GetSteps("a", new StepQuery());

        Assert.True(double.IsNaN(steps[0].TrainLoss!.Value));
        Assert.Null(steps[0].ValLoss);
        Assert.Equal(double.PositiveInfinity, steps[0].Lr);
        Assert.Equal(double.NegativeInfinity, steps[0].GradNorm);
        Assert.Equal([0.1, 0.01], steps[0].GroupLrs!);
        Assert.Null(steps[1].TrainLoss);
        Assert.Null(steps[1].GroupLrs);
    }

    [Fact]
    public void GetSteps_RangeEveryAndLimit_SelectsThoseSteps()
    {
        using var store = new LiteDbRunStore(_temp.DbPath);
        store.SaveRun(NewRun("a"));
        store.WriteBatch(Steps("a", 0, 5000));

        var range = store.GetSteps("a", new StepQuery(From: 1500, To: 3499));
        var sampled = store.GetSteps("a", new StepQuery(Every: 1000));
        var page = store.GetSteps("a", new StepQuery(From: 10, Limit: 3));

        Assert.Equal(2000, range.Count);
        Assert.Equal(1500, range[0].Step);
        Assert.Equal(3499, range[^1].Step);
        Assert.Equal([0L, 1000, 2000, 3000, 4000], sampled.Select(s => s.Step));
        Assert.Equal([10L, 11, 12], page.Select(s => s.Step));
    }

    [Fact]
    public void GetSteps_RunDocumentRewrittenBehindItsSteps_StillReturnsEveryStep()
    {
        using var store = new LiteDbRunStore(_temp.DbPath);
        store.SaveRun(NewRun("a"));
        store.WriteBatch(Steps("a", 0, 3000));

        // The supervisor saves the run document with the step it knew of, here none yet.
        store.SaveRun(NewRun("a"));

        Assert.Equal(Enumerable.Range(0, 3000).Select(i => (long)i), store.GetSteps("a", new StepQuery()).Select(s => s.Step));
        Assert.Equal([2990L, 2995], store.GetSteps("a", new StepQuery(From: 2990, Every: 5)).Select(s => s.Step));
    }

    [Fact]
    public void WriteBatch_StepBeforeLastStored_ReplacesStepsFromThere()
    {
        using var store = new LiteDbRunStore(_temp.DbPath);
        store.SaveRun(NewRun("a"));
        store.WriteBatch(Steps("a", 0, 3000));

        // A resume from a checkpoint at step 1500 records 1500.. again.
        var again = Enumerable.Range(1500, 600).Select(i => StoreWrite.ForStep("a", new StepRecord(i, 7.0))).ToList();
        store.WriteBatch(again);

        var steps = store.GetSteps("a", new StepQuery());
        Assert.Equal(2100, steps.Count);
        Assert.Equal(Enumerable.Range(0, 2100).Select(i => (long)i), steps.Select(s => s.Step));
        Assert.Equal(7.0, steps[1500].TrainLoss);
        Assert.Equal(Step(1499).TrainLoss, steps[1499].TrainLoss);
    }

    [Fact]
    public void WriteBatch_ReopenedFileThenGoingBack_ReplacesStoredSteps()
    {
        using (var store = new LiteDbRunStore(_temp.DbPath))
        {
            store.SaveRun(NewRun("a"));
            store.WriteBatch(Steps("a", 0, 1500));
        }

        using (var store = new LiteDbRunStore(_temp.DbPath))
        {
            store.WriteBatch(Steps("a", 1200, 100));
            store.WriteBatch(Steps("a", 1300, 10));
            Assert.Equal(1310, store.CountSteps("a"));
            Assert.Equal(1309, store.GetRun("a")!.Step);
        }
    }

    [Fact]
    public void WriteBatch_ManyRunsInSmallInterleavedBatches_KeepsEveryRunsStepsInOrder()
    {
        string[] runs = ["a", "b", "c"];
        using (var store = new LiteDbRunStore(_temp.DbPath))
        {
            foreach (string run in runs)
            {
                store.SaveRun(NewRun(run));
            }

            for (long s = 0; s < 3000; s += 7)
            {
                store.WriteBatch([.. runs.SelectMany(r => Steps(r, s, Math.Min(7, 3000 - s)))]);
            }

            foreach (string run in runs)
            {
                Assert.Equal(Enumerable.Range(0, 3000).Select(i => (long)i), store.GetSteps(run, new StepQuery()).Select(x => x.Step));
                Assert.Equal([1020L, 1021, 1022, 1023, 1024, 1025], store.GetSteps(run, new StepQuery(From: 1020, To: 1025)).Select(x => x.Step));
            }
        }

        using (var store = new LiteDbRunStore(_temp.DbPath))
        {
            // After a restart "b" resumes at 2100 (inside a chunk written as segments), the others go on.
            store.WriteBatch([.. Steps("b", 2100, 5), .. Steps("a", 3000, 5)]);

            Assert.Equal(Enumerable.Range(0, 2105).Select(i => (long)i), store.GetSteps("b", new StepQuery()).Select(x => x.Step));
            Assert.Equal(3005, store.CountSteps("a"));
            Assert.Equal(3000, store.CountSteps("c"));
        }
    }

    [Fact]
    public void WriteBatch_ChunkBoundaryCrossedInsideOneBatch_StepsReadBackAfterReopen()
    {
        using (var store = new LiteDbRunStore(_temp.DbPath))
        {
            store.SaveRun(NewRun("a"));

            // 0..999 leaves chunk 0 open; the next batch completes it, fills chunks 1 and 2 and opens chunk 3.
            store.WriteBatch(Steps("a", 0, 1000));
            store.WriteBatch(Steps("a", 1000, 2200));
            Assert.Equal(3200, store.CountSteps("a"));
        }

        using (var store = new LiteDbRunStore(_temp.DbPath))
        {
            var steps = store.GetSteps("a", new StepQuery());
            Assert.Equal(Enumerable.Range(0, 3200).Select(i => (long)i), steps.Select(s => s.Step));
            Assert.Equal(Step(1023), steps[1023]);
            Assert.Equal(Step(1024), steps[1024]);
            Assert.Equal(Step(3199), steps[3199]);
            Assert.Equal([1022L, 1023, 1024, 1025], store.GetSteps("a", new StepQuery(From: 1022, To: 1025)).Select(s => s.Step));

            // A rollback into the compacted chunk 0 replaces everything after it.
            store.WriteBatch(Steps("a", 900, 10));
            Assert.Equal(910, store.CountSteps("a"));
            Assert.Equal(Enumerable.Range(0, 910).Select(i => (long)i), store.GetSteps("a", new StepQuery()).Select(s => s.Step));
        }
    }

    [Fact]
    public void WriteBatch_GoingBackInsideAChunkHeldAsSegments_ReplacesTheStepsAfterAcrossARestart()
    {
        using (var store = new LiteDbRunStore(_temp.DbPath))
        {
            store.SaveRun(NewRun("a"));
            for (long s = 0; s < 1200; s += 100)
            {
                store.WriteBatch(Steps("a", s, 100));
            }
        }

        using (var store = new LiteDbRunStore(_temp.DbPath))
        {
            // Resumed from a checkpoint at 1050: chunk 1 (1024..1199) is stored as segments of earlier flushes.
            store.WriteBatch(Enumerable.Range(1050, 10).Select(i => StoreWrite.ForStep("a", new StepRecord(i, 7.0))).ToList());

            var steps = store.GetSteps("a", new StepQuery());
            Assert.Equal(Enumerable.Range(0, 1060).Select(i => (long)i), steps.Select(s => s.Step));
            Assert.Equal(Step(1049), steps[1049]);
            Assert.Equal(7.0, steps[1050].TrainLoss);
            Assert.Equal(1060, store.CountSteps("a"));
        }
    }

    [Fact]
    public void WriteBatch_FileLeftOpenInsideAChunk_ReopenedCopyKeepsEveryStepAndGoesOn()
    {
        string copyPath = Path.Combine(_temp.Directory, "copy", "lrdoctor.db");
        using (var store = new LiteDbRunStore(_temp.DbPath))
        {
            store.SaveRun(NewRun("a"));
            store.SaveRun(NewRun("b"));
            for (long s = 0; s < 2800; s += 700)
            {
                store.WriteBatch([.. Steps("a", s, 700), .. Steps("b", s, 700)]);
            }

            // The files as a crash leaves them once LiteDB's background writer has caught up: the store was never closed.
            store.WaitForDisk();
            Directory.CreateDirectory(Path.GetDirectoryName(copyPath)!);
            foreach (string file in Directory.GetFiles(Path.GetDirectoryName(_temp.DbPath)!))
            {
                File.Copy(file, Path.Combine(Path.GetDirectoryName(copyPath)!, Path.GetFileName(file)));
            }
        }

        using var reopened = new LiteDbRunStore(copyPath);
        foreach (string run in new[] { "a", "b" })
        {
            Assert.Equal(Enumerable.Range(0, 2800).Select(i => (long)i), reopened.GetSteps(run, new StepQuery()).Select(s => s.Step));
            Assert.Equal(2799, reopened.GetRun(run)!.Step);
        }

        // Chunk 2 (2048..3071) was open with segments: the run goes on inside it and across into chunk 3.
        reopened.WriteBatch(Steps("a", 2800, 500));
        var steps = reopened.GetSteps("a", new StepQuery());
        Assert.Equal(Enumerable.Range(0, 3300).Select(i => (long)i), steps.Select(s => s.Step));
        Assert.Equal(Step(3071), steps[3071]);
        Assert.Equal(2800, reopened.CountSteps("b"));
    }

    [Fact]
    public void WriteBatch_EventsArtifactsAndCheckpoint_AreReadBack()
    {
        using var store = new LiteDbRunStore(_temp.DbPath);
        store.SaveRun(NewRun("a"));
        var finding = new RunEvent(12, EventKind.Finding, "spike", 5000) { Symptom = "spike", Data = new Dictionary<string, double> { ["ratio"] = 4.5 } };
        var cut = new RunEvent(13, EventKind.CutLr, "cut", 5001) { OldLr = 0.1, NewLr = 0.05 };
        store.WriteBatch([
            StoreWrite.ForEvent("a", finding),
            .. Steps("a", 0, 20),
            StoreWrite.ForCheckpoint("a", 19, "/ckpt/19.bin"),
            StoreWrite.ForEvent("a", cut),
            StoreWrite.ForArtifact("a", "lr_finder", """{"suggested":0.01}"""),
        ]);

        var events = store.GetEvents("a");
        var run = store.GetRun("a")!;

        Assert.Equal(2, events.Count);
        Assert.Equal("spike", events[0].Symptom);
        Assert.Equal(4.5, events[0].Data!["ratio"]);
        Assert.Equal(0.05, events[1].NewLr);
        Assert.Single(store.GetEvents("a", offset: 1));
        Assert.Equal("""{"suggested":0.01}""", store.GetArtifact("a", "lr_finder"));
        Assert.Null(store.GetArtifact("a", "other"));
        Assert.Equal("/ckpt/19.bin", run.CheckpointPath);
        Assert.Equal(19, run.CheckpointStep);
    }

    [Fact]
    public void ListRuns_PagesNewestFirstAndFiltersByState()
    {
        using var store = new LiteDbRunStore(_temp.DbPath);
        for (int i = 0; i < 5; i++)
        {
            store.SaveRun(NewRun("r" + i, created: 1000 + i, state: i % 2 == 0 ? RunState.Completed : RunState.Running));
        }

        Assert.Equal(["r4", "r3"], store.ListRuns(0, 2).Select(r => r.Id));
        Assert.Equal(["r2", "r1"], store.ListRuns(2, 2).Select(r => r.Id));
        Assert.Equal(["r3", "r1"], store.ListRuns(0, 10, RunState.Running).Select(r => r.Id));
        Assert.Equal(5, store.CountRuns());
        Assert.Equal(3, store.CountRuns(RunState.Completed));
    }

    [Fact]
    public void DeleteRun_RemovesStepsEventsAndArtifactsOfThatRunOnly()
    {
        using var store = new LiteDbRunStore(_temp.DbPath);
        store.SaveRun(NewRun("a"));
        store.SaveRun(NewRun("ab"));
        store.WriteBatch([.. Steps("a", 0, 1100), .. Steps("ab", 0, 10), StoreWrite.ForEvent("a", new RunEvent(1, EventKind.Finding, "x", 1)), StoreWrite.ForArtifact("a", "k", "{}")]);

        Assert.True(store.DeleteRun("a"));

        Assert.Null(store.GetRun("a"));
        Assert.Empty(store.GetSteps("a", new StepQuery()));
        Assert.Empty(store.GetEvents("a"));
        Assert.Null(store.GetArtifact("a", "k"));
        Assert.Equal(10, store.CountSteps("ab"));
        Assert.False(store.DeleteRun("a"));
    }
}
