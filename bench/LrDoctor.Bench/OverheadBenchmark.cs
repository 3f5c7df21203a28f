using System.Diagnostics;
using System.Globalization;
using LrDoctor.Core.Runs;
using LrDoctor.Torch;
using LrDoctor.Torch.Training;
using static TorchSharp.torch;

namespace LrDoctor.Bench;

/// <summary>Overhead: the engine (detectors, recording, snapshots every 100 steps) vs a bare TorchSharp loop on the same 784-256-256-10 MLP.</summary>
internal sealed class OverheadBenchmark : IBenchmark
{
    /// <inheritdoc/>
    public string Name => "overhead";

    /// <inheritdoc/>
    public string Description => "engine vs bare TorchSharp loop, 784-256-256-10 MLP, per-step time (args: [steps] [rounds])";

    /// <inheritdoc/>
    public int Run(string[] args)
    {
        long steps = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        set_num_threads(2);
        var variants = new (string Name, Func<double> Measure)[]
        {
            ("bare TorchSharp loop", () => Bare(steps)),
            ("engine, default (grad norm every 10 steps)", () => Engine(steps, new TrainingRunOptions { Threads = 2 }, "auto")),
            ("engine, grad norm every step", () => Engine(steps, new TrainingRunOptions { Threads = 2, GradNormEvery = 1 }, "auto")),
            ("engine, doctor off (recording only)", () => Engine(steps, new TrainingRunOptions { Threads = 2 }, "off")),
            ("engine, auto, no snapshots after the first", () => Engine(steps, new TrainingRunOptions { Threads = 2 }, "auto", checkpointEvery: (int)steps + 1)),
        };

        // Warm up every variant once, then interleave rounds so drifts of a shared machine hit all alike.
        foreach (var v in variants)
        {
            v.Measure();
        }

        var samples = variants.Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < variants.Length; i++)
            {
                samples[i].Add(variants[i].Measure());
            }
        }

        double bare = BareTrainingLoop.Median(samples[0]);
        double bareMin = samples[0].Min();
        Console.WriteLine($"steps per round: {steps}, rounds: {rounds}, threads: 2; the minimum over rounds is the least disturbed figure on a shared machine");
        Console.WriteLine();
        Console.WriteLine("| variant | ms per step (min) | vs bare (min) | ms per step (median) | vs bare (median) |");
        Console.WriteLine("|---|---|---|---|---|");
        for (int i = 0; i < variants.Length; i++)
        {
            double median = BareTrainingLoop.Median(samples[i]);
            double min = samples[i].Min();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {variants[i].Name} | {min * 1000:F3} | {((min / bareMin) - 1) * 100:+0.0;-0.0}% | {median * 1000:F3} | {((median / bare) - 1) * 100:+0.0;-0.0}% |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"detector suite alone: {DetectorCost() * 1e6:F1} us per observed step (min of 5 x 10,000 synthetic records)"));
        var (snapshot, gradNorm, step) = ComponentCosts();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"components (min of 200): bare step {step * 1e6:F0} us, total gradient norm {gradNorm * 1e6:F0} us ({gradNorm / step * 100:F1}% of a step), snapshot capture {snapshot * 1e6:F0} us ({snapshot / 100 / step * 100:F2}% of a step when taken every 100 steps)"));
        return 0;
    }

    private static (double Snapshot, double GradNorm, double Step) ComponentCosts()
    {
        using var setup = TrainingSetup.Create(EngineBenchJobs.Mlp784(1000));
        using var snapshot = new Snapshot(setup);
        double bestSnapshot = double.MaxValue;
        double bestNorm = double.MaxValue;
        double bestStep = double.MaxValue;
        for (int i = 0; i < 200; i++)
        {
            bestStep = Math.Min(bestStep, BareTrainingLoop.SecondsPerStep(setup, 1));
            var clock = Stopwatch.StartNew();
            _ = GradientNorm.Total(setup.Parameters);
            bestNorm = Math.Min(bestNorm, clock.Elapsed.TotalSeconds);
            clock.Restart();
            snapshot.Capture(setup, i, null);
            bestSnapshot = Math.Min(bestSnapshot, clock.Elapsed.TotalSeconds);
        }

        return (bestSnapshot, bestNorm, bestStep);
    }

    private static double DetectorCost()
    {
        double best = double.MaxValue;
        var findings = new List<Core.Detectors.Finding>();
        for (int r = 0; r < 5; r++)
        {
            var suite = Core.Detectors.DetectorSuite.CreateDefault();
            var random = new Random(r);
            var clock = Stopwatch.StartNew();
            for (int t = 0; t < 10_000; t++)
            {
                var record = new Core.Records.StepRecord(t, 2.0 / Math.Sqrt(t + 1) + (0.05 * random.NextDouble()), null, 0.01, 1.0 + random.NextDouble());
                findings.Clear();
                suite.Observe(record, findings);
            }

            best = Math.Min(best, clock.Elapsed.TotalSeconds / 10_000);
        }

        return best;
    }

    private static double Bare(long steps)
    {
        // The same model, optimizer and data as the engine builds, trained by the plain loop a user would write.
        using var setup = TrainingSetup.Create(EngineBenchJobs.Mlp784(steps));
        return BareTrainingLoop.SecondsPerStep(setup, steps);
    }

    private static double Engine(long steps, TrainingRunOptions options, string doctor, int checkpointEvery = 100)
    {
        using var run = TrainingRun.Create(EngineBenchJobs.Mlp784(steps, doctor, checkpointEvery), new NullRunSink(), options);
        var summary = run.Run(CancellationToken.None);
        if (summary.State != RunState.Completed)
        {
            throw new InvalidOperationException($"overhead job ended {summary.State}: {summary.FailureReason}");
        }

        return summary.Seconds / steps;
    }

}
