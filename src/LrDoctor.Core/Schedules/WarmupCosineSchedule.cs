namespace LrDoctor.Core.Schedules;

/// <summary>Hugging Face's cosine schedule with warmup (and <c>cosine_with_min_lr</c> when <c>minLrRatio</c> &gt; 0).</summary>
/// <remarks>Like Hugging Face's, the cosine is not clamped at <c>totalSteps</c>: past it the LR climbs back up.</remarks>
/// <param name="baseLr">The peak LR.</param>
/// <param name="warmupSteps">The number of linear warmup steps from 0.</param>
/// <param name="totalSteps">The step where the half cosine ends.</param>
/// <param name="minLrRatio">The floor of the cosine, as a fraction of the base LR.</param>
/// <param name="numCycles">The number of cosine waves over the decay (0.5: one half wave down).</param>
internal sealed class WarmupCosineSchedule(double baseLr, long warmupSteps, long totalSteps, double minLrRatio, double numCycles) : ILrSchedule
{
    /// <inheritdoc/>
    public double LearningRate(long step) => baseLr * Factor(step);

    private double Factor(long step)
    {
        if (step < warmupSteps)
        {
            return (double)step / Math.Max(1, warmupSteps);
        }

        double progress = (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps);
        double factor = 0.5 * (1.0 + Math.Cos(Math.PI * numCycles * 2.0 * progress));
        factor = (factor * (1 - minLrRatio)) + minLrRatio;
        return Math.Max(0, factor);
    }
}
