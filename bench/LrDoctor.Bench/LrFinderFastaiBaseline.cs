using LrDoctor.Core.LrFinder;

namespace LrDoctor.Bench;

/// <summary>fastai's suggestion functions as it applies them, for comparison: on the smoothed (EMA) losses, first tenth and last five points dropped.</summary>
internal static class LrFinderFastaiBaseline
{
    /// <summary>fastai's <c>valley</c>: the longest decreasing subsequence of the EMA, halfway down.</summary>
    public static double? Valley(IReadOnlyList<LrFinderPoint> points)
    {
        var (lrs, losses) = Window(points);
        int n = losses.Length;
        if (n < 2)
        {
            return null;
        }

        var lds = Enumerable.Repeat(1, n).ToArray();
        int maxStart = 0;
        int maxEnd = 0;
        for (int i = 1; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (losses[i] < losses[j] && lds[i] < lds[j] + 1)
                {
                    lds[i] = lds[j] + 1;
                }

                if (lds[maxEnd] < lds[i])
                {
                    maxEnd = i;
                    maxStart = maxEnd - lds[maxEnd];
                }
            }
        }

        double sections = (maxEnd - maxStart) / 3.0;
        int idx = maxStart + (int)sections + (int)(sections / 2);
        return lrs[Math.Clamp(idx, 0, n - 1)];
    }

    /// <summary>fastai's <c>steep</c>: the most negative finite difference of the EMA with respect to ln(LR).</summary>
    public static double? Steep(IReadOnlyList<LrFinderPoint> points)
    {
        var (lrs, losses) = Window(points);
        int best = -1;
        double bestSlope = double.PositiveInfinity;
        for (int i = 0; i + 1 < lrs.Length; i++)
        {
            double slope = (losses[i + 1] - losses[i]) / (Math.Log(lrs[i + 1]) - Math.Log(lrs[i]));
            if (slope < bestSlope)
            {
                bestSlope = slope;
                best = i;
            }
        }

        return best >= 0 ? lrs[best] : null;
    }

    /// <summary>fastai's <c>minimum</c>: the LR of the lowest EMA value, divided by 10.</summary>
    public static double? Minimum(IReadOnlyList<LrFinderPoint> points)
    {
        var (lrs, losses) = Window(points);
        return lrs.Length == 0 ? null : lrs[Array.IndexOf(losses, losses.Min())] / 10;
    }

    private static (double[] Lrs, double[] Losses) Window(IReadOnlyList<LrFinderPoint> points)
    {
        int skipStart = 100 / 10;
        var kept = points.Skip(skipStart).Take(Math.Max(0, points.Count - skipStart - 5)).ToArray();
        return ([.. kept.Select(p => p.Lr)], [.. kept.Select(p => p.SmoothedLoss)]);
    }
}
