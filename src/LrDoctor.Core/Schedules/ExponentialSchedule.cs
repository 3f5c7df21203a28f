namespace LrDoctor.Core.Schedules;

/// <summary>PyTorch's ExponentialLR: the LR is multiplied by <c>gamma</c> every step (recursively, as PyTorch does).</summary>
internal sealed class ExponentialSchedule : ILrSchedule
{
    private readonly RecurrenceCache _values;

    /// <summary>Initializes a new instance of the <see cref="ExponentialSchedule"/> class.</summary>
    public ExponentialSchedule(double baseLr, double gamma, ChainStart start)
    {
        double first = start.AtMilestone ? baseLr * Math.Pow(gamma, 0) : start.GroupLr;
        _values = new RecurrenceCache(first, (_, previous) => previous * gamma);
    }

    /// <inheritdoc/>
    public double LearningRate(long step) => _values.ValueAt(step);
}
