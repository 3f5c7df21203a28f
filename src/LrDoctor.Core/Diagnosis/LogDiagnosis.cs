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
    /// <summary>Gets the one-paragraph verdict for a person.</summary>
    public string Verdict => Verdicts.For(this);
}
