namespace LrDoctor.Core.Schedules;

/// <summary>The levels a one-cycle schedule moves between, as PyTorch's OneCycleLR keeps them in the optimizer's param group.</summary>
/// <param name="InitialLr">The starting LR, <c>maxLr / divFactor</c>.</param>
/// <param name="MaxLr">The peak LR.</param>
/// <param name="MinLr">The final LR, <c>initialLr / finalDivFactor</c>.</param>
/// <param name="CycleMomentum">Whether momentum is cycled.</param>
/// <param name="BaseMomentum">The momentum at the LR peak.</param>
/// <param name="MaxMomentum">The momentum at the start and the end.</param>
internal sealed record OneCycleLevels(
    double InitialLr,
    double MaxLr,
    double MinLr,
    bool CycleMomentum,
    double BaseMomentum,
    double MaxMomentum);
