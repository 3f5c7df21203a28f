using LrDoctor.Core.LrFinder;

namespace LrDoctor.Core.Tests.LrFinder;

public sealed class LrRangeRecorderTests
{
    [Fact]
    public void Record_ConstantLoss_SmoothedLossIsThatConstantFromTheFirstBatch()
    {
        // Bias correction: an uncorrected average would start near (1 - 0.98) x 2.0 = 0.04.
        var recorder = new LrRangeRecorder(new LrFinderOptions());
        for (int i = 0; i < 10; i++)
        {
            recorder.Record(1e-3, 2.0);
        }

        Assert.All(recorder.Points, p => Assert.Equal(2.0, p.SmoothedLoss, 12));
    }

    [Fact]
    public void Record_Sequence_MatchesBiasCorrectedExponentialAverage()
    {
        var recorder = new LrRangeRecorder(new LrFinderOptions { Beta = 0.9 });
        double[] losses = [3.0, 1.0, 2.0];
        foreach (double loss in losses)
        {
            recorder.Record(0.1, loss);
        }

        double a1 = 0.1 * 3.0;
        double a2 = (0.9 * a1) + (0.1 * 1.0);
        double a3 = (0.9 * a2) + (0.1 * 2.0);
        Assert.Equal(3.0, recorder.Points[0].SmoothedLoss, 12);
        Assert.Equal(a2 / (1 - (0.9 * 0.9)), recorder.Points[1].SmoothedLoss, 12);
        Assert.Equal(a3 / (1 - (0.9 * 0.9 * 0.9)), recorder.Points[2].SmoothedLoss, 12);
    }

    [Fact]
    public void Record_SustainedBlowUp_StopsOnceSmoothedLossPassesFourTimesBest()
    {
        var recorder = new LrRangeRecorder(new LrFinderOptions());
        int batches = 0;
        double loss = 1.0;
        while (recorder.Record(1e-3, loss))
        {
            batches++;
            loss = batches < 20 ? 1.0 : loss * 1.5;
        }

        var last = recorder.Points[^1];
        double best = recorder.Points.Min(p => p.SmoothedLoss);
        Assert.Equal(LrFinderStopReasons.Diverged, recorder.StopReason);
        Assert.True(last.SmoothedLoss > 4 * best);
        Assert.True(recorder.Points[^2].SmoothedLoss <= 4 * best || recorder.Points[^4].Loss <= 4 * best);
        Assert.False(recorder.Record(1e-3, 1.0));
    }

    [Fact]
    public void Record_IsolatedEarlySpike_DoesNotStopTheTest()
    {
        var recorder = new LrRangeRecorder(new LrFinderOptions());
        double[] losses = [2.0, 2.1, 1.9, 50.0, 2.0, 2.0, 1.9, 2.1];

        bool goesOn = losses.All(loss => recorder.Record(1e-6, loss));

        Assert.True(goesOn);
        Assert.False(recorder.IsStopped);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Record_NonFiniteLoss_StopsAndKeepsOnlyTheFinitePrefix(double bad)
    {
        var recorder = new LrRangeRecorder(new LrFinderOptions());
        recorder.Record(1e-7, 2.0);
        recorder.Record(2e-7, 1.9);

        bool goesOn = recorder.Record(3e-7, bad);

        Assert.False(goesOn);
        Assert.Equal(2, recorder.Points.Count);
        Assert.Equal(LrFinderStopReasons.NonFinite, recorder.StopReason);
        Assert.True(recorder.Finish(0).StoppedEarly);
    }

    [Fact]
    public void Finish_AllStepsRecorded_IsNotStoppedEarly()
    {
        var options = new LrFinderOptions { Steps = 10 };
        var recorder = new LrRangeRecorder(options);
        for (int i = 0; i < options.Steps; i++)
        {
            recorder.Record(options.LrAt(i), 2.0 - (0.1 * i));
        }

        var result = recorder.Finish(0.25);

        Assert.False(result.StoppedEarly);
        Assert.Equal(LrFinderStopReasons.Completed, result.StopReason);
        Assert.Equal(0.25, result.Seconds);
    }
}
