using System.Globalization;
using LrDoctor.Core.Detectors;
using LrDoctor.Core.Diagnosis;
using LrDoctor.Core.Records;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace LrDoctor.Plotting;

/// <summary>Draws a diagnosed log: training and validation loss and the LR on log axes, each finding's onset marked.</summary>
internal static class DiagnosisPlot
{
    private const int MaxPoints = 20_000;

    /// <summary>Saves the plot as a PNG.</summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="title">The title (the log's file name).</param>
    /// <param name="records">The log's records.</param>
    /// <param name="diagnosis">Its diagnosis.</param>
    public static void Save(string path, string title, IReadOnlyList<StepRecord> records, LogDiagnosis diagnosis)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(diagnosis);
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("loss (log scale)");

        int stride = Math.Max(1, records.Count / MaxPoints);
        var (trainX, trainY) = Series(records, stride, r => r.TrainLoss);
        var (valX, valY) = Series(records, 1, r => r.ValLoss);
        var (lrX, lrY) = Series(records, stride, r => r.Lr);
        if (trainX.Length > 0)
        {
            var train = plot.Add.ScatterLine(trainX, trainY, Colors.SteelBlue);
            train.LegendText = "train loss";
            train.LineWidth = 1;
        }

        if (valX.Length > 0)
        {
            var val = plot.Add.Scatter(valX, valY, Colors.DarkOrange);
            val.LegendText = "validation loss";
            val.LineWidth = 2;
            val.MarkerSize = valX.Length > 200 ? 0 : 4;
        }

        plot.Axes.Left.TickGenerator = LogTicks();
        if (lrX.Length > 0)
        {
            var lr = plot.Add.ScatterLine(lrX, lrY, Colors.Gray);
            lr.LegendText = "learning rate";
            lr.LinePattern = LinePattern.Dashed;
            lr.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "learning rate (log scale)";
            plot.Axes.Right.TickGenerator = LogTicks();
        }

        foreach (var finding in diagnosis.Findings)
        {
            var line = plot.Add.VerticalLine(finding.OnsetStep);
            line.Color = finding.Severity == Severity.Critical ? Colors.Red : Colors.Purple;
            line.LinePattern = LinePattern.Dotted;
            line.LineWidth = 2;
            line.Text = string.Create(CultureInfo.InvariantCulture, $"{finding.Symptom} @ {finding.OnsetStep}");
            line.LabelOppositeAxis = true;
        }

        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1200, 700);
    }

    private static NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = y => Math.Pow(10, y).ToString("G3", CultureInfo.InvariantCulture),
    };

    private static (double[] X, double[] Y) Series(IReadOnlyList<StepRecord> records, int stride, Func<StepRecord, double?> value)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (int i = 0; i < records.Count; i++)
        {
            if (value(records[i]) is { } v && v > 0 && double.IsFinite(v) && (i % stride == 0 || stride == 1))
            {
                xs.Add(records[i].Step);
                ys.Add(Math.Log10(v));
            }
        }

        return ([.. xs], [.. ys]);
    }
}
