using LrDoctor.Core.Schedules;

namespace LrDoctor.Torch.Training;

/// <summary>A constant learning rate, for jobs without a schedule.</summary>
/// <param name="lr">The learning rate.</param>
internal sealed class ConstantSchedule(double lr) : ILrSchedule
{
    /// <inheritdoc/>
    public double LearningRate(long step) => lr;
}
