using LrDoctor.Core.Records;

namespace LrDoctor.Core.Detectors;

/// <summary>A streaming detector of one symptom, fed one step record at a time.</summary>
/// <remarks>Implementations do O(1) amortised work and allocate nothing per step except when they report a finding.</remarks>
public interface ISymptomDetector
{
    /// <summary>Gets the symptom identifier this detector reports (one of <see cref="Symptoms"/>).</summary>
    string Symptom { get; }

    /// <summary>Gets a value indicating whether the symptom is present at the last observed step.</summary>
    bool IsActive { get; }

    /// <summary>Observes one step; returns a finding when the symptom is newly confirmed at this step, else <see langword="null"/>.</summary>
    /// <param name="record">The step record; steps arrive in increasing order.</param>
    /// <returns>The new finding, or <see langword="null"/>.</returns>
    Finding? Observe(in StepRecord record);

    /// <summary>Forgets the history, as after a rollback or an LR change that starts a new regime.</summary>
    void Reset();
}
