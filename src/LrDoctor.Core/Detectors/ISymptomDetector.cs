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

    /// <summary>Forgets the history for a new regime of a run already under way, keeping the run's untrained loss as the start.</summary>
    /// <remarks>
    /// After a rollback or an LR change the detectors judge the new regime on its own, but "how far the loss has come" is a
    /// question about the whole run: a regime that starts late, near the converged loss, has not "barely moved from where it
    /// started", and a batch that is hard for a well-fitted model is not a blow-up. Detectors that measure progress from the
    /// start take it from <paramref name="runStartLoss"/>; the others just reset.
    /// </remarks>
    /// <param name="runStartLoss">The run's first training loss (its untrained level), positive and finite.</param>
    void Reset(double runStartLoss) => Reset();
}
