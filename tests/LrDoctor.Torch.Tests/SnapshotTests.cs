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
            if (e.Kind == EventKinds.RollbackAndCut)
            {
                afterRollback = Parameters(run.Setup);
            }
        };

        var summary = run.Run(CancellationToken.None);

        Assert.NotNull(atSnapshot);
        Assert.NotNull(afterRollback);
        Assert.Equal(atSnapshot, afterRollback);
        var rollback = Assert.Single(sink.Events, e => e.Kind == EventKinds.RollbackAndCut);
        Assert.Equal(50, rollback.Data!["rolledBackToStep"]);
        Assert.Equal(0.05, rollback.NewLr!.Value, 15);
        Assert.Equal(RunStates.Completed, summary.State);
        Assert.Equal(100, summary.Steps);
    }
}
