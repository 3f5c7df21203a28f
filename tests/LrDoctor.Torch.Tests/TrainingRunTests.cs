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

        Assert.Equal(RunStates.Completed, summary.State);
        Assert.Equal(300, summary.Steps);
        Assert.Equal(300, sink.Steps.Count);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), sink.Steps.Select(s => s.Step));
        Assert.True(summary.FinalValAccuracy > 0.9, $"accuracy {summary.FinalValAccuracy}");
        Assert.True(summary.FinalValLoss < 0.4, $"val loss {summary.FinalValLoss}");
        Assert.All(sink.Steps, s => Assert.True(s.GradNorm > 0 && s.StepSeconds > 0 && s.Lr == 0.1));
        Assert.Equal(6, sink.Steps.Count(s => s.ValLoss is not null));
        Assert.Empty(summary.Interventions);
    }
}
