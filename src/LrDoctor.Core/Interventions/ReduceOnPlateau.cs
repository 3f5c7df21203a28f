using LrDoctor.Core.Jobs;

namespace LrDoctor.Core.Interventions;

/// <summary>Reduce-on-plateau with the exact semantics of PyTorch's <c>ReduceLROnPlateau</c> in mode <c>min</c>.</summary>
/// <remarks>
/// One <see cref="Step"/> per evaluation: a metric better than the best by more than the threshold resets the count of bad
/// evaluations; more than <c>patience</c> bad ones multiply the LR by <c>factor</c> (not below <c>minLr</c>, and only when the
/// change exceeds <c>eps</c>), then <c>cooldown</c> evaluations are ignored. The LR is returned rather than stored, so that the
/// engine applies it as an intervention scale that composes with any schedule.
/// </remarks>
public sealed class ReduceOnPlateau
{
    private readonly PlateauSpec _spec;

    /// <summary>Initializes a new instance of the <see cref="ReduceOnPlateau"/> class.</summary>
    /// <param name="spec">Factor, patience, threshold and mode, cooldown, minimum LR, eps.</param>
    public ReduceOnPlateau(PlateauSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
    }

    /// <summary>Gets the best metric so far (+infinity before the first).</summary>
    public double Best { get; private set; } = double.PositiveInfinity;

    /// <summary>Gets the number of evaluations since the last improvement.</summary>
    public int NumBadEpochs { get; private set; }

    /// <summary>Gets the evaluations left in the cooldown.</summary>
    public int CooldownCounter { get; private set; }

    /// <summary>Gets the number of steps taken.</summary>
    public long LastEpoch { get; private set; }

    /// <summary>Feeds one metric value; returns the reduced LR when the plateau calls for a reduction, else <see langword="null"/>.</summary>
    /// <param name="metric">The monitored value (validation loss or smoothed training loss); NaN counts as no improvement.</param>
    /// <param name="currentLr">The LR in force.</param>
    /// <returns>The new LR, or <see langword="null"/> to keep <paramref name="currentLr"/>.</returns>
    public double? Step(double metric, double currentLr)
    {
        LastEpoch++;
        if (IsBetter(metric, Best))
        {
            Best = metric;
            NumBadEpochs = 0;
        }
        else
        {
            NumBadEpochs++;
        }

        if (CooldownCounter > 0)
        {
            CooldownCounter--;
            NumBadEpochs = 0;
        }

        if (NumBadEpochs <= _spec.Patience)
        {
            return null;
        }

        CooldownCounter = _spec.Cooldown;
        NumBadEpochs = 0;
        double newLr = Math.Max(currentLr * _spec.Factor, _spec.MinLr);
        return currentLr - newLr > _spec.Eps ? newLr : null;
    }

    /// <summary>Restores the state saved in a checkpoint.</summary>
    public void Restore(double best, int numBadEpochs, int cooldownCounter, long lastEpoch)
    {
        Best = best;
        NumBadEpochs = numBadEpochs;
        CooldownCounter = cooldownCounter;
        LastEpoch = lastEpoch;
    }

    private bool IsBetter(double a, double best) => _spec.ThresholdMode == "abs"
        ? a < best - _spec.Threshold
        : a < best * (1.0 - _spec.Threshold);
}
