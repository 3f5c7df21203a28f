using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Tests.Detectors;

public sealed class NanExplosionDetectorTests
{
    private static Finding? Feed(NanExplosionDetector detector, long step, double loss, double? grad = null) =>
        detector.Observe(new StepRecord(step, loss, GradNorm: grad));

    [Fact]
    public void Observe_NonFiniteGradNorm_ReportsImmediately()
    {
        var detector = new NanExplosionDetector(new DetectorOptions());
        Feed(detector, 0, 2.0, 1.0);

        var finding = Feed(detector, 1, 1.9, double.NaN);

        Assert.NotNull(finding);
        Assert.Equal(1, finding.OnsetStep);
        Assert.Equal(1, finding.DetectedStep);
    }

    [Fact]
    public void Observe_OngoingNaN_ReportsOncePerEpisode()
    {
        var detector = new NanExplosionDetector(new DetectorOptions());
        Feed(detector, 0, 2.0);
        int findings = 0;
        for (int t = 1; t < 20; t++)
        {
            findings += Feed(detector, t, double.NaN) is null ? 0 : 1;
        }

        Assert.Equal(1, findings);
        Assert.True(detector.IsActive);
    }

    [Fact]
    public void Observe_LossBackToNormal_ClearsTheEpisodeAndCanReportAgain()
    {
        var detector = new NanExplosionDetector(new DetectorOptions());
        Feed(detector, 0, 2.0);
        Assert.NotNull(Feed(detector, 1, double.NaN));
        for (int t = 2; t < 6; t++)
        {
            Feed(detector, t, 1.5);
        }

        Assert.False(detector.IsActive);
        Assert.NotNull(Feed(detector, 6, double.PositiveInfinity));
    }

    [Fact]
    public void Observe_LossBlowsUpFarAboveItsBest_ReportsWithinConfirmationsAndOnsetAtTheJump()
    {
        var options = new DetectorOptions();
        var detector = new NanExplosionDetector(options);
        long t = 0;
        for (; t < 200; t++)
        {
            Assert.Null(Feed(detector, t, 2.3 * Math.Exp(-t / 40.0)));
        }

        Finding? finding = null;
        long jump = t;
        for (int k = 0; k < options.ExplosionConfirmations; k++, t++)
        {
            finding ??= Feed(detector, t, 50.0 * (k + 1));
        }

        Assert.NotNull(finding);
        Assert.Equal(jump, finding.OnsetStep);
        Assert.Equal(jump + options.ExplosionConfirmations - 1, finding.DetectedStep);
        Assert.True(finding.Evidence["ratioToBest"] > 10);
    }

    [Fact]
    public void Observe_SingleHighBatch_IsNotAnExplosion()
    {
        var detector = new NanExplosionDetector(new DetectorOptions());
        for (int t = 0; t < 100; t++)
        {
            Feed(detector, t, 1.0 / (1 + t));
        }

        Assert.Null(Feed(detector, 100, 5.0));
        Assert.Null(Feed(detector, 101, 0.01));
        Assert.False(detector.IsActive);
    }

    [Fact]
    public void Observe_LossClimbingThreeTimesAboveItsStart_IsAnExplosionEvenWithoutProgress()
    {
        var detector = new NanExplosionDetector(new DetectorOptions());
        Feed(detector, 0, 4.4);
        Feed(detector, 1, 4.5);

        Finding? finding = null;
        for (int t = 2; t < 6 && finding is null; t++)
        {
            finding = Feed(detector, t, 20 + t);
        }

        Assert.NotNull(finding);
        Assert.Equal(2, finding.OnsetStep);
    }
    [Fact]
    public void Observe_WellFitRunWithHardBatches_IsNotABlowUp()
    {
        // A digits MLP near zero training loss: most batches ~0.002, a few hard batches in a row at 0.3
        // (150x the best level, but a small share of the 2.3 it started from).
        var detector = new NanExplosionDetector(new DetectorOptions());
        long t = 0;
        for (; t < 50; t++)
        {
            Feed(detector, t, 2.3 * Math.Exp(-t / 5.0) + 0.002);
        }

        for (; t < 400; t++)
        {
            double loss = t % 97 is 0 or 1 or 2 ? 0.3 : 0.002;
            Assert.Null(Feed(detector, t, loss));
        }

        // Giving back half of the progress three batches in a row is a blow-up.
        Assert.Null(Feed(detector, t++, 1.2));
        Assert.Null(Feed(detector, t++, 1.3));
        Assert.NotNull(Feed(detector, t, 1.4));
    }
}
