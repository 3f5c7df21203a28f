using System.Globalization;
using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;
using LrDoctor.Torch;

namespace LrDoctor.Bench;

/// <summary>Rescue: jobs at 10x, 30x and 100x the good LR, 3 seeds, doctor off vs auto, against the well-tuned run.</summary>
internal sealed class RescueBenchmark : IBenchmark
{
    /// <inheritdoc/>
    public string Name => "rescue";

    /// <inheritdoc/>
    public string Description => "hot-LR digits jobs (10x/30x/100x, 3 seeds): doctor off vs auto vs the well-tuned run; args: [cosine] [STEPS, default 3000]";

    /// <inheritdoc/>
    public int Run(string[] args)
    {
        bool cosine = args.Contains("cosine", StringComparer.Ordinal);
        var options = new TrainingRunOptions { Threads = 2 };
        int steps = args.Select(a => int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0).FirstOrDefault(n => n > 0, 3000);
        Console.WriteLine($"steps: {steps}; schedule: {(cosine ? "cosine from the job's LR to 0 over the run" : "constant LR")}");
        Console.WriteLine();
        int[] seeds = [1, 2, 3];
        double[] multipliers = [10, 30, 100];
        Console.WriteLine("| seed | LR (x good) | off: state, val loss | auto: state, val loss | auto / good val loss | auto / good-with-doctor val loss | auto / good time (median of 7 pairs) | interventions |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        // JIT and libtorch warm-up, the rollback path included, so that no measured run pays for compiling it.
        Train(EngineBenchJobs.DigitsTanh(EngineBenchJobs.GoodLr, 0, "auto"), options);
        Train(EngineBenchJobs.DigitsTanh(EngineBenchJobs.GoodLr * 100, 0, "auto"), options);
        int rescued = 0;
        int rescuedAgainstDoctor = 0;
        int failedOff = 0;
        int total = 0;
        foreach (int seed in seeds)
        {
            var goodJob = EngineBenchJobs.DigitsTanh(EngineBenchJobs.GoodLr, seed, "off", cosine, steps);
            var good = Train(goodJob, options);

            // The well-tuned job with the doctor on too: on a long run its reduce-on-plateau also lowers the LR late, so
            // a rescued run compared with this one is credited only with the rescue.
            var goodAuto = Train(EngineBenchJobs.DigitsTanh(EngineBenchJobs.GoodLr, seed, "auto", cosine, steps), options);
            Console.WriteLine(Row(seed, "1 (good)", good, good, good, goodAuto, 1.0));
            Console.WriteLine(Row(seed, "1 (good, doctor on)", good, goodAuto, good, goodAuto, 1.0));
            foreach (double m in multipliers)
            {
                double lr = EngineBenchJobs.GoodLr * m;
                var off = Train(EngineBenchJobs.DigitsTanh(lr, seed, "off", cosine, steps), options);
                var autoJob = EngineBenchJobs.DigitsTanh(lr, seed, "auto", cosine, steps);
                var auto = Train(autoJob, options);
                double timeRatio = TimeRatio(autoJob, goodJob, options);
                total++;
                bool offFailed = off.State == RunState.Failed || !(off.FinalValLoss < 2 * good.FinalValLoss!.Value);
                bool ok = auto.State == RunState.Completed && auto.FinalValLoss <= 1.1 * good.FinalValLoss!.Value && timeRatio <= 1.2;
                bool okAgainstDoctor = ok && auto.FinalValLoss <= 1.1 * goodAuto.FinalValLoss!.Value;
                failedOff += offFailed ? 1 : 0;
                rescued += ok ? 1 : 0;
                rescuedAgainstDoctor += okAgainstDoctor ? 1 : 0;
                Console.WriteLine(Row(seed, m.ToString(CultureInfo.InvariantCulture), off, auto, good, goodAuto, timeRatio));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"without the doctor {failedOff}/{total} hot runs failed (non-finite or val loss > 2x the good run's); with it {rescued}/{total} met the goal (val loss <= 1.1x good, time <= 1.2x good), {rescuedAgainstDoctor}/{total} also against the good job with the doctor on");
        Console.WriteLine();
        PerfectRescues(seeds, options, cosine, steps);
        return 0;
    }

    /// <summary>The yardstick: what a perfect rescue would score, the good LR resumed from the untrained state after losing k steps.</summary>
    /// <remarks>
    /// A rescue that found the good LR at once, at a blow-up at step k, rolls back to the untrained snapshot (data from its
    /// first batch again) and trains steps k to 299 at the good LR (on the schedule's own values for those steps). This runs
    /// exactly that, through the engine's own rollback command (factor 1) on the good job: its final validation loss over
    /// the good run's shows how much of the 10% budget the lost steps already take, before any choice of LR.
    /// </remarks>
    private static void PerfectRescues(int[] seeds, TrainingRunOptions options, bool cosine, int steps)
    {
        int[] lost = [1, 2, 3, 5, 10, 20, 31, 41];
        Console.WriteLine("perfect rescue at step k (the good job rolled back to its untrained snapshot at step k, LR unchanged): val loss / good run's");
        Console.WriteLine();
        Console.WriteLine($"| seed | {string.Join(" | ", lost.Select(k => $"k={k}"))} | within 1.1x |");
        Console.WriteLine($"|---|{string.Concat(lost.Select(_ => "---|"))}---|");
        foreach (int seed in seeds)
        {
            var job = EngineBenchJobs.DigitsTanh(EngineBenchJobs.GoodLr, seed, "off", cosine, steps);
            var good = Train(job, options);
            var ratios = lost.Select(k =>
            {
                var sink = new RollbackAtSink(k);
                using var run = TrainingRun.Create(job, sink, options);
                sink.Run = run;
                return run.Run(CancellationToken.None).FinalValLoss!.Value / good.FinalValLoss!.Value;
            }).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {seed} | {string.Join(" | ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))} | {ratios.Count(r => r <= 1.1)}/{ratios.Length} |"));
        }
    }

    private static RunSummary Train(Core.Jobs.JobSpec job, TrainingRunOptions options)
    {
        using var run = TrainingRun.Create(job, new NullRunSink(), options);
        return run.Run(CancellationToken.None);
    }

    /// <summary>The wall time of <paramref name="job"/> over that of <paramref name="baseline"/>: the median over seven pairs run back to back.</summary>
    /// <remarks>
    /// A run here takes 0.1 to 0.3 s, and a neighbour on a shared 2-core machine easily doubles one of them; running the two
    /// jobs of a pair one after the other puts both under the same conditions, and the median of the pair ratios drops the
    /// disturbed pairs. The runs are deterministic (checked): only the time differs between repeats.
    /// </remarks>
    private static double TimeRatio(Core.Jobs.JobSpec job, Core.Jobs.JobSpec baseline, TrainingRunOptions options)
    {
        var ratios = new List<double>();
        double? valLoss = null;
        for (int i = 0; i < 7; i++)
        {
            var b = Train(baseline, options);
            var j = Train(job, options);
            if (valLoss is not null && j.FinalValLoss != valLoss)
            {
                throw new InvalidOperationException($"{job.Name}: repeat {i} ended at val loss {j.FinalValLoss}, not {valLoss}: the run is not deterministic");
            }

            valLoss = j.FinalValLoss;
            ratios.Add(j.Seconds / b.Seconds);
        }

        ratios.Sort();
        return ratios[ratios.Count / 2];
    }

    private static string Row(int seed, string multiplier, RunSummary off, RunSummary auto, RunSummary good, RunSummary goodAuto, double timeRatio) => string.Create(
        CultureInfo.InvariantCulture,
        $"| {seed} | {multiplier} | {off.State}, {off.FinalValLoss:G4} | {auto.State}, {auto.FinalValLoss:G4} | {auto.FinalValLoss / good.FinalValLoss:F2} | {auto.FinalValLoss / goodAuto.FinalValLoss:F2} | {timeRatio:F2} | {string.Join("; ", auto.Interventions.Select(i => $"{i.Kind}@{i.Step} {i.OldLr:G3}->{i.NewLr:G3}"))} |");
}

/// <summary>A sink that asks its run to roll back to the last snapshot, LR unchanged, before step k.</summary>
internal sealed class RollbackAtSink(long k) : IRunSink
{
    /// <summary>Gets or sets the run to command.</summary>
    public TrainingRun? Run { get; set; }

    /// <inheritdoc/>
    public void OnStep(in StepRecord record)
    {
        if (record.Step == k - 1)
        {
            Run!.Post(new RunCommand(RunCommandKind.RollbackAndCut, 1 - 1e-15, "perfect rescue yardstick"));
        }
    }

    /// <inheritdoc/>
    public void OnFinding(Finding finding)
    {
    }

    /// <inheritdoc/>
    public void OnEvent(RunEvent runEvent)
    {
    }
}
