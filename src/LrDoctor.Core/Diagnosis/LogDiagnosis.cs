using LrDoctor.Core.Detectors;

namespace LrDoctor.Core.Diagnosis;

/// <summary>The diagnosis of a whole training log: what was read and what was found.</summary>
/// <param name="Steps">The number of step records read (after merging rows of one step).</param>
/// <param name="FirstStep">The first step, or -1 when the log had no record.</param>
/// <param name="LastStep">The last step, or -1.</param>
/// <param name="Columns">What the log holds, for a person: <c>train loss</c>, <c>validation loss</c>, <c>LR</c>, <c>gradient norm</c>.</param>
/// <param name="Findings">The findings in onset order; empty for a healthy run.</param>
/// <param name="FirstLoss">The first finite training loss, or NaN.</param>
/// <param name="LastLoss">The last finite training loss, or NaN.</param>
public sealed record LogDiagnosis(
    long Steps,
    long FirstStep,
    long LastStep,
    IReadOnlyList<string> Columns,
    IReadOnlyList<Finding> Findings,
    double FirstLoss,
    double LastLoss)
{
    /// <summary>Gets what one entry of the log is: <c>step</c>, or <c>epoch</c> for a log of one entry per epoch.</summary>
    /// <value><c>step</c> by default.</value>
    public string Unit { get; init; } = "step";

    /// <summary>Gets the number of entries with a training loss (evaluation-only entries are not steps).</summary>
    public long TrainEntries { get; init; }

    /// <summary>Gets the first step with a training loss, or -1.</summary>
    public long FirstTrainStep { get; init; } = -1;

    /// <summary>Gets the last step with a training loss, or -1.</summary>
    public long LastTrainStep { get; init; } = -1;

    /// <summary>Gets the spacing of the training entries when it is the same throughout (1 for every step), or 0 when it varies.</summary>
    public long Every { get; init; }

    /// <summary>Gets the number of entries with a validation loss.</summary>
    public long ValidationEntries { get; init; }

    /// <summary>Gets the hints about the gradient norm, when one is logged (severity <c>info</c>: not a learning-rate symptom by itself).</summary>
    public IReadOnlyList<LogHint> Hints { get; init; } = [];

    /// <summary>Gets the entries counted as what they are, for a person: "186 logged steps between 10 and 1,860, one every 10".</summary>
    public string Counted => Verdicts.Count(this);

    /// <summary>Gets the one-paragraph verdict for a person.</summary>
    public string Verdict => Verdicts.For(this);
}
