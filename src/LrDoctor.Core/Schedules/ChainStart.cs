namespace LrDoctor.Core.Schedules;

/// <summary>How a chainable (recursive) PyTorch scheduler obtains its learning rate at its own step 0.</summary>
/// <remarks>
/// Standing alone (or first in a SequentialLR) the scheduler's initial step applies its chainable formula to the
/// optimizer's current LR; later in a SequentialLR it is restarted at its milestone with <c>step(0)</c>, which
/// uses the scheduler's closed form. The two agree except in rounding and in a few degenerate settings
/// (<c>totalIters = 0</c>), and PyTorch's values depend on which one ran.
/// </remarks>
/// <param name="AtMilestone">Whether the scheduler restarts at a SequentialLR milestone (closed form at 0).</param>
/// <param name="GroupLr">The optimizer's LR when the scheduler takes its initial step (ignored at a milestone).</param>
internal readonly record struct ChainStart(bool AtMilestone, double GroupLr)
{
    /// <summary>Gets the start of a scheduler standing alone on an optimizer whose LR is <paramref name="groupLr"/>.</summary>
    public static ChainStart Initial(double groupLr) => new(false, groupLr);

    /// <summary>Gets the start of a scheduler restarted at a SequentialLR milestone.</summary>
    public static ChainStart Milestone { get; } = new(true, double.NaN);
}
