namespace LrDoctor.Core.Jobs;

/// <summary>Reduce-on-plateau settings, with PyTorch's <c>ReduceLROnPlateau</c> names and defaults (mode min).</summary>
public sealed record PlateauSpec
{
    /// <summary>Gets whether the doctor reduces the LR on a plateau.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool Enabled { get; init; } = true;

    /// <summary>Gets the factor the LR is multiplied by.</summary>
    /// <value>Default 0.1.</value>
    public double Factor { get; init; } = 0.1;

    /// <summary>Gets the number of evaluations with no improvement tolerated.</summary>
    /// <value>Default 10.</value>
    public int Patience { get; init; } = 10;

    /// <summary>Gets the threshold of a significant improvement.</summary>
    /// <value>Default 1e-4.</value>
    public double Threshold { get; init; } = 1e-4;

    /// <summary>Gets the threshold mode: <c>rel</c> or <c>abs</c>.</summary>
    public string ThresholdMode { get; init; } = "rel";

    /// <summary>Gets the number of evaluations to wait after a reduction.</summary>
    public int Cooldown { get; init; }

    /// <summary>Gets the lower bound of the LR.</summary>
    public double MinLr { get; init; }

    /// <summary>Gets the smallest LR change applied.</summary>
    /// <value>Default 1e-8.</value>
    public double Eps { get; init; } = 1e-8;
}
