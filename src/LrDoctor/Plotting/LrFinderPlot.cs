using System.Globalization;
using LrDoctor.Core.LrFinder;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace LrDoctor.Plotting;

/// <summary>Draws an LR range test as users expect it: loss against LR on a log axis, with each suggestion marked.</summary>
internal static class LrFinderPlot
{
    /// <summary>Saves the plot of <paramref name="result"/> as a PNG file.</summary>
    /// <param name="result">The range test result.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot title (the job name).</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or folder is not writable.</exception>
    public static void Save(LrFinderResult result, string path, string title)
    {
        ArgumentNullException.ThrowIfNull(result);
        PlotStyle.SavePng(Create(result, title), path);
    }

    /// <summary>Builds the plot of <paramref name="result"/>.</summary>
    /// <param name="result">The range test result.</param>
    /// <param name="title">The plot title.</param>
    /// <returns>The plot.</returns>
    internal static Plot Create(LrFinderResult result, string title)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plot = PlotStyle.Create($"LR range test: {title}", "learning rate (log scale)", "training loss");

        var points = result.Points;
        double[] logLr = [.. points.Select(p => Math.Log10(p.Lr))];
        if (points.Count > 0)
        {
            var raw = plot.Add.ScatterLine(logLr, [.. points.Select(p => p.Loss)]);
            raw.Color = Colors.Gray.WithAlpha(0.45);
            raw.LineWidth = 1;
            raw.LegendText = "batch loss";
            var smoothed = plot.Add.ScatterLine(logLr, [.. points.Select(p => p.SmoothedLoss)]);
            smoothed.Color = PlotStyle.Primary;
            smoothed.LineWidth = 2;
            smoothed.LegendText = "smoothed loss (EMA, lags)";
            var trend = plot.Add.ScatterLine(logLr, LrFinderAnalysis.Trend(points));
            trend.Color = Colors.DodgerBlue;
            trend.LineWidth = 1.5f;
            trend.LinePattern = LinePattern.Dashed;
            trend.LegendText = "loss trend (what the rules read)";
        }

        Mark(plot, result.Suggestions.Steep, "steep", Colors.DarkOrange, LinePattern.Dotted, 1.5f);
        Mark(plot, result.Suggestions.Valley, "valley", Colors.ForestGreen, LinePattern.Dotted, 1.5f);
        Mark(plot, result.Suggestions.Minimum, "minimum/10", Colors.Purple, LinePattern.Dotted, 1.5f);
        Mark(plot, result.Recommended, "recommended", Colors.Black, LinePattern.Solid, 2.5f);
        Mark(plot, result.DivergenceLr, "loss rises", Colors.Red, LinePattern.Dashed, 2f);

        var ticks = new NumericAutomatic
        {
            IntegerTicksOnly = true,
            LabelFormatter = x => "1e" + x.ToString("0", CultureInfo.InvariantCulture),
            MinorTickGenerator = new LogMinorTickGenerator(),
        };
        plot.Axes.Bottom.TickGenerator = ticks;
        if (points.Count > 0)
        {
            plot.Axes.SetLimitsX(logLr[0] - 0.1, logLr[^1] + 0.1);
            (double bottom, double top) = LossRange(result);
            plot.Axes.SetLimitsY(bottom, top);
        }

        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>The loss range worth showing: the descent in full, the blow-up cut where it leaves the starting level.</summary>
    private static (double Bottom, double Top) LossRange(LrFinderResult result)
    {
        var points = result.Points;
        double low = Math.Min(points.Min(p => p.SmoothedLoss), LrFinderAnalysis.Trend(points).Min());
        int head = Math.Min(points.Count, Math.Max(5, points.Count / 10));
        double start = points.Take(head).Select(p => p.SmoothedLoss).Max();
        double high = Math.Max(start, points.Max(p => p.SmoothedLoss) > 2 * start ? start : points.Max(p => p.SmoothedLoss));
        double span = Math.Max(high - low, 1e-12 * Math.Max(1, Math.Abs(high)));
        return (low - (0.05 * span), high + (0.25 * span));
    }

    private static void Mark(Plot plot, double? lr, string name, Color color, LinePattern pattern, float width)
    {
        if (lr is not double value || value <= 0)
        {
            return;
        }

        var line = plot.Add.VerticalLine(Math.Log10(value));
        line.Color = color;
        line.LinePattern = pattern;
        line.LineWidth = width;
        line.LegendText = $"{name} {value.ToString("0.###e+0", CultureInfo.InvariantCulture)}";
    }
}
