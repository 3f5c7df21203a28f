namespace LrDoctor.Core.Interventions;

/// <summary>The engine's own safety net for catastrophic divergence: a non-finite loss or gradient, or a loss several times the untrained one.</summary>
/// <remarks>
/// The detectors find finer symptoms; this guard only catches what no healthy run ever does, so the rollback path works
/// even when the detectors are tuned conservatively: a batch loss above <c>factor</c> x the first step's loss means the
/// model is now worse than untrained.
/// </remarks>
/// <param name="factor">The multiple of the first loss counted as a blow-up; 0 disables that check (non-finite values still count).</param>
public sealed class BlowUpGuard(double factor)
{
    /// <summary>Gets the first finite loss seen (the untrained level).</summary>
    public double? InitialLoss { get; private set; }

    /// <summary>Observes one step; returns <see langword="true"/> when it is catastrophic.</summary>
    /// <param name="loss">The batch loss.</param>
    /// <param name="gradNorm">The gradient norm, when computed.</param>
    /// <returns>Whether the step blew up.</returns>
    public bool Observe(double loss, double? gradNorm)
    {
        if (!double.IsFinite(loss) || (gradNorm is { } g && !double.IsFinite(g)))
        {
            return true;
        }

        if (InitialLoss is not { } initial)
        {
            InitialLoss = loss;
            return false;
        }

        return factor > 0 && initial > 0 && loss > factor * initial;
    }

    /// <summary>Restores the untrained level saved in a checkpoint.</summary>
    public void Restore(double? initialLoss) => InitialLoss = initialLoss;
}
