namespace LrDoctor.Core.Schedules;

/// <summary>PyTorch's ConstantLR: the base LR times <c>factor</c> until step <c>totalIters</c>, then the base LR.</summary>
/// <remarks>
/// PyTorch multiplies by <c>factor</c> at step 0 and by <c>1.0 / factor</c> at step <c>totalIters</c>, so the later value
/// is <c>(lr·factor)·(1/factor)</c> rather than lr, and with <c>totalIters = 0</c> the factor is never undone.
/// </remarks>
internal sealed class ConstantFactorSchedule : ILrSchedule
{
    private readonly double _first;
    private readonly double _after;
    private readonly long _totalIters;

    /// <summary>Initializes a new instance of the <see cref="ConstantFactorSchedule"/> class.</summary>
    public ConstantFactorSchedule(double baseLr, double factor, long totalIters, ChainStart start)
    {
        _totalIters = totalIters;
        _first = start.AtMilestone
            ? baseLr * (factor + (0 >= totalIters ? 1 - factor : 0.0))
            : start.GroupLr * factor;
        _after = _first * (1.0 / factor);
    }

    /// <inheritdoc/>
    public double LearningRate(long step) => step >= 1 && _totalIters >= 1 && step >= _totalIters ? _after : _first;
}
