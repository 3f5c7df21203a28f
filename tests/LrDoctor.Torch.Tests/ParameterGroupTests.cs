using LrDoctor.Core;
using LrDoctor.Core.Runs;
using LrDoctor.Torch.Tests.Infrastructure;
using LrDoctor.Torch.Training;
using static TorchSharp.torch;

namespace LrDoctor.Torch.Tests;

public sealed class ParameterGroupTests
{
    private const string GroupedSgd = """{"type":"sgd","lr":0.1,"paramGroups":[{"pattern":"*.bias","lrMultiplier":0.5}],"layerDecay":0.5}""";

    [Fact]
    public void Plan_PatternAndLayerDecay_GiveMultipliersOfPatternTimesGammaPowerDepth()
    {
        using var setup = TrainingSetup.Create(Jobs.DigitsMlp(GroupedSgd, model: """{"type":"mlp","layers":[32,16]}"""));

        var byName = setup.Groups.SelectMany(g => g.ParameterNames.Select(n => (n, g.LrMultiplier))).ToDictionary(x => x.n, x => x.LrMultiplier);

        Assert.Equal(1.0, byName["layers.2.weight"]);
        Assert.Equal(0.5, byName["layers.1.weight"]);
        Assert.Equal(0.25, byName["layers.0.weight"]);
        Assert.Equal(0.5, byName["layers.2.bias"]);
        Assert.Equal(0.125, byName["layers.0.bias"]);
        Assert.Equal(1.0, setup.Groups[0].LrMultiplier);
    }

    [Fact]
    public void Step_GroupLrs_AreWhatTheOptimizerAppliesToEachParameter()
    {
        // Plain SGD moves each parameter by -lr_group * grad: recover lr_group from the update and compare.
        using var setup = TrainingSetup.Create(Jobs.DigitsMlp(GroupedSgd, model: """{"type":"mlp","layers":[32,16]}"""));
        setup.SetLearningRate(0.2);
        using var scope = NewDisposeScope();
        setup.Optimizer.zero_grad();
        setup.BatchLoss(setup.Batches.Next()).backward();
        var before = setup.Parameters.Select(p => p.detach().clone()).ToList();
        var grads = setup.Parameters.Select(p => p.grad!.clone()).ToList();
        setup.Optimizer.step();

        int index = 0;
        foreach (var group in setup.Groups)
        {
            foreach (var _ in group.Parameters)
            {
                var delta = before[index].sub(setup.Parameters[index]);
                double applied = delta.abs().sum().item<float>() / grads[index].abs().sum().item<float>();
                Assert.Equal(0.2 * group.LrMultiplier, applied, 4);
                index++;
            }
        }
    }

    [Fact]
    public void Run_GroupLrsInRecords_FollowScheduleTimesScaleTimesMultiplier()
    {
        var sink = new RecordingSink();
        using var run = TrainingRun.Create(Jobs.DigitsMlp(GroupedSgd, steps: 20), sink, Jobs.Options);
        sink.OnEachStep = r =>
        {
            if (r.Step == 9)
            {
                run.Post(new RunCommand(RunCommandKind.ScaleLr, 0.1));
            }
        };

        run.Run(CancellationToken.None);

        double[] multipliers = [.. run.Setup.Groups.Select(g => g.LrMultiplier)];
        Assert.Equal(multipliers.Select(m => 0.1 * m), sink.Steps[0].GroupLrs!);
        Assert.Equal(multipliers.Select(m => 0.01 * m), sink.Steps[15].GroupLrs!.Select(x => Math.Round(x, 15)), new RoundedComparer());
        Assert.Equal(sink.Steps[15].GroupLrs!, run.Setup.GroupLearningRates());
    }

    [Fact]
    public void Create_PatternMatchingNothing_NamesTheGroupAndListsParameters()
    {
        var e = Assert.Throws<SpecException>(() => TrainingSetup.Create(Jobs.DigitsMlp("""{"type":"sgd","lr":0.1,"paramGroups":[{"pattern":"encoder.*"}]}""")));

        Assert.Equal("optimizer.paramGroups[0].pattern", e.Field);
        Assert.Contains("layers.0.weight", e.Message, StringComparison.Ordinal);
    }

    private sealed class RoundedComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= 1e-12 * Math.Max(1, Math.Abs(x));

        public int GetHashCode(double obj) => 0;
    }
}
