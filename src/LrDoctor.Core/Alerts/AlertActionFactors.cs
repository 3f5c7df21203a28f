namespace LrDoctor.Core.Alerts;

/// <summary>The LR factors the webhook applies for the scaling actions.</summary>
/// <param name="CutLr">The factor of <c>cut_lr</c>; 0.5 by default (the reference's "cut 2-5x", at its gentle end).</param>
/// <param name="ReduceOnPlateau">The factor of <c>reduce_on_plateau</c>; 0.1 by default, as PyTorch's ReduceLROnPlateau.</param>
public sealed record AlertActionFactors(double CutLr = 0.5, double ReduceOnPlateau = 0.1)
{
    /// <summary>Gets the default factors.</summary>
    public static AlertActionFactors Default { get; } = new();
}
