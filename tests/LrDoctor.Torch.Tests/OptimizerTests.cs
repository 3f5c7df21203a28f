using LrDoctor.Core.Runs;
using LrDoctor.Torch.Tests.Infrastructure;

namespace LrDoctor.Torch.Tests;

public sealed class OptimizerTests
{
    [Theory]
    [InlineData("""{"type":"sgd","lr":0.1,"momentum":0.9,"nesterov":true,"weightDecay":1e-4}""")]
    [InlineData("""{"type":"adam","lr":0.003}""")]
    [InlineData("""{"type":"adamw","lr":0.003,"weightDecay":0.05}""")]
    [InlineData("""{"type":"rmsprop","lr":0.001,"momentum":0.5}""")]
    [InlineData("""{"type":"adagrad","lr":0.05}""")]
    [InlineData("""{"type":"adadelta","lr":1.0}""")]
    [InlineData("""{"type":"adamax","lr":0.005}""")]
    [InlineData("""{"type":"nadam","lr":0.003}""")]
    [InlineData("""{"type":"radam","lr":0.01}""")]
    public void Run_EveryOptimizerWithAWeightDecayGroup_LearnsDigits(string optimizer)
    {
        string withGroup = optimizer.TrimEnd('}') + ""","paramGroups":[{"pattern":"*.bias","lrMultiplier":2,"weightDecay":0}]}""";
        var sink = new RecordingSink();
        using var run = TrainingRun.Create(Jobs.DigitsMlp(withGroup, steps: 150, extra: ""","doctor":{"mode":"off"}"""), sink, Jobs.Options);

        var summary = run.Run(CancellationToken.None);

        Assert.Equal(RunState.Completed, summary.State);
        Assert.True(summary.FinalValAccuracy > 0.8, $"{optimizer}: accuracy {summary.FinalValAccuracy}");
        Assert.Equal(2, sink.Steps[0].GroupLrs!.Length);
        Assert.Equal(2 * sink.Steps[0].GroupLrs![0], sink.Steps[0].GroupLrs![1], 15);
    }

    [Theory]
    [InlineData("""{"type":"adam","lr":0.003,"betas":[0.8,0.99]}""", 0.8)]
    [InlineData("""{"type":"sgd","lr":0.1,"momentum":0.7}""", 0.7)]
    [InlineData("""{"type":"adagrad","lr":0.05}""", null)]
    public void Run_Records_MomentumOrBeta1WhereTheOptimizerHasOne(string optimizer, double? momentum)
    {
        var sink = new RecordingSink();
        using var run = TrainingRun.Create(Jobs.DigitsMlp(optimizer, steps: 3), sink, Jobs.Options);

        run.Run(CancellationToken.None);

        Assert.All(sink.Steps, s => Assert.Equal(momentum, s.Momentum));
    }

    [Fact]
    public void Run_GradClip_RecordsTheNormBeforeClipping()
    {
        var clipped = new RecordingSink();
        var free = new RecordingSink();
        using (var run = TrainingRun.Create(Jobs.DigitsMlp(steps: 1, extra: ""","gradClip":0.01"""), clipped, Jobs.Options))
        {
            run.Run(CancellationToken.None);
        }

        using (var run = TrainingRun.Create(Jobs.DigitsMlp(steps: 1), free, Jobs.Options))
        {
            run.Run(CancellationToken.None);
        }

        Assert.True(clipped.Steps[0].GradNorm > 0.01);
        Assert.Equal(free.Steps[0].GradNorm!.Value, clipped.Steps[0].GradNorm!.Value, 4);
    }
}
