using LrDoctor.Core.LrFinder;

namespace LrDoctor.Core.Tests.LrFinder;

/// <summary>Feeds a loss curve given as a function of log10(LR) through the recorder, with optional multiplicative noise and spikes.</summary>
internal static class SyntheticCurve
{
    /// <summary>A typical range-test shape: a plateau, a sigmoid descent steepest at <paramref name="steepAt"/>, a floor, and a blow-up from <paramref name="riseAt"/>.</summary>
    public static double Typical(double logLr, double steepAt = -4, double riseAt = -1) =>
        0.3 + (2.0 / (1 + Math.Exp(2.5 * (logLr - steepAt)))) + (logLr > riseAt ? 0.3 * (Math.Exp(3 * (logLr - riseAt)) - 1) : 0);

    public static LrFinderResult Run(
        Func<double, double> loss,
        double noise = 0,
        int seed = 1,
        IReadOnlyDictionary<int, double>? overrides = null,
        LrFinderOptions? options = null)
    {
        options ??= new LrFinderOptions();
        var random = new Random(seed);
        var recorder = new LrRangeRecorder(options);
        for (int step = 0; step < options.Steps; step++)
        {
            double lr = options.LrAt(step);
            double value = loss(Math.Log10(lr)) * (1 + (noise * ((2 * random.NextDouble()) - 1)));
            if (overrides is not null && overrides.TryGetValue(step, out double replaced))
            {
                value = replaced;
            }

            if (!recorder.Record(lr, value))
            {
                break;
            }
        }

        return recorder.Finish(1.5);
    }
}
