using LrDoctor.Core.Detectors;
using LrDoctor.Core.Runs;
using LrDoctor.Torch.Tests.Infrastructure;

namespace LrDoctor.Torch.Tests;

public sealed class TrainingRunTests
{
    [Fact]
    public void Run_WellTunedDigitsMlp_CompletesWithHighValidationAccuracy()
    {
        var sink = new RecordingSink();
        using var run = TrainingRun.Create(Jobs.DigitsMlp(), sink, Jobs.Options);

        var summary = run.Run(CancellationToken.None);

        Assert.Equal(RunState.Completed, summary.State);
        Assert.Equal(300, summary.Steps);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), sink.Steps.Select(s => s.Step));
        Assert.True(summary.FinalValAccuracy > 0.9, $"accuracy {summary.FinalValAccuracy}");
        Assert.True(summary.FinalValLoss < 0.4, $"val loss {summary.FinalValLoss}");
        Assert.All(sink.Steps, s => Assert.True(s.StepSeconds > 0 && s.Lr == 0.1 && s.Momentum == 0.9));
        Assert.All(sink.Steps, s => Assert.Equal(s.Step % 10 == 0, s.GradNorm > 0));
        Assert.Equal(6, sink.Steps.Count(s => s.ValLoss is not null));
        Assert.Empty(summary.Interventions);
        Assert.Equal(EventKind.RunEnded, sink.Events[^1].Kind);
    }

    [Fact]
    public void Run_SameJobTwice_GivesIdenticalLosses()
    {
        var first = new RecordingSink();
        var second = new RecordingSink();
        using (var run = TrainingRun.Create(Jobs.DigitsMlp(steps: 60), first, Jobs.Options))
        {
            run.Run(CancellationToken.None);
        }

        using (var run = TrainingRun.Create(Jobs.DigitsMlp(steps: 60), second, Jobs.Options))
        {
            run.Run(CancellationToken.None);
        }

        Assert.Equal(first.Steps.Select(s => s.TrainLoss), second.Steps.Select(s => s.TrainLoss));
    }

    [Fact]
    public void Run_HotJobDoctorOff_DivergesToAFarWorseValidationLoss()
    {
        using var run = TrainingRun.Create(Jobs.HotTanh("off"), new RecordingSink(), Jobs.Options);

        var summary = run.Run(CancellationToken.None);

        Assert.True(summary.FinalValLoss > 10 || summary.State == RunState.Failed, $"val loss {summary.FinalValLoss}, state {summary.State}");
        Assert.Empty(summary.Interventions);
    }

    [Fact]
    public void Run_HotJobDoctorAuto_RollsBackCutsAndEndsHealthy()
    {
        var sink = new RecordingSink();
        using var run = TrainingRun.Create(Jobs.HotTanh("auto"), sink, Jobs.Options);

        var summary = run.Run(CancellationToken.None);

        Assert.Equal(RunState.Completed, summary.State);
        Assert.True(summary.FinalValLoss < 0.5, $"val loss {summary.FinalValLoss}");
        Assert.True(summary.FinalValAccuracy > 0.85, $"accuracy {summary.FinalValAccuracy}");
        Assert.NotEmpty(summary.Interventions);
        Assert.All(summary.Interventions, i =>
        {
            // The 10x cut is the ceiling; the range test from the restored snapshot may lower it by one more cut at most.
            Assert.Equal(EventKind.RollbackAndCut, i.Kind);
            Assert.InRange(i.NewLr, i.OldLr * 0.01 * (1 - 1e-12), i.OldLr * 0.1 * (1 + 1e-12));
            Assert.Contains("LR range test from the restored snapshot", i.Reason, StringComparison.Ordinal);
        });
        Assert.Contains(summary.Findings, f => f.Symptom == Symptoms.NanExplosion && f.Severity == Severity.Critical);
        Assert.Contains(sink.Events, e => e.Kind == EventKind.RollbackAndCut && e.Data!.ContainsKey("rolledBackToStep") && e.OldLr > e.NewLr);
        Assert.Contains(sink.Events, e => e.Kind == EventKind.Advice);
    }

    [Fact]
    public void Run_HotJobRetestOff_CutsByExactlyTheCutFactor()
    {
        var job = Jobs.HotTanh("auto") with { Doctor = Jobs.HotTanh("auto").Doctor with { RetestLr = false } };
        var sink = new RecordingSink();
        using var run = TrainingRun.Create(job, sink, Jobs.Options);

        var summary = run.Run(CancellationToken.None);

        Assert.NotEmpty(summary.Interventions);
        Assert.All(summary.Interventions, i => Assert.Equal(i.OldLr * 0.1, i.NewLr, 12));
        Assert.DoesNotContain(sink.Events, e => e.Data?.ContainsKey("rangeTestBatches") == true);
    }

    [Fact]
    public void Run_ThirtyTimesTheGoodLr_ResumesNearTheGoodLrInsteadOfThreeTimesIt()
    {
        // The 10x cut alone resumes this run at 0.3, stable but three times the good LR (0.1): it ends at 2.2x the good
        // run's validation loss. The range test from the untrained snapshot brings it back near 0.1.
        using var hot = TrainingRun.Create(Jobs.Tanh(3.0, "auto"), new RecordingSink(), Jobs.Options);
        using var good = TrainingRun.Create(Jobs.Tanh(0.1, "off"), new RecordingSink(), Jobs.Options);

        var rescued = hot.Run(CancellationToken.None);
        var reference = good.Run(CancellationToken.None);

        var rollback = Assert.Single(rescued.Interventions);
        Assert.InRange(rollback.NewLr, 0.05, 0.2);
        Assert.True(rescued.FinalValLoss <= 1.1 * reference.FinalValLoss, $"rescued {rescued.FinalValLoss}, good run {reference.FinalValLoss}");
    }

    [Fact]
    public void Run_HotLrDamagedTheNewestSnapshot_RollsBackToTheUntrainedOneAndEndsLikeTheGoodRun()
    {
        // Seed 3 at 10x the good LR: the loss bounces around the untrained level from step 12 on, the snapshot at step 50
        // holds that damaged model, and the blow-up is confirmed only after it (step 62-70, by machine). The 3,000-step job
        // of the rescue benchmark: at 300 steps the good run's own last-iterate noise exceeds 10% (bench/RESULTS.md).
        var sink = new RecordingSink();
        using var hot = TrainingRun.Create(Jobs.Tanh(1.0, "auto", seed: 3, steps: 3000), sink, Jobs.Options);
        using var good = TrainingRun.Create(Jobs.Tanh(0.1, "off", seed: 3, steps: 3000), new RecordingSink(), Jobs.Options);

        var rescued = hot.Run(CancellationToken.None);
        var reference = good.Run(CancellationToken.None);

        var rollback = Assert.Single(sink.Events, e => e.Kind == EventKind.RollbackAndCut);
        Assert.True(rollback.Step > 50, $"rollback at step {rollback.Step}");
        Assert.Equal(0, rollback.Data!["rolledBackToStep"]);
        Assert.Equal(1, rollback.Data!["skippedSnapshots"]);
        Assert.Contains("restored the snapshot of step 0, passing over 1 newer one", rollback.Reason, StringComparison.Ordinal);
        Assert.True(rescued.FinalValLoss <= 1.1 * reference.FinalValLoss, $"rescued {rescued.FinalValLoss}, good run {reference.FinalValLoss}");
    }

    [Fact]
    public void Run_MaxRollbacksZero_StopsAsFailedWithReason()
    {
        var job = Jobs.HotTanh("auto") with { Doctor = Jobs.HotTanh("auto").Doctor with { MaxRollbacks = 0 } };
        using var run = TrainingRun.Create(job, new RecordingSink(), Jobs.Options);

        var summary = run.Run(CancellationToken.None);

        Assert.Equal(RunState.Failed, summary.State);
        Assert.Contains("0 rollbacks", summary.FailureReason, StringComparison.Ordinal);
        Assert.True(summary.Steps < 300);
    }

    [Fact]
    public void Post_ScaleAndSetLr_ChangeTheLrOfLaterStepsAndAreEvents()
    {
        var sink = new RecordingSink();
        using var run = TrainingRun.Create(Jobs.DigitsMlp(steps: 40), sink, Jobs.Options);
        sink.OnEachStep = record =>
        {
            if (record.Step == 9)
            {
                run.Post(new RunCommand(RunCommandKind.ScaleLr, 0.5, "test scale"));
            }
            else if (record.Step == 19)
            {
                run.Post(new RunCommand(RunCommandKind.SetLr, 0.02, "test set"));
            }
        };

        var summary = run.Run(CancellationToken.None);

        Assert.Equal(0.1, sink.Steps[9].Lr);
        Assert.Equal(0.05, sink.Steps[10].Lr!.Value, 15);
        Assert.Equal(0.02, sink.Steps[20].Lr!.Value, 15);
        Assert.Equal(0.02, sink.Steps[39].Lr!.Value, 15);
        var events = sink.Events.Where(e => e.Kind == EventKind.SetLr).ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal(0.1, events[0].OldLr!.Value, 15);
        Assert.Equal(0.05, events[0].NewLr!.Value, 15);
        Assert.Contains("test set", events[1].Reason, StringComparison.Ordinal);
        Assert.Equal(2, summary.Interventions.Count);
    }

    [Fact]
    public void Post_Stop_EndsTheRunAsStopped()
    {
        var sink = new RecordingSink();
        using var run = TrainingRun.Create(Jobs.DigitsMlp(steps: 200), sink, Jobs.Options);
        sink.OnEachStep = record =>
        {
            if (record.Step == 24)
            {
                run.Post(new RunCommand(RunCommandKind.Stop, Reason: "user"));
            }
        };

        var summary = run.Run(CancellationToken.None);

        Assert.Equal(RunState.Stopped, summary.State);
        Assert.Equal(25, summary.Steps);
        Assert.Contains("user", summary.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Cancelled_WritesCheckpointAndReturnsInterrupted()
    {
        string directory = Path.Combine(Path.GetTempPath(), "lrdoctor-test-" + Guid.NewGuid().ToString("N"));
        using var cancel = new CancellationTokenSource();
        var sink = new RecordingSink { OnEachStep = record => { if (record.Step == 14) { cancel.Cancel(); } } };
        try
        {
            using var run = TrainingRun.Create(Jobs.DigitsMlp(steps: 100), sink, new TrainingRunOptions { Threads = 2, CheckpointDirectory = directory, RunId = "r1" });

            var summary = run.Run(cancel.Token);

            Assert.Equal(RunState.Interrupted, summary.State);
            Assert.Equal(15, summary.Steps);
            Assert.True(File.Exists(Path.Combine(directory, TrainingRun.CheckpointName("r1"))));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Run_WarmupCosineSchedule_TimesInterventionScale_IsTheRecordedLr()
    {
        var job = Jobs.DigitsMlp(steps: 100, extra: ""","schedule":{"type":"warmup_cosine","warmupSteps":10,"totalSteps":100},"doctor":{"mode":"advise"}""");
        var schedule = Core.Schedules.ScheduleFactory.Create(job.Schedule!.Value, 0.1);
        var sink = new RecordingSink();
        using var run = TrainingRun.Create(job, sink, Jobs.Options);
        sink.OnEachStep = r =>
        {
            if (r.Step == 49)
            {
                run.Post(new RunCommand(RunCommandKind.ScaleLr, 0.5, "halve"));
            }
        };

        run.Run(CancellationToken.None);

        for (int t = 0; t < 100; t++)
        {
            double scale = t < 50 ? 1.0 : 0.5;
            Assert.Equal(schedule.LearningRate(t) * scale, sink.Steps[t].Lr!.Value, 14);
        }
    }

    [Fact]
    public void Run_OneCycleWithMomentumCycling_SetsTheOptimizerMomentum()
    {
        var job = Jobs.DigitsMlp(steps: 50, extra: ""","schedule":{"type":"onecycle","maxLr":0.2,"totalSteps":50}""");
        var schedule = Core.Schedules.ScheduleFactory.Create(job.Schedule!.Value, 0.1);
        var sink = new RecordingSink();
        using var run = TrainingRun.Create(job, sink, Jobs.Options);

        run.Run(CancellationToken.None);

        Assert.Equal(schedule.Momentum(0), sink.Steps[0].Momentum);
        Assert.Equal(schedule.Momentum(20), sink.Steps[20].Momentum);
        Assert.NotEqual(sink.Steps[0].Momentum, sink.Steps[20].Momentum);
    }

    [Fact]
    public void Run_PlateauOnValidationLoss_ReducesTheScaleWithPyTorchSemanticsAndRecordsIt()
    {
        // A 50% relative threshold makes almost every evaluation "no improvement": with patience 1 the LR halves every 2 evaluations.
        var job = Jobs.DigitsMlp(steps: 100, extra: ""","evalEvery":10,"doctor":{"plateau":{"factor":0.5,"patience":1,"threshold":0.5}}""");
        var sink = new RecordingSink();
        using var run = TrainingRun.Create(job, sink, Jobs.Options);

        var summary = run.Run(CancellationToken.None);

        var reductions = summary.Interventions.Where(i => i.Kind == EventKind.ReduceOnPlateau).ToList();
        Assert.NotEmpty(reductions);
        Assert.All(reductions, r => Assert.Equal(r.OldLr * 0.5, r.NewLr, 15));
        var first = reductions[0];
        Assert.Equal(first.NewLr, sink.Steps[(int)first.Step + 1].Lr!.Value, 15);
        Assert.Contains("validation loss", first.Reason, StringComparison.Ordinal);
        double expected = summary.Interventions.Where(i => i.Step < 99).Aggregate(0.1, (lr, i) => lr * i.NewLr / i.OldLr);
        Assert.Equal(expected, sink.Steps[^1].Lr!.Value, 12);
    }
}
