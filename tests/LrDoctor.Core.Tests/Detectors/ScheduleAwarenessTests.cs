using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Tests.Detectors;

/// <summary>Plateau and too-slow read the LR column: a schedule that is decaying or warming up explains a flat or slow loss.</summary>
public sealed class ScheduleAwarenessTests
{
    private static List<Finding> Run(ISymptomDetector detector, int steps, Func<int, double> loss, Func<int, double?> lr)
    {
        var random = new Random(11);
        var findings = new List<Finding>();
        for (int t = 0; t < steps; t++)
        {
            double noisy = loss(t) * Math.Exp(0.05 * DetectorSuiteTests.Gaussian(random));
            if (detector.Observe(new StepRecord(t, noisy, Lr: lr(t))) is { } f)
            {
                findings.Add(f);
            }
        }

        return findings;
    }

    private static double FastThenFlat(int t) => 1.0 + (3.0 * Math.Exp(-t / 100.0));

    [Fact]
    public void Plateau_FlatLossUnderConstantLr_IsReportedNearWhereItFlattened()
    {
        var findings = Run(new PlateauDetector(new DetectorOptions()), 3000, FastThenFlat, _ => 0.01);

        var finding = Assert.Single(findings);
        Assert.InRange(finding.OnsetStep, 200, 800);
    }

    [Fact]
    public void Plateau_FlatLossWithoutLrColumn_IsReported()
    {
        var findings = Run(new PlateauDetector(new DetectorOptions()), 3000, FastThenFlat, _ => null);

        Assert.Single(findings);
    }

    [Fact]
    public void Plateau_FlatLossWhileCosineDecaysTheLr_IsNotAProblem()
    {
        var findings = Run(new PlateauDetector(new DetectorOptions()), 3000, FastThenFlat, t => 0.01 * 0.5 * (1 + Math.Cos(Math.PI * t / 3000)));

        Assert.Empty(findings);
    }

    [Fact]
    public void Plateau_LossThatNeverFell_IsNotAPlateau()
    {
        var findings = Run(new PlateauDetector(new DetectorOptions()), 3000, _ => 2.3, _ => 0.01);

        Assert.Empty(findings);
    }

    [Fact]
    public void TooSlow_LossThatNeverFell_IsReportedFromTheStart()
    {
        var findings = Run(new TooSlowDetector(new DetectorOptions()), 3000, t => 2.3 - (t * 1e-5), _ => 1e-5);

        var finding = Assert.Single(findings);
        Assert.Equal(0, finding.OnsetStep);
    }

    [Fact]
    public void TooSlow_SteadyLinearDecrease_IsReported()
    {
        var findings = Run(new TooSlowDetector(new DetectorOptions()), 3000, t => 2.3 - (t * 2e-4), _ => 1e-4);

        Assert.Single(findings);
    }

    [Fact]
    public void TooSlow_FastThenSlowerDecrease_IsHealthy()
    {
        var findings = Run(new TooSlowDetector(new DetectorOptions()), 3000, t => 2.3 * Math.Pow(1 + (t / 10.0), -0.4), _ => 0.1);

        Assert.Empty(findings);
    }

    [Fact]
    public void TooSlow_PowerLawAfterLongWarmupAtConstantLr_IsHealthy()
    {
        // A language model's loss: a power law in the LR-weighted step count, the LR warming up over the first quarter.
        static double Lr(int t) => Math.Min(1.0, (t + 1) / 750.0);
        var progress = new double[3000];
        for (int t = 1; t < progress.Length; t++)
        {
            progress[t] = progress[t - 1] + Lr(t);
        }

        var findings = Run(new TooSlowDetector(new DetectorOptions()), 3000, t => 10 * Math.Pow(1 + (progress[t] / 50), -0.3), t => 3e-4 * Lr(t));

        Assert.Empty(findings);
    }

    [Fact]
    public void TooSlow_SlowLossDuringLongWarmup_IsNotJudged()
    {
        var findings = Run(new TooSlowDetector(new DetectorOptions()), 2000, t => 2.3 - (t * 1e-5), t => 1e-3 * (t + 1) / 2000);

        Assert.Empty(findings);
    }
}
