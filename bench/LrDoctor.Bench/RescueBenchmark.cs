using System.Globalization;
using LrDoctor.Core.Runs;
using LrDoctor.Torch;

namespace LrDoctor.Bench;

/// <summary>Rescue: jobs at 10x, 30x and 100x the good LR, 3 seeds, doctor off vs auto, against the well-tuned run.</summary>
internal sealed class RescueBenchmark : IBenchmark
{
    /// <inheritdoc/>
    public string Name => "rescue";

    /// <inheritdoc/>
    public string Description => "hot-LR digits jobs (10x/30x/100x, 3 seeds): doctor off vs auto vs the well-tuned run";

    /// <inheritdoc/>
    public int Run(string[] args)
    {
        var options = new TrainingRunOptions { Threads = 2 };
        int[] seeds = [1, 2, 3];
        double[] multipliers = [10, 30, 100];
        Console.WriteLine("| seed | LR (x good) | off: state, val loss | auto: state, val loss | auto / good val loss | auto / good time | interventions |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        // JIT and libtorch warm-up, the rollback path included, so that no measured run pays for compiling it.
        Train(EngineBenchJobs.DigitsTanh(EngineBenchJobs.GoodLr, 0, "auto"), options);
        Train(EngineBenchJobs.DigitsTanh(EngineBenchJobs.GoodLr * 100, 0, "auto"), options);
        int rescued = 0;
        int failedOff = 0;
        int total = 0;
        foreach (int seed in seeds)
        {
            var good = Train(EngineBenchJobs.DigitsTanh(EngineBenchJobs.GoodLr, seed, "off"), options);
            Console.WriteLine(Row(seed, "1 (good)", good, good, good, good));
            foreach (double m in multipliers)
            {
                double lr = EngineBenchJobs.GoodLr * m;
                var off = Train(EngineBenchJobs.DigitsTanh(lr, seed, "off"), options);
                var auto = Train(EngineBenchJobs.DigitsTanh(lr, seed, "auto"), options);
                total++;
                bool offFailed = off.State == RunStates.Failed || !(off.FinalValLoss < 2 * good.FinalValLoss!.Value);
                bool ok = auto.State == RunStates.Completed && auto.FinalValLoss <= 1.1 * good.FinalValLoss!.Value && auto.Seconds <= 1.2 * good.Seconds;
                failedOff += offFailed ? 1 : 0;
                rescued += ok ? 1 : 0;
                Console.WriteLine(Row(seed, m.ToString(CultureInfo.InvariantCulture), off, auto, good, auto));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"without the doctor {failedOff}/{total} hot runs failed (non-finite or val loss > 2x the good run's); with it {rescued}/{total} met the goal (val loss <= 1.1x good, time <= 1.2x good)");
        return 0;
    }

    private static RunSummary Train(Core.Jobs.JobSpec job, TrainingRunOptions options)
    {
        // Runs are deterministic (same losses every time), so repeats differ only in wall time, and a 0.2 s run on a shared
        // 2-core machine is easily doubled by a neighbour: keep the fastest of five, the least disturbed measurement.
        RunSummary? fastest = null;
        for (int i = 0; i < 5; i++)
        {
            using var run = TrainingRun.Create(job, new NullRunSink(), options);
            var summary = run.Run(CancellationToken.None);
            if (fastest is not null && summary.FinalValLoss != fastest.FinalValLoss)
            {
                throw new InvalidOperationException($"{job.Name}: repeat {i} ended at val loss {summary.FinalValLoss}, not {fastest.FinalValLoss}: the run is not deterministic");
            }

            if (fastest is null || summary.Seconds < fastest.Seconds)
            {
                fastest = summary;
            }
        }

        return fastest!;
    }

    private static string Row(int seed, string multiplier, RunSummary off, RunSummary auto, RunSummary good, RunSummary timed) => string.Create(
        CultureInfo.InvariantCulture,
        $"| {seed} | {multiplier} | {off.State}, {off.FinalValLoss:G4} | {auto.State}, {auto.FinalValLoss:G4} | {auto.FinalValLoss / good.FinalValLoss:F2} | {timed.Seconds / good.Seconds:F2} | {string.Join("; ", auto.Interventions.Select(i => $"{i.Kind}@{i.Step} {i.OldLr:G3}->{i.NewLr:G3}"))} |");
}
