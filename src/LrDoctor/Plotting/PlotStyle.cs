using ScottPlot;

namespace LrDoctor.Plotting;

/// <summary>The look shared by LrDoctor's PNG plots (schedules, loss curves, LR range tests): size, fonts, labels.</summary>
internal static class PlotStyle
{
    /// <summary>Gets the PNG width in pixels.</summary>
    public const int Width = 1000;

    /// <summary>Gets the PNG height in pixels.</summary>
    public const int Height = 560;

    /// <summary>Gets the colour of the primary series (the learning rate).</summary>
    public static Color Primary { get; } = Colors.Navy;

    /// <summary>Gets the colour of a secondary series on the right axis (momentum, validation loss).</summary>
    public static Color Secondary { get; } = Colors.DarkOrange;

    /// <summary>Creates a plot with a title and axis labels.</summary>
    public static Plot Create(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title, size: 18);
        plot.XLabel(xLabel, size: 15);
        plot.YLabel(yLabel, size: 15);
        return plot;
    }

    /// <summary>Writes <paramref name="plot"/> to <paramref name="path"/> as a PNG, creating the folder if needed.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or folder is not writable.</exception>
    public static void SavePng(Plot plot, string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        File.WriteAllBytes(path, png);
    }
}
