using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Tests.Detectors;

public sealed class SpikeDetectorTests
{
    private static readonly DetectorOptions Options = new();

    /// <summary>Feeds a noisy decreasing loss; returns the findings and the detector.</summary>
    private static (List<Finding> Findings, SpikeDetector Detector) Run(Func<int, double, double> shape, int steps, double noise = 0.2)
    {
        var random = new Random(3);
        var detector = new SpikeDetector(Options);
        var findings = new List<Finding>();
        for (int t = 0; t < steps; t++)
        {
            double level = 2.0 * Math.Pow(1 + (t / 20.0), -0.5);
            double loss = shape(t, level * Math.Exp(noise * DetectorSuiteTests.Gaussian(random)));
            if (detector.Observe(new StepRecord(t, loss)) is { } f)
            {
                findings.Add(f);
            }
        }

        return (findings, detector);
    }

    [Fact]
    public void Observe_NoisyDecreasingLoss_ReportsNothing()
    {
        var (findings, _) = Run((_, loss) => loss, 5000);

        Assert.Empty(findings);
    }

    [Fact]
    public void Observe_JumpThatRecovers_ReportsOneSpikeAtItsOnsetAndClears()
    {
        var (findings, detector) = Run((t, loss) => t is >= 600 and < 610 ? loss * 8 : loss, 800);

        var finding = Assert.Single(findings);
        Assert.Equal(600, finding.OnsetStep);
        Assert.True(finding.Evidence["ratioToLevel"] > 4);
        Assert.False(detector.IsActive);
    }

    [Fact]
    public void Observe_TwoSeparateJumps_ReportsTwoEpisodes()
    {
        var (findings, _) = Run((t, loss) => t is >= 300 and < 303 || t is >= 700 and < 703 ? loss * 8 : loss, 900);

        Assert.Equal([300L, 700L], findings.Select(f => f.OnsetStep));
    }

    [Fact]
    public void Observe_SmallBumpOnSmoothCurve_IsNotASpike()
    {
        var (findings, _) = Run((t, loss) => t is >= 400 and < 405 ? loss * 1.3 : loss, 600, noise: 0.001);

        Assert.Empty(findings);
    }

    [Fact]
    public void Observe_JumpDuringGracePeriod_IsNotJudged()
    {
        var (findings, _) = Run((t, loss) => t == 5 ? loss * 20 : loss, 100);

        Assert.Empty(findings);
    }
}
