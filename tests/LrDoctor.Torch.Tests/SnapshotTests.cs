using LrDoctor.Core.Interventions;
using LrDoctor.Core.Runs;
using LrDoctor.Torch.Tests.Infrastructure;
using LrDoctor.Torch.Training;
using static TorchSharp.torch;

namespace LrDoctor.Torch.Tests;

public sealed class SnapshotTests
{
    private static float[][] Parameters(TrainingSetup setup) => [.. setup.Parameters.Select(p => p.data<float>().ToArray())];

    private static byte[] OptimizerState(TrainingSetup setup)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            setup.Optimizer.save_state_dict(writer);
        }

        return stream.ToArray();
    }

    private static void Train(TrainingSetup setup, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            setup.Optimizer.zero_grad();
            setup.BatchLoss(setup.Batches.Next()).backward();
            setup.Optimizer.step();
        }
    }

    [Theory]
    [InlineData("""{"type":"sgd","lr":0.1,"momentum":0.9}""")]
    [InlineData("""{"type":"adam","lr":0.001}""")]
    [InlineData("""{"type":"rmsprop","lr":0.001,"momentum":0.9}""")]
    public void Restore_OfTheUntrainedSnapshot_ClearsTheOptimizerStateAndTrainsLikeAFreshRun(string optimizer)
    {
        // The snapshot of step 0 holds no momentum or moment estimates yet; restoring it must drop the ones the blown-up
        // steps built, or the first steps after a rollback are pushed by the blow-up's momentum.
        using var rolledBack = TrainingSetup.Create(Jobs.DigitsMlp(optimizer));
        using var fresh = TrainingSetup.Create(Jobs.DigitsMlp(optimizer));
        using var snapshot = new Snapshot(rolledBack);
        snapshot.Capture(rolledBack, 0, null);
        rolledBack.SetLearningRate(10);
        Train(rolledBack, 3);
        snapshot.Restore(rolledBack);
        rolledBack.SetLearningRate(0.01);
        fresh.SetLearningRate(0.01);

        Train(rolledBack, 5);
        Train(fresh, 5);

        Assert.Equal(Parameters(fresh), Parameters(rolledBack));
        Assert.Equal(OptimizerState(fresh), OptimizerState(rolledBack));
    }

    [Theory]
    [InlineData("""{"type":"sgd","lr":0.1,"momentum":0.9}""")]
    [InlineData("""{"type":"adam","lr":0.001}""")]
    public void Restore_AfterMoreTraining_GivesBackParametersAndOptimizerStateBitForBit(string optimizer)
    {
        using var setup = TrainingSetup.Create(Jobs.DigitsMlp(optimizer));
        Train(setup, 5);
        using var snapshot = new Snapshot(setup);
        snapshot.Capture(setup, 5, 1.0);
        var parameters = Parameters(setup);
        var state = OptimizerState(setup);
        long position = setup.Batches.Position;

        Train(setup, 20);
        Assert.NotEqual(parameters[0], Parameters(setup)[0]);
        snapshot.Restore(setup);

        Assert.Equal(parameters, Parameters(setup));
        Assert.Equal(state, OptimizerState(setup));
        Assert.Equal(position, setup.Batches.Position);
    }

    [Fact]
    public void Ring_Full_KeepsTheBestSnapshotAndTheNewestAndRollsBackToTheBestPastDamagedOnes()
    {
        using var setup = TrainingSetup.Create(Jobs.DigitsMlp());
        using var ring = new SnapshotRing(setup, capacity: 3);
        Train(setup, 2);
        var best = Parameters(setup);
        ring.Take(100, 0.4);
        foreach (var (step, loss) in new[] { (200L, 0.9), (300L, 1.1), (400L, 1.5), (500L, 1.8) })
        {
            Train(setup, 2);
            ring.Take(step, loss);
        }

        Assert.Equal([100L, 400, 500], ring.Marks.Select(m => m.Step));
        int chosen = RollbackTarget.Choose(ring.Marks, onsetStep: 520, untrainedLoss: 2.3);
        Assert.Equal(100, ring.Marks[chosen].Step);
        ring.RollBackTo(100);
        Assert.Equal(best, Parameters(setup));
        Assert.Equal([100L], ring.Marks.Select(m => m.Step));
    }

    [Fact]
    public void DoctorRollback_WithItsRangeTest_RestoresTheUntrainedStateBitForBitAndTrainsAtTheChosenLr()
    {
        // 100x the good LR blows up at step 2; the rollback restores step 0 and ramps the LR over 38 batches from that
        // state to choose where to resume: the ramp's updates, data and RNG must all be undone.
        var sink = new RecordingSink();
        using var run = TrainingRun.Create(Jobs.HotTanh("auto"), sink, Jobs.Options);
        var untrained = Parameters(run.Setup);
        var untrainedState = OptimizerState(run.Setup);
        float[][]? afterRollback = null;
        byte[]? stateAfterRollback = null;
        long? positionAfterRollback = null;
        sink.OnEachEvent = e =>
        {
            if (e.Kind == EventKind.RollbackAndCut && afterRollback is null)
            {
                afterRollback = Parameters(run.Setup);
                stateAfterRollback = OptimizerState(run.Setup);
                positionAfterRollback = run.Setup.Batches.Position;
            }
        };

        run.Run(CancellationToken.None);

        var rollback = sink.Events.First(e => e.Kind == EventKind.RollbackAndCut);
        Assert.Equal(0, rollback.Data!["rolledBackToStep"]);
        Assert.True(rollback.Data["rangeTestBatches"] is > 10 and <= RollbackRangeTest.Batches, $"{rollback.Data["rangeTestBatches"]} batches");
        Assert.Equal(untrained, afterRollback);
        Assert.Equal(untrainedState, stateAfterRollback);
        Assert.Equal(0, positionAfterRollback);
        var next = sink.Steps.Last(r => r.Step == rollback.Step + 1);
        Assert.Equal(rollback.NewLr!.Value, next.Lr!.Value, 12);
    }

    [Fact]
    public void RollbackCommand_InARun_RestoresTheSnapshotParametersBitForBit()
    {
        var sink = new RecordingSink();
        using var run = TrainingRun.Create(Jobs.DigitsMlp(steps: 100), sink, Jobs.Options);
        float[][]? atSnapshot = null;
        float[][]? afterRollback = null;
        sink.OnEachStep = record =>
        {
            if (record.Step == 49)
            {
                // The record of step 49 arrives after its update: these are the weights the snapshot at step 50 holds.
                atSnapshot = Parameters(run.Setup);
            }
            else if (record.Step == 70)
            {
                run.Post(new RunCommand(RunCommandKind.RollbackAndCut, 0.5, "test"));
            }
        };
        sink.OnEachEvent = e =>
        {
            if (e.Kind == EventKind.RollbackAndCut)
            {
                afterRollback = Parameters(run.Setup);
            }
        };

        var summary = run.Run(CancellationToken.None);

        Assert.NotNull(atSnapshot);
        Assert.NotNull(afterRollback);
        Assert.Equal(atSnapshot, afterRollback);
        var rollback = Assert.Single(sink.Events, e => e.Kind == EventKind.RollbackAndCut);
        Assert.Equal(50, rollback.Data!["rolledBackToStep"]);
        Assert.Equal(0.05, rollback.NewLr!.Value, 15);
        Assert.Equal(RunState.Completed, summary.State);
        Assert.Equal(100, summary.Steps);
    }
}
