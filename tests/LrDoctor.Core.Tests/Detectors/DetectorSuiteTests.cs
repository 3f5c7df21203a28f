using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Tests.Detectors;

public sealed class DetectorSuiteTests
{
    [Fact]
    public void CreateDefault_Always_HasOneDetectorPerSymptom()
    {
        var suite = DetectorSuite.CreateDefault();

        Assert.Equal(Symptoms.All.OrderBy(s => s), suite.Detectors.Select(d => d.Symptom).OrderBy(s => s));
    }

    [Fact]
    public void Observe_NonFiniteLoss_ReportsAtThatStepAndIsActive()
    {
        var suite = DetectorSuite.CreateDefault();
        var findings = new List<Finding>();
        for (int t = 0; t < 30; t++)
        {
            suite.Observe(new StepRecord(t, 2.0 / (1 + (0.1 * t)), Lr: 0.1), findings);
        }

        bool any = suite.Observe(new StepRecord(30, double.NaN, Lr: 0.1), findings);

        Assert.True(any);
        var finding = Assert.Single(findings);
        Assert.Equal(Symptoms.NanExplosion, finding.Symptom);
        Assert.Equal(30, finding.OnsetStep);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.True(suite.IsActive(Symptoms.NanExplosion));
        Assert.True(suite.AnyActive);
    }

    [Fact]
    public void Reset_AfterFinding_ClearsActiveSymptoms()
    {
        var suite = DetectorSuite.CreateDefault();
        var findings = new List<Finding>();
        suite.Observe(new StepRecord(0, 2.0), findings);
        suite.Observe(new StepRecord(1, double.PositiveInfinity), findings);
        Assert.True(suite.AnyActive);

        suite.Reset();

        Assert.False(suite.AnyActive);
    }

    [Fact]
    public void Observe_ManySteps_AllocatesNothingPerStep()
    {
        var suite = DetectorSuite.CreateDefault();
        var findings = new List<Finding>();
        var records = HealthyRun(20_000);
        foreach (var r in records.AsSpan(0, 1000))
        {
            suite.Observe(in r, findings);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 1000; i < records.Length; i++)
        {
            suite.Observe(in records[i], findings);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Empty(findings);
        Assert.True(allocated < 1024, $"{allocated} bytes allocated over 19,000 steps");
    }

    /// <summary>A loss falling as a power law with 20% multiplicative noise, validation every 50 steps, cosine LR.</summary>
    internal static StepRecord[] HealthyRun(int steps, int seed = 7)
    {
        var random = new Random(seed);
        var records = new StepRecord[steps];
        for (int t = 0; t < steps; t++)
        {
            double level = 2.3 * Math.Pow(1 + (t / 50.0), -0.5);
            double noise = Math.Exp(0.2 * Gaussian(random));
            double lr = 0.1 * 0.5 * (1 + Math.Cos(Math.PI * t / steps));
            records[t] = new StepRecord(t, level * noise, t % 50 == 49 ? level * 1.1 : null, lr, 1 + (0.1 * random.NextDouble()));
        }

        return records;
    }

    internal static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
