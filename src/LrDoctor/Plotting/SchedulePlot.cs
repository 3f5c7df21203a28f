using ScottPlot;

namespace LrDoctor.Plotting;

/// <summary>Draws a learning-rate schedule (and its momentum, when it cycles momentum) to a PNG.</summary>
internal static class SchedulePlot
{
    /// <summary>Draws the curve and saves it to <paramref name="path"/>.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">The plot title (the schedule type and parameters).</param>
    /// <param name="learningRates">The LR at steps 0, <paramref name="period"/>, 2·<paramref name="period"/>, ...</param>
    /// <param name="momentum">The momentum at the same steps, or <see langword="null"/>.</param>
    /// <param name="period">The step distance between two samples (1 unless a long schedule was thinned).</param>
    public static void Save(string path, string title, double[] learningRates, double[]? momentum, long period = 1)
    {
        Plot plot = PlotStyle.Create(title, "step", "learning rate");
        var lr = plot.Add.Signal(learningRates, period);
        lr.Color = PlotStyle.Primary;
        lr.LineWidth = 2;
        if (momentum is not null)
        {
            lr.LegendText = "learning rate";
            var m = plot.Add.Signal(momentum, period);
            m.Color = PlotStyle.Secondary;
            m.LineWidth = 2;
            m.LinePattern = LinePattern.Dashed;
            m.LegendText = "momentum";
            m.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "momentum";
            plot.Axes.Right.Label.FontSize = 15;
            plot.ShowLegend(Edge.Bottom);
        }

        plot.Axes.Margins(horizontal: 0.01, vertical: 0.08);
        PlotStyle.SavePng(plot, path);
    }
}
