namespace LrDoctor.Core.LrFinder;

/// <summary>The zero-lag trend of a range test's raw losses that the suggestion rules read.</summary>
/// <remarks>
/// The exponential moving average that users see lags the raw loss by up to 1/(1 − β) batches (about 50 at β = 0.98),
/// which moves every feature of the curve to a higher LR than where it happened, and a single early spike decays through
/// it for dozens of batches and looks like a descent. The trend avoids both: a centred running median of 5 removes
/// isolated spikes yet returns a monotone run unchanged, then a centred moving average whose window shrinks
/// symmetrically at the ends removes batch noise without shifting anything sideways.
/// </remarks>
internal static class LossTrend
{
    /// <summary>Computes the trend of <paramref name="losses"/> (all finite).</summary>
    /// <param name="losses">The raw batch losses.</param>
    /// <returns>The trend, one value per loss.</returns>
    public static double[] Compute(IReadOnlyList<double> losses)
    {
        int n = losses.Count;
        var median = new double[n];
        var window = new double[5];
        for (int i = 0; i < n; i++)
        {
            int half = Math.Min(2, Math.Min(i, n - 1 - i));
            int count = 0;
            for (int j = i - half; j <= i + half; j++)
            {
                window[count++] = losses[j];
            }

            Array.Sort(window, 0, count);
            median[i] = window[count / 2];
        }

        int k = (WindowWidth(n) - 1) / 2;
        var trend = new double[n];
        for (int i = 0; i < n; i++)
        {
            int half = Math.Min(k, Math.Min(i, n - 1 - i));
            double sum = 0;
            for (int j = i - half; j <= i + half; j++)
            {
                sum += median[j];
            }

            trend[i] = sum / ((2 * half) + 1);
        }

        return trend;
    }

    /// <summary>Gets the width of the moving average for a curve of <paramref name="n"/> points (odd, at least 3).</summary>
    /// <param name="n">The number of points.</param>
    /// <returns>The window width in points.</returns>
    public static int WindowWidth(int n) => (2 * Math.Max(1, (int)Math.Round(n / 40.0))) + 1;

    /// <summary>Estimates the batch-to-batch noise of the losses around their trend (robust standard deviation from the median absolute residual).</summary>
    /// <param name="losses">The raw losses.</param>
    /// <param name="trend">Their trend.</param>
    /// <param name="from">The first point to use.</param>
    /// <param name="to">The last point to use.</param>
    /// <returns>The noise scale, 0 for a noiseless curve.</returns>
    /// <remarks>A median, so the few points where the curve bends sharply (and the trend cannot follow) do not count as noise.</remarks>
    public static double Noise(IReadOnlyList<double> losses, double[] trend, int from, int to)
    {
        int count = to - from + 1;
        if (count <= 0)
        {
            return 0;
        }

        var residuals = new double[count];
        for (int i = 0; i < count; i++)
        {
            residuals[i] = Math.Abs(losses[from + i] - trend[from + i]);
        }

        Array.Sort(residuals);
        double median = count % 2 == 1 ? residuals[count / 2] : 0.5 * (residuals[(count / 2) - 1] + residuals[count / 2]);
        return 1.4826 * median;
    }
}
