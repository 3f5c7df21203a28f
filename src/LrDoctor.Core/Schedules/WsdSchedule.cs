namespace LrDoctor.Core.Schedules;

/// <summary>Hugging Face's get_wsd_schedule: warmup to the base LR, hold it, then decay to <c>minLrRatio</c> × base by <c>totalSteps</c>.</summary>
/// <param name="baseLr">The stable LR.</param>
/// <param name="warmupSteps">The warmup length.</param>
/// <param name="decayStart">The first step of the decay.</param>
/// <param name="totalSteps">The end of the decay; the LR stays at the minimum afterwards.</param>
/// <param name="warmup">The warmup shape.</param>
/// <param name="decay">The decay shape.</param>
/// <param name="minLrRatio">The minimum LR as a fraction of the base LR (also the warmup's starting point).</param>
/// <param name="numCycles">The number of cosine waves of a cosine decay (0.5: one half wave).</param>
internal sealed class WsdSchedule(
    double baseLr,
    long warmupSteps,
    long decayStart,
    long totalSteps,
    DecayShape warmup,
    DecayShape decay,
    double minLrRatio,
    double numCycles) : ILrSchedule
{
    /// <inheritdoc/>
    public double LearningRate(long step) => baseLr * Factor(step);

    private double Factor(long step)
    {
        if (step < warmupSteps)
        {
            double progress = (double)step / Math.Max(1, warmupSteps);
            double factor = warmup switch
            {
                DecayShape.Linear => progress,
                DecayShape.Cosine => 0.5 * (1.0 - Math.Cos(Math.PI * progress)),
                _ => 1.0 - Math.Sqrt(1.0 - progress),
            };
            return Math.Max(0.0, (factor * (1.0 - minLrRatio)) + minLrRatio);
        }

        if (step < decayStart)
        {
            return 1.0;
        }

        if (step < totalSteps)
        {
            double progress = (double)(step - decayStart) / Math.Max(1, totalSteps - decayStart);
            double factor = decay switch
            {
                DecayShape.Linear => 1.0 - progress,
                DecayShape.Cosine => 0.5 * (1.0 + Math.Cos(Math.PI * numCycles * 2.0 * progress)),
                _ => 1.0 - Math.Sqrt(progress),
            };
            return Math.Max(0.0, (factor * (1.0 - minLrRatio)) + minLrRatio);
        }

        return minLrRatio;
    }
}
