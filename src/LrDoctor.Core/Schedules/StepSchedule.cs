namespace LrDoctor.Core.Schedules;

/// <summary>PyTorch's StepLR: the LR is multiplied by <c>gamma</c> every <c>stepSize</c> steps.</summary>
internal sealed class StepSchedule : ILrSchedule
{
    private readonly long _stepSize;
    private readonly RecurrenceCache _decays;

    /// <summary>Initializes a new instance of the <see cref="StepSchedule"/> class.</summary>
    public StepSchedule(double baseLr, long stepSize, double gamma, ChainStart start)
    {
        _stepSize = stepSize;
        double first = start.AtMilestone ? baseLr * Math.Pow(gamma, 0) : start.GroupLr;

        // PyTorch multiplies the previous LR once per decay; replaying the products per decay index is exact.
        _decays = new RecurrenceCache(first, (_, previous) => previous * gamma);
    }

    /// <inheritdoc/>
    public double LearningRate(long step) => _decays.ValueAt(step / _stepSize);
}
