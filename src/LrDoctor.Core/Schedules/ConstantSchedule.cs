namespace LrDoctor.Core.Schedules;

/// <summary>A constant learning rate (<c>{"type":"constant"}</c>).</summary>
/// <param name="learningRate">The learning rate at every step.</param>
internal sealed class ConstantSchedule(double learningRate) : ILrSchedule
{
    /// <inheritdoc/>
    public double LearningRate(long step) => learningRate;
}
