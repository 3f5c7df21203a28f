namespace LrDoctor.Core.Schedules;

/// <summary>A learning-rate schedule as a pure function of the step.</summary>
/// <remarks>
/// Convention: <see cref="LearningRate"/>(t) is the learning rate the optimizer uses for step t (t = 0 is the
/// first optimizer step), exactly as <c>optimizer.param_groups[0]["lr"]</c> reads before the t-th
/// <c>optimizer.step()</c> in PyTorch when <c>scheduler.step()</c> is called after each optimizer step.
/// </remarks>
public interface ILrSchedule
{
    /// <summary>Gets the learning rate for step <paramref name="step"/>.</summary>
    /// <param name="step">The step index, 0-based; any non-negative value, including past the schedule's end.</param>
    /// <returns>The learning rate.</returns>
    double LearningRate(long step);

    /// <summary>Gets the momentum for step <paramref name="step"/> when the schedule cycles momentum, else <see langword="null"/>.</summary>
    /// <param name="step">The step index, 0-based.</param>
    /// <returns>The momentum (SGD momentum or Adam beta1), or <see langword="null"/>.</returns>
    double? Momentum(long step) => null;

    /// <summary>Gets a value indicating whether this schedule cycles momentum.</summary>
    bool CyclesMomentum => false;
}
