using System.Diagnostics;
using LrDoctor.Torch.Training;
using static TorchSharp.torch;

namespace LrDoctor.Bench;

/// <summary>The plain TorchSharp loop a user would write, the baseline of the engine benchmarks, and the statistics they report.</summary>
internal static class BareTrainingLoop
{
    /// <summary>Trains <paramref name="steps"/> steps of the setup's model with no recording at all; returns seconds per step.</summary>
    public static double SecondsPerStep(TrainingSetup setup, long steps)
    {
        var clock = Stopwatch.StartNew();
        for (long t = 0; t < steps; t++)
        {
            using var scope = NewDisposeScope();
            setup.Optimizer.zero_grad();
            var loss = setup.BatchLoss(setup.Batches.Next());
            loss.backward();
            setup.Optimizer.step();
            _ = loss.item<float>();
        }

        return clock.Elapsed.TotalSeconds / steps;
    }

    /// <summary>Gets the median of <paramref name="values"/>.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
