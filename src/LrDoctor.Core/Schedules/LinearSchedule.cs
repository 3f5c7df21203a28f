namespace LrDoctor.Core.Schedules;

/// <summary>PyTorch's LinearLR: the LR factor moves linearly from <c>startFactor</c> to <c>endFactor</c> over <c>totalIters</c> steps.</summary>
internal sealed class LinearSchedule : ILrSchedule
{
    private readonly RecurrenceCache _values;

    /// <summary>Initializes a new instance of the <see cref="LinearSchedule"/> class.</summary>
    public LinearSchedule(double baseLr, double startFactor, double endFactor, long totalIters, ChainStart start)
    {
        double first;
        if (start.AtMilestone)
        {
            double progress = totalIters > 0 ? (endFactor - startFactor) * Math.Min(totalIters, 0) / totalIters : 0.0;
            first = baseLr * (startFactor + progress);
        }
        else
        {
            first = start.GroupLr * startFactor;
        }

        // PyTorch's chainable form: each step multiplies the previous LR by the ratio of consecutive factors.
        _values = new RecurrenceCache(
            first,
            (t, lr) => t > totalIters
                ? lr
                : lr * (1.0 + ((endFactor - startFactor) / ((totalIters * startFactor) + ((t - 1) * (endFactor - startFactor))))),
            frozenAfter: totalIters);
    }

    /// <inheritdoc/>
    public double LearningRate(long step) => _values.ValueAt(step);
}
