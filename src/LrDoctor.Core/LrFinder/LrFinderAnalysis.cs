namespace LrDoctor.Core.LrFinder;

/// <summary>Reads the suggestions, the recommended LR and the divergence LR off a recorded range test.</summary>
/// <remarks>
/// Every rule reads the zero-lag <see cref="LossTrend"/> of the finite prefix, not the lagging moving average, so a rule
/// points at the LR where a feature happened rather than where the average noticed it. Rules that need a descent return
/// nothing when the curve never falls by more than its own noise: a suggestion read off noise is worse than none.
/// </remarks>
public static class LrFinderAnalysis
{
    /// <summary>The fewest points the rules read anything from.</summary>
    internal const int MinPoints = 5;

    /// <summary>Analyses a recorded range test.</summary>
    /// <param name="points">The points, all with a finite loss, in ramp order.</param>
    /// <param name="stoppedEarly">Whether the test ended before its last batch.</param>
    /// <param name="stopReason">Why it ended (<see cref="LrFinderStopReasons"/>).</param>
    /// <param name="seconds">Its wall-clock duration.</param>
    /// <returns>The result.</returns>
    public static LrFinderResult Analyze(IReadOnlyList<LrFinderPoint> points, bool stoppedEarly, string stopReason, double seconds)
    {
        ArgumentNullException.ThrowIfNull(points);
        int n = points.Count;
        var noSuggestion = new LrFinderSuggestions(null, null, null);
        if (n < MinPoints)
        {
            double? ceiling = stopReason == LrFinderStopReasons.NonFinite && n > 0 ? points[n - 1].Lr : null;
            return new LrFinderResult(points, noSuggestion, null, ceiling, stoppedEarly, seconds) { StopReason = stopReason };
        }

        (double[] scaled, bool positive) = Scaled(points);
        var logLr = points.Select(p => Math.Log10(p.Lr)).ToArray();
        double[] scaledTrend = LossTrend.Compute(scaled);
        double[] trend = positive ? [.. scaledTrend.Select(Math.Exp)] : scaledTrend;
        int lowest = ArgMin(scaledTrend);
        double noise = LossTrend.Noise(scaled, scaledTrend, 0, lowest);
        double rise = positive ? Math.Log(1 + RiseFraction) : RiseFraction * Math.Abs(scaledTrend[lowest]);

        int? divergence = DivergenceIndex(scaledTrend, lowest, Math.Max(2 * noise, rise));
        double? divergenceLr = divergence is int d ? points[d].Lr
            : stopReason == LrFinderStopReasons.NonFinite ? points[n - 1].Lr
            : null;

        bool descends = HasDescent(scaledTrend, lowest, Math.Max(4 * noise, rise));
        int? steep = descends ? SteepIndex(logLr, trend, lowest) : null;
        int? valley = descends ? ValleyIndex(scaledTrend, noise) : null;
        var suggestions = new LrFinderSuggestions(
            steep is int s ? points[s].Lr : null,
            valley is int v ? points[v].Lr : null,
            descends ? points[lowest].Lr / 10 : null);
        (double? recommended, string? rule) = Recommend(suggestions, divergenceLr);
        return new LrFinderResult(points, suggestions, recommended, divergenceLr, stoppedEarly, seconds)
        {
            RecommendedRule = rule,
            StopReason = stopReason,
        };
    }

    /// <summary>Computes the loss trend the rules read: spikes removed, batch noise averaged out, nothing shifted sideways.</summary>
    /// <param name="points">The points of a range test.</param>
    /// <returns>One trend value per point (geometric smoothing when every loss is positive).</returns>
    public static double[] Trend(IReadOnlyList<LrFinderPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        (double[] scaled, bool positive) = Scaled(points);
        double[] scaledTrend = LossTrend.Compute(scaled);
        return positive ? [.. scaledTrend.Select(Math.Exp)] : scaledTrend;
    }

    /// <summary>Puts the losses on the scale the rules compare them on.</summary>
    /// <remarks>
    /// Losses that are all positive are smoothed and compared on a log scale: a rise or a noise level then means the same
    /// thing whether the loss sits at 2.3 or at 1e-8, and a geometric decay or blow-up is smoothed without bias.
    /// </remarks>
    private static (double[] Scaled, bool Positive) Scaled(IReadOnlyList<LrFinderPoint> points)
    {
        bool positive = points.All(p => p.Loss > 0);
        return ([.. points.Select(p => positive ? Math.Log(p.Loss) : p.Loss)], positive);
    }

