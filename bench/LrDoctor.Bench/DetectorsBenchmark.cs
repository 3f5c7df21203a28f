using System.Diagnostics;
using System.Globalization;
using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;

namespace LrDoctor.Bench;

/// <summary>Nanoseconds per step of each detector and of the whole suite (goal: under 1 microsecond per step for all together).</summary>
internal sealed class DetectorsBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "detectors";

    /// <inheritdoc />
    public string Description => "ns/step of each symptom detector and of DetectorSuite (goal < 1000 ns/step)";

    /// <inheritdoc />
    public int Run(string[] args)
    {
        int steps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000_000;
        var records = SyntheticRun.Create(steps);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"{steps:N0} steps of a noisy power-law loss, validation every 100 steps, cosine LR; best of 5 passes"));
        Console.WriteLine();
        Console.WriteLine("| detector | ns/step | allocated bytes/step |");
        Console.WriteLine("|---|---:|---:|");
        double baseline = Measure(records, () => new BaselineEma());
        Console.WriteLine(string.Create(c, $"| baseline: one EMA of the loss (a trivial detector) | {baseline:F1} | 0 |"));
        var options = new DetectorOptions();
        foreach (var detector in DetectorSuite.CreateDefault(options).Detectors)
        {
            var type = detector.GetType();
            double ns = Measure(records, () => (ISymptomDetector)Activator.CreateInstance(type, options)!, out double bytes);
            Console.WriteLine(string.Create(c, $"| {detector.Symptom} ({type.Name}) | {ns:F1} | {bytes:F3} |"));
        }

        double suite = MeasureSuite(records, out double suiteBytes);
        Console.WriteLine(string.Create(c, $"| **all six (DetectorSuite.Observe)** | **{suite:F1}** | {suiteBytes:F3} |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"suite: {suite:F1} ns/step = {suite / 1000:P1} of the 1 us budget; {suite / baseline:F1}x the one-EMA baseline"));
        return 0;
    }

    private static double Measure(StepRecord[] records, Func<ISymptomDetector> create) => Measure(records, create, out _);

    private static double Measure(StepRecord[] records, Func<ISymptomDetector> create, out double bytesPerStep)
    {
        double best = double.MaxValue;
        bytesPerStep = 0;
        for (int pass = 0; pass < 5; pass++)
        {
            var detector = create();
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < records.Length; i++)
            {
                detector.Observe(in records[i]);
            }

            watch.Stop();
            bytesPerStep = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)records.Length;
            best = Math.Min(best, watch.Elapsed.TotalNanoseconds / records.Length);
        }

        return best;
    }

    private static double MeasureSuite(StepRecord[] records, out double bytesPerStep)
    {
        double best = double.MaxValue;
        bytesPerStep = 0;
        var findings = new List<Finding>();
        for (int pass = 0; pass < 5; pass++)
        {
            var suite = DetectorSuite.CreateDefault();
            findings.Clear();
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < records.Length; i++)
            {
                suite.Observe(in records[i], findings);
            }

            watch.Stop();
            bytesPerStep = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)records.Length;
            best = Math.Min(best, watch.Elapsed.TotalNanoseconds / records.Length);
        }

        return best;
    }

    /// <summary>The cheapest possible streaming detector: one EMA of the loss, never reporting.</summary>
    private sealed class BaselineEma : ISymptomDetector
    {
        private double _mean;

        public string Symptom => "baseline";

        public bool IsActive => _mean < 0;

        public Finding? Observe(in StepRecord record)
        {
            if (record.TrainLoss is { } loss)
            {
                _mean += 0.02 * (loss - _mean);
            }

            return null;
        }

        public void Reset() => _mean = 0;
    }
}
