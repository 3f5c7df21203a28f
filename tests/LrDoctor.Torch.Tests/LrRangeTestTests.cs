using LrDoctor.Core.Jobs;
using LrDoctor.Core.LrFinder;
using LrDoctor.Torch.Tests.Infrastructure;
using LrDoctor.Torch.Training;
using static TorchSharp.torch;

namespace LrDoctor.Torch.Tests;

public sealed class LrRangeTestTests
{
    private const string Adam = """{"type":"adam","lr":0.001}""";

    public LrRangeTestTests()
    {
        set_num_threads(2);
    }

    [Fact]
    public void Run_AdamAfterSomeTraining_RestoresParametersAndOptimizerStateBitForBit()
    {
        using var setup = TrainingSetup.Create(Jobs.DigitsMlp(Adam));
        Train(setup, 5);
        var parametersBefore = setup.Parameters.Select(p => p.detach().clone()).ToArray();
        byte[] optimizerBefore = OptimizerState(setup);
        double[] lrsBefore = setup.GroupLearningRates();
        long positionBefore = setup.Batches.Position;

        var result = LrRangeTest.Run(setup, new LrFinderOptions { Steps = 60 });

        Assert.True(result.Points.Count > 10);
        for (int i = 0; i < parametersBefore.Length; i++)
        {
            Assert.True(BitEqual(parametersBefore[i], setup.Parameters[i]), $"parameter {i} differs after the range test");
        }

        Assert.Equal(optimizerBefore, OptimizerState(setup));
        Assert.Equal(lrsBefore, setup.GroupLearningRates());
        Assert.Equal(positionBefore, setup.Batches.Position);
    }

    [Fact]
    public void Run_ThenTrain_GivesExactlyTheLossesOfTrainingWithoutTheTest()
    {
        // Dropout draws from libtorch's generator: the test must put the generator back too.
        using var plain = TrainingSetup.Create(DigitsMlpWithDropout());
        manual_seed(11);
        float[] expected = Train(plain, 8);

        using var tested = TrainingSetup.Create(DigitsMlpWithDropout());
        manual_seed(11);
        LrRangeTest.Run(tested, new LrFinderOptions { Steps = 40 });
        float[] actual = Train(tested, 8);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Run_SgdUpToAHugeLr_StopsAtTheBlowUpAndKeepsOnlyFiniteLosses()
    {
        using var setup = TrainingSetup.Create(Jobs.DigitsMlp("""{"type":"sgd","lr":0.1}"""));
        var parametersBefore = setup.Parameters.Select(p => p.detach().clone()).ToArray();

        var result = LrRangeTest.Run(setup, new LrFinderOptions { MinLr = 1e-4, MaxLr = 1e6, Steps = 80 });

        Assert.True(result.StoppedEarly);
        Assert.Contains(result.StopReason, new[] { LrFinderStopReasons.Diverged, LrFinderStopReasons.NonFinite });
        Assert.All(result.Points, p => Assert.True(double.IsFinite(p.Loss) && double.IsFinite(p.SmoothedLoss)));
        Assert.NotNull(result.DivergenceLr);
        Assert.True(result.Recommended is null || result.Recommended < result.DivergenceLr);
        Assert.All(setup.Parameters, p => Assert.True(p.isfinite().all().item<bool>()));
        Assert.True(parametersBefore.Zip(setup.Parameters).All(pair => BitEqual(pair.First, pair.Second)));
    }

    [Fact]
    public void Run_DigitsMlpWithSgd_RecommendsAnLrThatTrainsWell()
    {
        var result = LrRangeTest.Run(Jobs.DigitsMlp("""{"type":"sgd","lr":0.1,"momentum":0.9}"""), new LrFinderOptions());

        Assert.NotNull(result.Recommended);
        Assert.InRange(result.Recommended!.Value, 1e-3, 1.0);
        Assert.True(result.Recommended < result.DivergenceLr);
        Assert.InRange(result.Points.Count, 20, 100);
    }

    private static JobSpec DigitsMlpWithDropout() => JobSpec.Parse("""
        {"name":"digits-mlp-dropout","model":{"type":"mlp","layers":[64],"dropout":0.3},"data":{"type":"digits"},
         "optimizer":{"type":"sgd","lr":0.05,"momentum":0.9},"steps":100,"batchSize":32,"seed":1}
        """);

    private static float[] Train(TrainingSetup setup, int steps)
    {
        setup.Model.train();
        var losses = new float[steps];
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            setup.Optimizer.zero_grad();
            var loss = setup.BatchLoss(setup.Batches.Next());
            losses[i] = loss.item<float>();
            loss.backward();
            setup.Optimizer.step();
        }

        return losses;
    }

    private static bool BitEqual(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape)
        && a.data<float>().ToArray().Select(BitConverter.SingleToInt32Bits).SequenceEqual(b.data<float>().ToArray().Select(BitConverter.SingleToInt32Bits));

    private static byte[] OptimizerState(TrainingSetup setup)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            setup.Optimizer.save_state_dict(writer);
        }

        return stream.ToArray();
    }
}
