namespace LrDoctor.Core.Schedules;

/// <summary>PyTorch's PolynomialLR: the LR decays as (1 - t/totalIters)^power to 0 at <c>totalIters</c>, then stays there.</summary>
internal sealed class PolynomialSchedule : ILrSchedule
{
    private readonly RecurrenceCache _values;

    /// <summary>Initializes a new instance of the <see cref="PolynomialSchedule"/> class.</summary>
    public PolynomialSchedule(double baseLr, long totalIters, double power, ChainStart start)
    {
        double first = start.AtMilestone
            ? baseLr * Math.Pow(1.0 - (totalIters > 0 ? (double)Math.Min(totalIters, 0) / totalIters : 0.0), power)
            : start.GroupLr;
        _values = new RecurrenceCache(
            first,
            (t, lr) => t > totalIters
                ? lr
                : lr * Math.Pow((1.0 - ((double)t / totalIters)) / (1.0 - ((double)(t - 1) / totalIters)), power),
            frozenAfter: totalIters);
    }

    /// <inheritdoc/>
    public double LearningRate(long step) => _values.ValueAt(step);
}
