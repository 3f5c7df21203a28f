using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Tests.Detectors;

public sealed class OscillationDetectorTests
{
    /// <summary>
    /// 1,200 steps at a constant LR: the loss falls from 2.3 to <paramref name="best"/> by step 400, lies there until step
    /// 900, then climbs to <paramref name="climbed"/>; every batch loss is multiplied by noise of about ±30%.
    /// </summary>
    private static List<Finding> Run(double best, double climbed, DetectorOptions? options = null)
    {
        var detector = new OscillationDetector(options ?? new DetectorOptions());
        var random = new Random(7);
        var findings = new List<Finding>();
        for (int t = 0; t < 1200; t++)
        {
            double level = t < 400 ? 2.3 * Math.Pow(best / 2.3, t / 400.0) : t < 900 ? best : climbed;
            double loss = level * Math.Exp(0.3 * ((2 * random.NextDouble()) - 1));
            if (detector.Observe(new StepRecord(t, loss, Lr: 0.1)) is { } finding)
            {
                findings.Add(finding);
            }
        }

        return findings;
    }

    [Fact]
    public void Observe_LossClimbingBackAShareOfItsProgress_IsOscillation()
    {
        // Best 0.1, then back at 0.5: 4x above the best and 18% of the way back to the untrained 2.3.
        var finding = Assert.Single(Run(best: 0.1, climbed: 0.5));

        Assert.Equal(Symptoms.Oscillation, finding.Symptom);
        Assert.True(finding.OnsetStep < 900, $"onset {finding.OnsetStep}: where the loss first reached the level it bounces at");
        Assert.InRange(finding.DetectedStep, 900, 1199);
    }

    [Fact]
    public void Observe_ConvergedLossClimbingFourfoldAtNoCostToItsProgress_IsNotOscillation()
    {
        // A converged run: best 0.0006, then 0.003. The same 4x climb as above on the log scale, but 0.1% of the way back.
        Assert.Empty(Run(best: 0.0006, climbed: 0.003));

        // Judged on the log scale alone, it would be.
        Assert.NotEmpty(Run(best: 0.0006, climbed: 0.003, new DetectorOptions { OscillationProgressLost = 0 }));
    }
}
