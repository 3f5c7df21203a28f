using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LrDoctor.Cli;
using LrDoctor.Core.Schedules;

namespace LrDoctor.Bench;

/// <summary>Cost of one schedule evaluation per type (in order and at random steps), against a closed-form cosine, and CSV throughput of <c>lrdoctor schedule</c>.</summary>
internal sealed class ScheduleBenchmark : IBenchmark
{
    private static readonly (string Name, string Spec)[] Specs =
    [
        ("constant", """{"type":"constant"}"""),
        ("step", """{"type":"step","stepSize":1000,"gamma":0.5}"""),
        ("multistep", """{"type":"multistep","milestones":[100000,500000,800000]}"""),
        ("exponential", """{"type":"exponential","gamma":0.999999}"""),
        ("linear", """{"type":"linear","startFactor":0.01,"totalIters":1000000}"""),
        ("cosine", """{"type":"cosine","tMax":1000000,"etaMin":1e-5}"""),
        ("cosine_restarts", """{"type":"cosine_restarts","t0":1000,"tMult":2}"""),
        ("polynomial", """{"type":"polynomial","totalIters":1000000,"power":2}"""),
        ("cyclic", """{"type":"cyclic","baseLr":0.001,"maxLr":0.1,"stepSizeUp":2000}"""),
        ("onecycle", """{"type":"onecycle","maxLr":0.1,"totalSteps":1000000,"threePhase":true}"""),
        ("sequential", """{"type":"sequential","schedules":[{"type":"linear","startFactor":0.01,"totalIters":1000},{"type":"cosine","tMax":999000}],"milestones":[1000]}"""),
        ("warmup_cosine", """{"type":"warmup_cosine","warmupSteps":1000,"totalSteps":1000000,"minLrRatio":0.1}"""),
        ("warmup_linear", """{"type":"warmup_linear","warmupSteps":1000,"totalSteps":1000000}"""),
        ("inverse_sqrt", """{"type":"inverse_sqrt","warmupSteps":4000,"dModel":512}"""),
        ("wsd", """{"type":"wsd","warmupSteps":1000,"decayStart":800000,"totalSteps":1000000,"decay":"1-sqrt"}"""),
    ];

    public string Name => "schedules";

    public string Description => "ns per schedule evaluation (in order, random) vs a closed-form cosine; CSV rows/s";

    public int Run(string[] args)
    {
        const int steps = 1_000_000;
        double sink = 0;
        double baseline = Measure(() =>
        {
            for (int t = 0; t < steps; t++)
            {
                sink += 1e-5 + ((0.1 - 1e-5) * (1 + Math.Cos(Math.PI * t / steps)) / 2);
            }
        }) / steps;

        Console.WriteLine($"| schedule | in order, ns/step | ratio to closed-form cosine | random step, ns/call |");
        Console.WriteLine($"|---|---|---|---|");
        Console.WriteLine($"| closed-form cosine (baseline, inline formula) | {baseline:F1} | 1.00 | - |");
        int[] randomSteps = [.. Enumerable.Range(0, 100_000).Select(i => (int)((i * 7_919L * 104_729L) % steps))];
        foreach ((string name, string spec) in Specs)
        {
            double inOrder = Measure(() =>
            {
                ILrSchedule s = Create(spec);
                for (int t = 0; t < steps; t++)
                {
                    sink += s.LearningRate(t) + (s.Momentum(t) ?? 0);
                }
            }) / steps;
            ILrSchedule warm = Create(spec);
            sink += warm.LearningRate(steps - 1);
            double random = Measure(() =>
            {
                foreach (int t in randomSteps)
                {
                    sink += warm.LearningRate(t);
                }
            }) / randomSteps.Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {inOrder:F1} | {inOrder / baseline:F2} | {random:F1} |"));
        }

        double csv = Measure(() => ScheduleCommand.Run(
            CliArgs.Parse("schedule", ["--spec", Specs[5].Spec, "--base-lr", "0.1", "--steps", steps.ToString(CultureInfo.InvariantCulture)]),
            TextWriter.Null));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"`lrdoctor schedule` CSV, cosine, {steps:N0} rows to a null writer: {csv / 1e6:F0} ms ({steps / (csv / 1e9) / 1e6:F2} M rows/s)"));
        return sink == 42 ? 1 : 0;
    }

    private static ILrSchedule Create(string spec)
    {
        using JsonDocument doc = JsonDocument.Parse(spec);
        return ScheduleFactory.Create(doc.RootElement, 0.1);
    }

    /// <summary>Runs <paramref name="action"/> once to warm up, then five times; returns the median in nanoseconds.</summary>
    private static double Measure(Action action)
    {
        action();
        var times = new double[5];
        for (int i = 0; i < times.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalNanoseconds;
        }

        Array.Sort(times);
        return times[2];
    }
}
