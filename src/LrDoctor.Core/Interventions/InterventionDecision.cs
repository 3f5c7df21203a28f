using LrDoctor.Core.Runs;

namespace LrDoctor.Core.Interventions;

/// <summary>What the doctor decided to do about a finding.</summary>
/// <param name="Kind">The event kind: <c>rollback_and_cut</c>, <c>cut_lr</c> or <c>raise_lr</c>; <c>run_ended</c> when the run must stop.</param>
/// <param name="Factor">The factor the intervention scale is multiplied by (1 when the run stops).</param>
/// <param name="Rollback">Whether to restore the last good snapshot before the onset.</param>
/// <param name="Fail">Whether to stop the run as failed.</param>
/// <param name="Symptom">The symptom treated.</param>
/// <param name="Reason">A sentence for the user: what and why.</param>
public sealed record InterventionDecision(EventKind Kind, double Factor, bool Rollback, bool Fail, string Symptom, string Reason);
