namespace LrDoctor.Core.LrFinder;

/// <summary>The stable values of <see cref="LrFinderResult.StopReason"/>.</summary>
public static class LrFinderStopReasons
{
    /// <summary>The ramp reached its last batch.</summary>
    public const string Completed = "completed";

    /// <summary>The smoothed loss exceeded the divergence factor times its best value.</summary>
    public const string Diverged = "diverged";

    /// <summary>A batch loss was NaN or infinite; only the finite prefix is kept.</summary>
    public const string NonFinite = "non_finite";
}
