namespace LrDoctor.Core.Detectors;

/// <summary>A symptom found in a run: when it began, how bad it is, why it probably happened and what to do.</summary>
/// <param name="Symptom">One of the identifiers of <see cref="Symptoms"/>.</param>
/// <param name="OnsetStep">The step at which the symptom began (not the step at which it was confirmed).</param>
/// <param name="Severity">How urgent it is.</param>
/// <param name="Cause">The likely cause, in a sentence.</param>
/// <param name="Action">The action to take, in a sentence.</param>
/// <param name="Evidence">The numbers that triggered the finding, by name.</param>
public sealed record Finding(
    string Symptom,
    long OnsetStep,
    Severity Severity,
    string Cause,
    string Action,
    IReadOnlyDictionary<string, double> Evidence)
{
    /// <summary>Gets the step at which the detector confirmed the symptom (at or after the onset).</summary>
    public long DetectedStep { get; init; } = OnsetStep;
}
