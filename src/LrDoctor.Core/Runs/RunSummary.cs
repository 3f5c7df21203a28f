using LrDoctor.Core.Detectors;

namespace LrDoctor.Core.Runs;

/// <summary>How a training run ended: state, length, final losses, what the detectors found and what the doctor did.</summary>
/// <remarks>Serialised with <see cref="Json.LrDoctorJson.Options"/> it is the object <c>lrdoctor run --format json</c> prints.</remarks>
public sealed record RunSummary
{
    /// <summary>Gets the run's name or id.</summary>
    public required string Run { get; init; }

    /// <summary>Gets the final state: one of <see cref="RunState"/> (completed, failed, stopped, interrupted).</summary>
    public required RunState State { get; init; }

    /// <summary>Gets why the run failed or stopped, when it did.</summary>
    public string? FailureReason { get; init; }

    /// <summary>Gets the number of optimizer steps done (the step counter at the end).</summary>
    public long Steps { get; init; }

    /// <summary>Gets the wall time of the run in seconds.</summary>
    public double Seconds { get; init; }

    /// <summary>Gets the last training loss (smoothed over the last steps), when any step ran.</summary>
    public double? FinalTrainLoss { get; init; }

    /// <summary>Gets the validation loss at the end, when the run has validation data.</summary>
    public double? FinalValLoss { get; init; }

    /// <summary>Gets the validation accuracy at the end, for classification.</summary>
    public double? FinalValAccuracy { get; init; }

    /// <summary>Gets every finding of the run.</summary>
    public IReadOnlyList<Finding> Findings { get; init; } = [];

    /// <summary>Gets every intervention of the run (LR changes and rollbacks, with old and new LR and the reason).</summary>
    public IReadOnlyList<Intervention> Interventions { get; init; } = [];
}
