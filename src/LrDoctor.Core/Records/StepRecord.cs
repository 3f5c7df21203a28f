namespace LrDoctor.Core.Records;

/// <summary>One optimizer step of a training run: what the detectors, the storage and the metrics see.</summary>
/// <remarks>
/// A value type so that the detectors can be fed one record per step without allocating. A missing
/// value is <see langword="null"/>; a non-finite value (NaN, infinity) is a real observation, not a gap.
/// </remarks>
/// <param name="Step">The step index t (0-based): the record describes the optimizer step that used <paramref name="Lr"/>.</param>
/// <param name="TrainLoss">The training loss of the batch at this step, when recorded.</param>
/// <param name="ValLoss">The validation loss, on the steps where validation ran.</param>
/// <param name="Lr">The learning rate of the first parameter group (the run's headline LR).</param>
/// <param name="GradNorm">The total L2 norm of the gradients before clipping, when recorded.</param>
public readonly record struct StepRecord(
    long Step,
    double? TrainLoss,
    double? ValLoss = null,
    double? Lr = null,
    double? GradNorm = null)
{
    /// <summary>Gets the validation accuracy in [0, 1], on the steps where validation ran and the task is a classification.</summary>
    public double? ValAccuracy { get; init; }

    /// <summary>Gets the momentum (SGD momentum or Adam beta1) of the first group, when the optimizer has one.</summary>
    public double? Momentum { get; init; }

    /// <summary>Gets the wall time of the step in seconds, when measured.</summary>
    public double? StepSeconds { get; init; }

    /// <summary>Gets the epoch (possibly fractional), when known.</summary>
    public double? Epoch { get; init; }

    /// <summary>Gets the learning rate of every parameter group, in group order, when there is more than one.</summary>
    public double[]? GroupLrs { get; init; }
}
