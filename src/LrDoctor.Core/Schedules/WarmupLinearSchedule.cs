namespace LrDoctor.Core.Schedules;

/// <summary>Hugging Face's get_linear_schedule_with_warmup: 0 → base LR over the warmup, then linearly to 0 at <c>totalSteps</c>.</summary>
/// <param name="baseLr">The peak LR.</param>
/// <param name="warmupSteps">The number of warmup steps.</param>
/// <param name="totalSteps">The step at which the LR reaches 0 (and stays).</param>
internal sealed class WarmupLinearSchedule(double baseLr, long warmupSteps, long totalSteps) : ILrSchedule
{
    /// <inheritdoc/>
    public double LearningRate(long step) => baseLr * Factor(step);

    private double Factor(long step)
    {
        if (step < warmupSteps)
        {
            return (double)step / Math.Max(1, warmupSteps);
        }

        return Math.Max(0.0, (double)(totalSteps - step) / Math.Max(1, totalSteps - warmupSteps));
    }
}
