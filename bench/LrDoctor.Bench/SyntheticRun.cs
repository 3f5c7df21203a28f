using LrDoctor.Core.Records;

namespace LrDoctor.Bench;

/// <summary>A long synthetic training run for throughput measurements (the corpus runs are too short to time).</summary>
internal static class SyntheticRun
{
    /// <summary>Creates the records: a power-law loss with 20% multiplicative noise, validation every 100 steps, cosine LR, a gradient norm.</summary>
    /// <param name="steps">The number of steps.</param>
    /// <returns>The records.</returns>
    public static StepRecord[] Create(int steps)
    {
        var random = new Random(42);
        var records = new StepRecord[steps];
        for (int t = 0; t < steps; t++)
        {
            double level = 2.3 * Math.Pow(1 + (t / 200.0), -0.3);
            double noise = Math.Exp(0.2 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
            double lr = 3e-4 * 0.5 * (1 + Math.Cos(Math.PI * t / steps));
            records[t] = new StepRecord(t, level * noise, t % 100 == 99 ? level * 1.05 : null, lr, 0.5 + random.NextDouble())
            {
                Epoch = t / 1000.0,
            };
        }

        return records;
    }
}
