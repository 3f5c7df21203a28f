using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Tests.Detectors;

public sealed class TrainValDivergenceDetectorTests
{
    private static List<Finding> Run(Func<int, double> train, Func<int, double> val, int epochs, out TrainValDivergenceDetector detector)
    {
        detector = new TrainValDivergenceDetector(new DetectorOptions());
        var findings = new List<Finding>();
        for (int e = 0; e < epochs; e++)
        {
            if (detector.Observe(new StepRecord(e, train(e), val(e))) is { } f)
            {
                findings.Add(f);
            }
        }

        return findings;
    }

    [Fact]
    public void Observe_ValidationRisesWhileTrainingFalls_ReportsOnsetAtBestValidation()
    {
        var findings = Run(e => 2.0 * Math.Exp(-e / 10.0), e => 1.0 + (0.002 * (e - 20) * (e - 20)), 60, out var detector);

        var finding = Assert.Single(findings);
        Assert.Equal(20, finding.OnsetStep);
        Assert.True(detector.IsActive);
        Assert.True(finding.Evidence["valRise"] >= 0.1);
    }

    [Fact]
    public void Observe_BothLossesFall_ReportsNothing()
    {
        var findings = Run(e => 2.0 * Math.Exp(-e / 10.0), e => 1.0 + Math.Exp(-e / 10.0), 60, out _);

        Assert.Empty(findings);
    }

    [Fact]
    public void Observe_BothLossesRise_IsNotOverfitting()
    {
        var findings = Run(e => 1.0 + (0.05 * e), e => 1.2 + (0.05 * e), 60, out _);

        Assert.Empty(findings);
    }

    [Fact]
    public void Observe_ValidationComesBack_ClearsTheEpisode()
    {
        Run(e => 2.0 * Math.Exp(-e / 10.0), e => e < 40 ? 1.0 + (0.002 * (e - 20) * (e - 20)) : 0.9, 50, out var detector);

        Assert.False(detector.IsActive);
    }
}
