namespace LrDoctor.Core.Schedules;

/// <summary>The Transformer ("Noam") schedule of Vaswani et al.: base · d^-0.5 · min(s^-0.5, s · w^-1.5) with s = step + 1.</summary>
/// <param name="baseLr">The scale factor.</param>
/// <param name="warmupSteps">The warmup length w (the peak is at s = w).</param>
/// <param name="dModel">The model width d.</param>
internal sealed class InverseSqrtSchedule(double baseLr, long warmupSteps, double dModel) : ILrSchedule
{
    private readonly double _scale = Math.Pow(dModel, -0.5);
    private readonly double _warmupSlope = Math.Pow(warmupSteps, -1.5);

    /// <inheritdoc/>
    public double LearningRate(long step)
    {
        double s = step + 1;
        return baseLr * (_scale * Math.Min(Math.Pow(s, -0.5), s * _warmupSlope));
    }
}
