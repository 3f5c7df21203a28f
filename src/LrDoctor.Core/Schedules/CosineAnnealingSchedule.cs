namespace LrDoctor.Core.Schedules;

/// <summary>PyTorch's CosineAnnealingLR in its recursive (chainable) form, which past <c>tMax</c> climbs back up.</summary>
/// <remarks>
/// PyTorch computes each LR from the previous one, and the recursion's rounding drifts from the textbook closed form
/// by more than 1e-12 over long runs; the recursion is replayed lazily (<see cref="RecurrenceCache"/>) instead.
/// </remarks>
internal sealed class CosineAnnealingSchedule : ILrSchedule
{
    private readonly RecurrenceCache _values;

    /// <summary>Initializes a new instance of the <see cref="CosineAnnealingSchedule"/> class.</summary>
    public CosineAnnealingSchedule(double baseLr, long tMax, double etaMin, ChainStart start)
    {
        double first = start.AtMilestone
            ? etaMin + ((baseLr - etaMin) * (1 + Math.Cos(Math.PI * 0 / tMax)) / 2)
            : start.GroupLr;
        double restartStep = (baseLr - etaMin) * (1 - Math.Cos(Math.PI / tMax)) / 2;
        _values = new RecurrenceCache(first, (t, lr) =>
        {
            if ((t - 1 - tMax) % (2 * tMax) == 0)
            {
                return lr + restartStep;
            }

            return ((1 + Math.Cos(Math.PI * t / tMax)) / (1 + Math.Cos(Math.PI * (t - 1) / tMax)) * (lr - etaMin)) + etaMin;
        });
    }

    /// <inheritdoc/>
    public double LearningRate(long step) => _values.ValueAt(step);
}
