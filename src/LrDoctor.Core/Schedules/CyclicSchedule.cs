namespace LrDoctor.Core.Schedules;

/// <summary>PyTorch's CyclicLR: triangular cycles between <c>baseLr</c> and <c>maxLr</c>, momentum cycled inversely.</summary>
internal sealed class CyclicSchedule : ILrSchedule
{
    private readonly double _baseLr;
    private readonly double _maxLr;
    private readonly double _totalSize;
    private readonly double _stepRatio;
    private readonly CyclicMode _mode;
    private readonly double _gamma;
    private readonly double _baseMomentum;
    private readonly double _maxMomentum;

    /// <summary>Initializes a new instance of the <see cref="CyclicSchedule"/> class.</summary>
    public CyclicSchedule(
        double baseLr,
        double maxLr,
        double stepSizeUp,
        double stepSizeDown,
        CyclicMode mode,
        double gamma,
        bool cycleMomentum,
        double baseMomentum,
        double maxMomentum)
    {
        _baseLr = baseLr;
        _maxLr = maxLr;
        _totalSize = stepSizeUp + stepSizeDown;
        _stepRatio = stepSizeUp / _totalSize;
        _mode = mode;
        _gamma = gamma;
        CyclesMomentum = cycleMomentum;
        _baseMomentum = baseMomentum;
        _maxMomentum = maxMomentum;
    }

    /// <inheritdoc/>
    public bool CyclesMomentum { get; }

    /// <summary>Gets the lower LR bound, which PyTorch also writes into the optimizer at construction.</summary>
    internal double BaseLr => _baseLr;

    /// <summary>Gets the momentum bounds (base, max) this schedule writes into the optimizer's group.</summary>
    internal (double Base, double Max) MomentumBounds => (_baseMomentum, _maxMomentum);

    /// <inheritdoc/>
    public double LearningRate(long step)
    {
        (double scale, double amplitude) = Shape(step);
        return _baseLr + ((_maxLr - _baseLr) * scale * amplitude);
    }

    /// <inheritdoc/>
    public double? Momentum(long step)
    {
        if (!CyclesMomentum)
        {
            return null;
        }

        (double scale, double amplitude) = Shape(step);
        return _maxMomentum - ((_maxMomentum - _baseMomentum) * scale * amplitude);
    }

    private (double Scale, double Amplitude) Shape(long step)
    {
        double cycle = Math.Floor(1 + (step / _totalSize));
        double x = 1.0 + (step / _totalSize) - cycle;
        double scale = x <= _stepRatio ? x / _stepRatio : (x - 1) / (_stepRatio - 1);
        double amplitude = _mode switch
        {
            CyclicMode.Triangular => 1.0,
            CyclicMode.Triangular2 => 1 / Math.Pow(2.0, cycle - 1),
            _ => Math.Pow(_gamma, step),
        };
        return (scale, amplitude);
    }
}