    /// <summary>Chooses the recommended LR from the suggestions, capped below the divergence LR.</summary>
    /// <param name="suggestions">The suggestions.</param>
    /// <param name="divergenceLr">The LR where the loss starts to rise, if any.</param>
    /// <returns>The recommended LR and the rule that gave it.</returns>
    /// <remarks>
    /// The rule is the geometric mean of the valley and minimum/10 suggestions: the midpoint, on the log axis, of two rules that
    /// each land in the right region but scatter around it. Measured in bench/RESULTS.md (3 models x 3 seeds, 300-step budgets
    /// against a 9-point grid) it had the best mean and worst-case validation-loss ratio of the candidates; steep, read on a
    /// curve that plunges just before it blows up, was the worst. When one of the two is missing the other is used alone.
    /// </remarks>
    internal static (double? Lr, string? Rule) Recommend(LrFinderSuggestions suggestions, double? divergenceLr)
    {
        (double? lr, string? rule) = suggestions switch
        {
            { Valley: double v, Minimum: double m } => (Math.Sqrt(v * m), "geomean(valley,minimum)"),
            { Valley: double v } => (v, "valley"),
            { Minimum: double m } => (m, "minimum"),
            { Steep: double s } => (s, "steep"),
            _ => ((double?)null, (string?)null),
        };
        if (lr is double value && divergenceLr is double ceiling && value > ceiling / CeilingMargin)
        {
            return (ceiling / CeilingMargin, rule + ",capped");
        }

        return (lr, rule);
    }

    /// <summary>How far below the divergence LR the recommendation must stay.</summary>
    internal const double CeilingMargin = 3.0;

    /// <summary>Finds the steepest descent of the trend with respect to log10(LR), from a tenth of the way in up to the lowest point.</summary>
    /// <param name="logLr">log10 of each point's LR.</param>
    /// <param name="trend">The loss trend.</param>
    /// <param name="lowest">The index of the lowest trend value (the blow-up starts after it).</param>
    /// <returns>The index, or <see langword="null"/> when the search range is empty.</returns>
    internal static int? SteepIndex(double[] logLr, double[] trend, int lowest)
    {
        int n = trend.Length;
        int half = Math.Max(1, n / 20);
        int start = Math.Max(half, n / 10);
        int? best = null;
        double bestSlope = 0;
        for (int i = start; i <= lowest; i++)
        {
            double slope = LocalSlope(logLr, trend, Math.Max(0, i - half), Math.Min(lowest, i + half));
            if (slope < bestSlope)
            {
                bestSlope = slope;
                best = i;
            }
        }

        return best;
    }

    /// <summary>fastai's valley rule: the longest decreasing run (subsequence) of the trend, and the point halfway down it.</summary>
    /// <param name="trend">The loss trend.</param>
    /// <param name="minDrop">How much each point of the run must be below the one before: the trend's own noise.</param>
    /// <returns>The index, or <see langword="null"/> when nothing decreases.</returns>
    /// <remarks>
    /// fastai counts any decrease, so on a long noisy plateau the wiggles chain up into a "valley" longer than the real descent
    /// and the rule answers an LR where nothing happens yet. Asking each step of the run to drop by more than the trend's
    /// noise leaves the plateau only short runs while a real descent keeps its length.
    /// </remarks>
    internal static int? ValleyIndex(double[] trend, double minDrop = 0)
    {
        int n = trend.Length;
        var length = new int[n];
        int end = 0;
        for (int i = 0; i < n; i++)
        {
            length[i] = 1;
            for (int j = 0; j < i; j++)
            {
                if (trend[i] < trend[j] - minDrop && length[j] + 1 > length[i])
                {
                    length[i] = length[j] + 1;
                }
            }

            if (length[i] > length[end])
            {
                end = i;
            }
        }

        if (length[end] < 2)
        {
            return null;
        }

        // As fastai: the valley is taken as the run's length back from its end, not from its first point, which may be a
        // lone high point far back on the plateau.
        int start = Math.Max(0, end - length[end]);
        double sections = (end - start) / 3.0;
        return start + (int)sections + (int)(sections / 2);
    }

    /// <summary>Finds where the trend starts to rise after its lowest point: the last point before it exceeds the lowest value by a clear margin.</summary>
    /// <param name="trend">The loss trend.</param>
    /// <param name="lowest">The index of the lowest value.</param>
    /// <param name="margin">How far above the lowest value counts as a clear rise.</param>
    /// <returns>The index, or <see langword="null"/> when the trend never rises clearly.</returns>
    internal static int? DivergenceIndex(double[] trend, int lowest, double margin)
    {
        for (int i = lowest + 1; i < trend.Length; i++)
        {
            if (trend[i] > trend[lowest] + margin)
            {
                return i - 1;
            }
        }

        return null;
    }

    /// <summary>The rise over the lowest trend value, as a fraction of it, that counts as the loss rising (unless the noise asks for more).</summary>
    internal const double RiseFraction = 0.1;

    private static bool HasDescent(double[] trend, int lowest, double margin)
    {
        double highest = double.NegativeInfinity;
        for (int i = 0; i <= lowest; i++)
        {
            highest = Math.Max(highest, trend[i]);
        }

        double drop = highest - trend[lowest];
        return drop > margin;
    }

    private static double LocalSlope(double[] x, double[] y, int from, int to)
    {
        int count = to - from + 1;
        if (count < 2)
        {
            return 0;
        }

        double meanX = 0;
        double meanY = 0;
        for (int i = from; i <= to; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }

        meanX /= count;
        meanY /= count;
        double sxy = 0;
        double sxx = 0;
        for (int i = from; i <= to; i++)
        {
            sxy += (x[i] - meanX) * (y[i] - meanY);
            sxx += (x[i] - meanX) * (x[i] - meanX);
        }

        return sxx > 0 ? sxy / sxx : 0;
    }

    private static int ArgMin(double[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] < values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
