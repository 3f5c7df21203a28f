namespace LrDoctor.Core.Schedules;

/// <summary>PyTorch's OneCycleLR: warm up to <c>maxLr</c>, anneal to <c>initialLr / finalDivFactor</c>, momentum cycled inversely.</summary>
/// <remarks>
/// PyTorch raises once the step exceeds <c>totalSteps</c>; past that step this schedule holds the final LR and momentum,
/// which is what a run that outlives its cycle should use.
/// </remarks>
internal sealed class OneCycleSchedule : ILrSchedule
{
    private readonly long _totalSteps;
    private readonly double _pctStart;
    private readonly bool _linear;
    private readonly bool _threePhase;
    private readonly Phase[] _phases;

    /// <summary>Initializes a new instance of the <see cref="OneCycleSchedule"/> class.</summary>
    public OneCycleSchedule(
        long totalSteps,
        double pctStart,
        bool linearAnneal,
        bool threePhase,
        OneCycleLevels levels)
    {
        _totalSteps = totalSteps;
        _pctStart = pctStart;
        _linear = linearAnneal;
        _threePhase = threePhase;
        Levels = levels;
        (double initial, double max, double min) = (levels.InitialLr, levels.MaxLr, levels.MinLr);
        (double mLow, double mHigh) = (levels.BaseMomentum, levels.MaxMomentum);
        _phases = threePhase
            ?
            [
                new((pctStart * totalSteps) - 1, initial, max, mHigh, mLow),
                new((2 * pctStart * totalSteps) - 2, max, initial, mLow, mHigh),
                new(totalSteps - 1, initial, min, mHigh, mHigh),
            ]
            :
            [
                new((pctStart * totalSteps) - 1, initial, max, mHigh, mLow),
                new(totalSteps - 1, max, min, mLow, mHigh),
            ];
    }

    /// <summary>Gets the LR and momentum levels the schedule moves between.</summary>
    internal OneCycleLevels Levels { get; }

    /// <summary>Gets a value indicating whether the first phase has no length (PyTorch divides by zero at step 0).</summary>
    internal bool HasEmptyWarmup => _phases[0].EndStep == 0.0;

    /// <inheritdoc/>
    public bool CyclesMomentum => Levels.CycleMomentum;

    /// <summary>Returns the same cycle with other levels (SequentialLR shares them through the optimizer's group).</summary>
    internal OneCycleSchedule WithLevels(OneCycleLevels levels) => new(_totalSteps, _pctStart, _linear, _threePhase, levels);

    /// <inheritdoc/>
    public double LearningRate(long step) => Evaluate(step, momentum: false);

    /// <inheritdoc/>
    public double? Momentum(long step) => CyclesMomentum ? Evaluate(step, momentum: true) : null;

    private double Evaluate(long step, bool momentum)
    {
        Phase final = _phases[^1];
        if (step > _totalSteps)
        {
            return momentum ? final.EndMomentum : final.EndLr;
        }

        double startStep = 0.0;
        for (int i = 0; i < _phases.Length; i++)
        {
            Phase phase = _phases[i];
            bool last = i == _phases.Length - 1;
            if (step <= phase.EndStep || last)
            {
                double length = phase.EndStep - startStep;
                if (length == 0 && step != startStep)
                {
                    // Only reachable at step == totalSteps after an empty last phase, where PyTorch divides by zero.
                    return momentum ? phase.EndMomentum : phase.EndLr;
                }

                double pct = (step - startStep) / length;
                return momentum
                    ? Anneal(phase.StartMomentum, phase.EndMomentum, pct)
                    : Anneal(phase.StartLr, phase.EndLr, pct);
            }

            startStep = phase.EndStep;
        }

        throw new InvalidOperationException("unreachable: the last phase always matches");
    }

    private double Anneal(double start, double end, double pct)
    {
        if (_linear)
        {
            return ((end - start) * pct) + start;
        }

        double cosOut = Math.Cos(Math.PI * pct) + 1;
        return end + ((start - end) / 2.0 * cosOut);
    }

    private readonly record struct Phase(double EndStep, double StartLr, double EndLr, double StartMomentum, double EndMomentum);
}
