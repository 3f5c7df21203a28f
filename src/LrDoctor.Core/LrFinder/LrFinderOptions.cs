namespace LrDoctor.Core.LrFinder;

/// <summary>The settings of one LR range test: the LR ramp, the loss smoothing and the stop rule.</summary>
public sealed record LrFinderOptions
{
    /// <summary>The largest number of batches a range test may take (the analysis is quadratic in it).</summary>
    public const int MaxSteps = 10_000;

    /// <summary>Gets the learning rate of the first batch.</summary>
    /// <value>Defaults to 1e-7.</value>
    public double MinLr { get; init; } = 1e-7;

    /// <summary>Gets the learning rate of the last batch.</summary>
    /// <value>Defaults to 10.</value>
    public double MaxLr { get; init; } = 10.0;

    /// <summary>Gets the number of batches of the ramp.</summary>
    /// <value>Defaults to 100.</value>
    public int Steps { get; init; } = 100;

    /// <summary>Gets how the learning rate ramps.</summary>
    /// <value>Defaults to <see cref="LrRampMode.Exponential"/>.</value>
    public LrRampMode Mode { get; init; } = LrRampMode.Exponential;

    /// <summary>Gets the decay of the bias-corrected exponential moving average of the loss.</summary>
    /// <value>Defaults to 0.98 (fastai's and Smith's value).</value>
    public double Beta { get; init; } = 0.98;

    /// <summary>Gets the factor over its best value at which the smoothed loss stops the test.</summary>
    /// <value>Defaults to 4 (fastai's <c>stop_div</c>).</value>
    public double DivergenceFactor { get; init; } = 4.0;

    /// <summary>Throws a <see cref="SpecException"/> naming the first invalid setting.</summary>
    /// <exception cref="SpecException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!double.IsFinite(MinLr) || MinLr <= 0)
        {
            throw new SpecException("min", $"must be a positive finite learning rate, got {MinLr}");
        }

        if (!double.IsFinite(MaxLr) || MaxLr <= MinLr)
        {
            throw new SpecException("max", $"must be finite and greater than min ({MinLr}), got {MaxLr}");
        }

        if (Steps < 2 || Steps > MaxSteps)
        {
            throw new SpecException("steps", $"must be between 2 and {MaxSteps}, got {Steps}");
        }

        if (!Enum.IsDefined(Mode))
        {
            throw new SpecException("mode", $"must be exponential or linear, got {Mode}");
        }

        if (!(Beta >= 0 && Beta < 1))
        {
            throw new SpecException("beta", $"must be in [0, 1), got {Beta}");
        }

        if (!(DivergenceFactor > 1) || !double.IsFinite(DivergenceFactor))
        {
            throw new SpecException("divergenceFactor", $"must be a finite number greater than 1, got {DivergenceFactor}");
        }
    }

    /// <summary>Gets the learning rate of batch <paramref name="step"/> (0-based): <see cref="MinLr"/> at 0, <see cref="MaxLr"/> at <see cref="Steps"/> − 1.</summary>
    /// <param name="step">The batch index.</param>
    /// <returns>The learning rate the optimizer uses for that batch.</returns>
    public double LrAt(int step)
    {
        double position = Steps <= 1 ? 0.0 : Math.Clamp((double)step / (Steps - 1), 0.0, 1.0);
        return Mode == LrRampMode.Linear
            ? MinLr + ((MaxLr - MinLr) * position)
            : MinLr * Math.Pow(MaxLr / MinLr, position);
    }
}
