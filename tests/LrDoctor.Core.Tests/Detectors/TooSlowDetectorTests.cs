using LrDoctor.Core.Detectors;
using LrDoctor.Core.Diagnosis;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Tests.Detectors;

public sealed class TooSlowDetectorTests
{
    private const double Lr = 1e-4;

    /// <summary>Feeds per-batch losses <paramref name="level"/>(t) with log-normal noise; returns the findings.</summary>
    private static List<Finding> Feed(TooSlowDetector detector, long from, int steps, Func<long, double> level, double noise = 0.05, int seed = 9, Func<long, double?>? lr = null)
    {
        var random = new Random(seed);
        var findings = new List<Finding>();
        for (long t = from; t < from + steps; t++)
        {
            double loss = level(t) * Math.Exp(noise * DetectorSuiteTests.Gaussian(random));
            if (detector.Observe(new StepRecord(t, loss, Lr: lr is null ? Lr : lr(t))) is { } f)
            {
                findings.Add(f);
            }
        }

        return findings;
    }

    /// <summary>An LR too low: the log-loss falls at one slow pace from the start, 63% over 3,000 steps.</summary>
    private static double SteadySlow(long t) => 2.3 * Math.Exp(-t / 3000.0);

    [Fact]
    public void Observe_SteadySlowDecrease_ReportsTooSlowFromTheFirstStep()
    {
        var detector = new TooSlowDetector(new DetectorOptions());

        var findings = Feed(detector, 0, 3000, SteadySlow);

        var finding = Assert.Single(findings);
        Assert.Equal(Symptoms.TooSlow, finding.Symptom);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(Remedies.TooSlow.Cause, finding.Cause);
        Assert.Equal(0, finding.OnsetStep);
        // Judged only after MinNoisyObservations (200) per-batch losses, and the shape must hold from n to 1.5 n.
        Assert.True(finding.DetectedStep >= 300, $"detected at {finding.DetectedStep}");
        Assert.True(detector.IsActive);
    }

    [Fact]
    public void Observe_SteadySlowDecrease_EvidenceComparesTheQuarters()
    {
        var findings = Feed(new TooSlowDetector(new DetectorOptions()), 0, 3000, SteadySlow);

        var evidence = Assert.Single(findings).Evidence;
        Assert.Equal(["fallSinceStart", "fastestQuarterFall", "lastQuarterFall", "lr", "recentLoss", "startLoss"], evidence.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(evidence["startLoss"], 2.2, 2.4);
        Assert.True(evidence["recentLoss"] < evidence["startLoss"], $"recent {evidence["recentLoss"]} not below start {evidence["startLoss"]}");
        Assert.InRange(evidence["fallSinceStart"], 0, 0.75);
        Assert.True(evidence["lastQuarterFall"] >= 0.8 * evidence["fastestQuarterFall"], $"last {evidence["lastQuarterFall"]}, fastest {evidence["fastestQuarterFall"]}");
        Assert.Equal(Lr, evidence["lr"]);
    }

    [Fact]
    public void Observe_FlatAtTheUntrainedLoss_ReportsTheFlatRemedy()
    {
        var findings = Feed(new TooSlowDetector(new DetectorOptions()), 0, 3000, _ => 2.3);

        var finding = Assert.Single(findings);
        Assert.Equal(Remedies.Flat.Cause, finding.Cause);
        Assert.Equal(0, finding.OnsetStep);
    }

    [Fact]
    public void Observe_FastThenSlowerDecrease_ReportsNothing()
    {
        // A tuned LR: a power law falls fast first and slower later.
        var findings = Feed(new TooSlowDetector(new DetectorOptions()), 0, 3000, t => 2.3 * Math.Pow(1 + (t / 10.0), -0.4));

        Assert.Empty(findings);
    }

    [Fact]
    public void Observe_NoisyFlatAtAConvergedLevel_ReportsNothing()
    {
        // Fell 200-fold in the first few hundred steps, then flat with large per-batch noise: flat, but converged.
        var findings = Feed(new TooSlowDetector(new DetectorOptions()), 0, 4000, t => 0.01 + (2.0 * Math.Exp(-t / 50.0)), noise: 0.3);

        Assert.Empty(findings);
    }

    [Fact]
    public void Observe_SteadyDecreaseThatCameFarBeforeItIsJudged_ReportsNothing()
    {
        // The same pace throughout, but 86% of the loss is gone by the 200th batch, when the trend is first judged:
        // that is progress, not a low LR.
        var findings = Feed(new TooSlowDetector(new DetectorOptions()), 0, 3000, t => 2.3 * Math.Exp(-t / 100.0));

        Assert.Empty(findings);
    }

    [Fact]
    public void ResetWithRunStart_AfterTheLrIsRaisedTheRegimeFallsFast_EndsTheEpisodeWithoutANewFinding()
    {
        var detector = new TooSlowDetector(new DetectorOptions());
        Assert.Single(Feed(detector, 0, 1500, SteadySlow));

        // The doctor raises the LR 3x: a new regime that falls fast and then slows down.
        detector.Reset(runStartLoss: 2.3);
        Assert.False(detector.IsActive);
        var findings = Feed(detector, 1500, 2000, t => 0.3 + (1.7 * Math.Pow(1 + ((t - 1500) / 10.0), -0.5)), seed: 10, lr: _ => 3 * Lr);

        Assert.Empty(findings);
        Assert.False(detector.IsActive);
    }

    [Fact]
    public void ResetWithRunStart_RegimeStillCrawlingFromTheUntrainedLoss_ReportsWithOnsetAtTheRegimeStart()
    {
        var detector = new TooSlowDetector(new DetectorOptions());
        detector.Reset(runStartLoss: 2.3);

        var findings = Feed(detector, 10_000, 2000, t => SteadySlow(t - 10_000), seed: 11);

        var finding = Assert.Single(findings);
        Assert.Equal(10_000, finding.OnsetStep);
        Assert.InRange(finding.Evidence["startLoss"], 2.29, 2.31);
    }
}
