using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Tests.Detectors;

/// <summary>After a rollback or an LR change the engine resets the detectors, anchored at the run's untrained loss.</summary>
public sealed class RegimeResetTests
{
    private const double Untrained = 2.3;

    /// <summary>A regime that starts late in a run: per-batch losses around <paramref name="level"/>, log-normal noise.</summary>
    private static List<Finding> FeedRegime(DetectorSuite suite, long from, int steps, double level, double noise, int seed)
    {
        var random = new Random(seed);
        var findings = new List<Finding>();
        for (long t = from; t < from + steps; t++)
        {
            double z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            suite.Observe(new StepRecord(t, level * Math.Exp(noise * z), Lr: 0.01), findings);
        }

        return findings;
    }

    [Fact]
    public void ResetWithRunStart_HardBatchesOfAWellFittedModel_AreNotABlowUp()
    {
        var anchored = DetectorSuite.CreateDefault();
        var plain = DetectorSuite.CreateDefault();
        anchored.Reset(Untrained);
        plain.Reset();
        var findingsAnchored = new List<Finding>();
        var findingsPlain = new List<Finding>();
        double[] losses = [0.01, 0.012, 0.009, 0.011, 0.01, 0.4, 0.35, 0.5, 0.01, 0.012];
        for (int i = 0; i < losses.Length; i++)
        {
            anchored.Observe(new StepRecord(5_000 + i, losses[i]), findingsAnchored);
            plain.Observe(new StepRecord(5_000 + i, losses[i]), findingsPlain);
        }

        Assert.DoesNotContain(findingsAnchored, f => f.Symptom == Symptoms.NanExplosion);
        // Without the run's start the regime's own first loss is the reference, and three hard batches read as a blow-up.
        Assert.Contains(findingsPlain, f => f.Symptom == Symptoms.NanExplosion);
    }

    [Fact]
    public void ResetWithRunStart_ConvergedFlatRegime_IsNotTooSlow()
    {
        var suite = DetectorSuite.CreateDefault();
        suite.Reset(Untrained);

        var findings = FeedRegime(suite, 10_000, 1_500, level: 0.05, noise: 0.05, seed: 1);

        Assert.DoesNotContain(findings, f => f.Symptom == Symptoms.TooSlow);
    }

    [Fact]
    public void ResetWithRunStart_RegimeFlatAtTheUntrainedLoss_IsTooSlow()
    {
        var suite = DetectorSuite.CreateDefault();
        suite.Reset(Untrained);

        var findings = FeedRegime(suite, 10_000, 1_500, level: Untrained, noise: 0.05, seed: 2);

        Assert.Contains(findings, f => f.Symptom == Symptoms.TooSlow);
    }

    [Fact]
    public void ResetWithRunStart_ConvergedRegimeClimbingFourfold_IsNotOscillation()
    {
        // After two reduce-on-plateau cuts a digits MLP's training loss lay at 0.0006, then drifted to 0.003: 4x on the
        // log scale, 0.1% of the way back to the untrained loss.
        var anchored = DetectorSuite.CreateDefault();
        var plain = DetectorSuite.CreateDefault();
        anchored.Reset(Untrained);
        plain.Reset();

        static List<Finding> ConvergedThenDrifting(DetectorSuite suite) =>
            [.. FeedRegime(suite, 2_400, 600, level: 0.0006, noise: 0.3, seed: 3), .. FeedRegime(suite, 3_000, 400, level: 0.003, noise: 0.3, seed: 4)];

        var findingsAnchored = ConvergedThenDrifting(anchored);
        var findingsPlain = ConvergedThenDrifting(plain);

        Assert.DoesNotContain(findingsAnchored, f => f.Symptom == Symptoms.Oscillation);
        // Measured from the regime's own first losses, the climb gives back all of the regime's progress.
        Assert.Contains(findingsPlain, f => f.Symptom == Symptoms.Oscillation);
    }

    [Fact]
    public void ResetWithRunStart_NonPositiveStart_ActsAsAPlainReset()
    {
        var suite = DetectorSuite.CreateDefault();
        var findings = new List<Finding>();
        suite.Observe(new StepRecord(0, 2.0), findings);
        suite.Observe(new StepRecord(1, double.NaN), findings);

        suite.Reset(double.NaN);

        Assert.False(suite.AnyActive);
    }
}
