using LrDoctor.Core.Detectors;
using LrDoctor.Core.Diagnosis;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Tests.Detectors;

public sealed class PlateauDetectorTests
{
    private const double Lr = 0.01;

    /// <summary>Feeds per-batch losses <paramref name="level"/>(t) with log-normal noise at a constant LR; returns the findings.</summary>
    private static List<Finding> Feed(PlateauDetector detector, long from, int steps, Func<long, double> level, double noise = 0.05, int seed = 5, Func<long, double?>? lr = null)
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

    /// <summary>From 4.0 down to 1.0 in about 500 steps, then flat at 1.0.</summary>
    private static double FallThenFlat(long t) => 1.0 + (3.0 * Math.Exp(-t / 100.0));

    [Fact]
    public void Observe_FallThenFlatAtConstantLr_ReportsOnePlateauFromWhereTheCurveFlattened()
    {
        var detector = new PlateauDetector(new DetectorOptions());

        var findings = Feed(detector, 0, 3000, FallThenFlat);

        var finding = Assert.Single(findings);
        Assert.Equal(Symptoms.Plateau, finding.Symptom);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(Remedies.Plateau.Cause, finding.Cause);
        // 3 e^(-t/100) is under the 5% noise from t = 400 on; the onset lies where the curve entered the flat band.
        Assert.InRange(finding.OnsetStep, 250, 800);
        Assert.True(finding.DetectedStep > finding.OnsetStep, $"detected at {finding.DetectedStep}, onset {finding.OnsetStep}");
        Assert.True(detector.IsActive);
    }

    [Fact]
    public void Observe_FallThenFlat_EvidenceGivesTheLevelsTheStallAndTheLr()
    {
        var findings = Feed(new PlateauDetector(new DetectorOptions()), 0, 3000, FallThenFlat);

        var evidence = Assert.Single(findings).Evidence;
        Assert.Equal(["bestEarlierLoss", "lr", "peakLr", "plateauLoss", "startLoss", "stepsWithoutProgress"], evidence.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(evidence["startLoss"], 3.6, 4.4);
        Assert.InRange(evidence["plateauLoss"], 0.95, 1.05);
        Assert.InRange(evidence["bestEarlierLoss"], 0.95, 1.05);
        // Patience is a quarter of the run so far: at least MinWindow blocks of it without a 1% improvement.
        Assert.True(evidence["stepsWithoutProgress"] > 0, $"stepsWithoutProgress {evidence["stepsWithoutProgress"]}");
        Assert.Equal(Lr, evidence["lr"]);
        Assert.Equal(Lr, evidence["peakLr"]);
    }

    [Fact]
    public void Observe_NoisyFlatAtAConvergedLevel_ReportsNothing()
    {
        // The loss fell 200-fold (a fitted model) and then lies flat with large per-batch noise.
        var findings = Feed(new PlateauDetector(new DetectorOptions()), 0, 4000, t => 0.01 + (2.0 * Math.Exp(-t / 50.0)), noise: 0.3);

        Assert.Empty(findings);
    }

    [Fact]
    public void Observe_SteadilyFallingLoss_ReportsNothing()
    {
        // A power law: the fall slows down but never stops (about 11% over the last quarter).
        var findings = Feed(new PlateauDetector(new DetectorOptions()), 0, 3000, t => 2.3 * Math.Pow(1 + (t / 10.0), -0.4));

        Assert.Empty(findings);
    }

    [Fact]
    public void Observe_PlateauThatBreaksDownward_EndsTheEpisodeWithoutASecondFinding()
    {
        var detector = new PlateauDetector(new DetectorOptions());
        var first = Feed(detector, 0, 3000, FallThenFlat);
        Assert.Single(first);

        // The loss leaves the plateau for a much lower level (as after an LR decay that the log does not show).
        var after = Feed(detector, 3000, 3000, t => 0.5 + (0.5 * Math.Exp(-(t - 3000) / 100.0)), seed: 6);

        Assert.False(detector.IsActive);
        Assert.All(after, f => Assert.True(f.OnsetStep >= 3000, $"second finding with onset {f.OnsetStep} before the break"));
    }

    [Fact]
    public void ResetWithRunStart_AfterAnLrCutTheNewRegimeFallsAgain_ReportsNothingNew()
    {
        var detector = new PlateauDetector(new DetectorOptions());
        Assert.Single(Feed(detector, 0, 3000, FallThenFlat));

        // Reduce-on-plateau cuts the LR 10x: a new regime, which falls from the plateau to a lower level.
        detector.Reset(runStartLoss: 4.0);
        Assert.False(detector.IsActive);
        var findings = Feed(detector, 3000, 600, t => 0.6 + (0.4 * Math.Exp(-(t - 3000) / 150.0)), seed: 7, lr: _ => Lr / 10);

        Assert.Empty(findings);
        Assert.False(detector.IsActive);
    }

    [Fact]
    public void ResetWithRunStart_LateRegimeFlatAtTheLevelItReached_IsAPlateauWithOnsetInTheRegime()
    {
        var detector = new PlateauDetector(new DetectorOptions());
        detector.Reset(runStartLoss: 4.0);

        // A rollback at step 5,000 to a model at 1.0 (the run started at 4.0) that then makes no progress.
        var findings = Feed(detector, 5_000, 2_000, _ => 1.0, seed: 8);

        var finding = Assert.Single(findings);
        Assert.InRange(finding.OnsetStep, 5_000, 7_000);
        Assert.InRange(finding.Evidence["startLoss"], 3.99, 4.01);
    }

    [Fact]
    public void PlainReset_LateRegimeFlatAtTheLevelItReached_HasNoProgressToJudge()
    {
        var detector = new PlateauDetector(new DetectorOptions());
        detector.Reset();

        // Without the run's start the regime's own first losses are the start, and a flat curve never progressed.
        var findings = Feed(detector, 5_000, 2_000, _ => 1.0, seed: 8);

        Assert.Empty(findings);
    }
}
