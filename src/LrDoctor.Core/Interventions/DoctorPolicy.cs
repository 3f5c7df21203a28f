using System.Globalization;
using LrDoctor.Core.Detectors;
using LrDoctor.Core.Jobs;
using LrDoctor.Core.Runs;

namespace LrDoctor.Core.Interventions;

/// <summary>The doctor's treatment rules: which finding gets which intervention, with a bounded number of rollbacks.</summary>
/// <remarks>
/// A non-finite loss or a critical spike rolls back and cuts the LR (the run cannot go on from its present weights);
/// oscillation cuts in place; too-slow progress raises the LR but never above a fraction of the LR at which the run was
/// last unstable, so raise and cut cannot ping-pong, and never again once reduce-on-plateau has lowered the LR since the last
/// raise (the plateau showed that the higher LR made no progress either; raising into it would alternate with the next
/// reduction while the loss stays where it is). Plateaus are left to <see cref="ReduceOnPlateau"/>; train/validation
/// divergence calls for regularisation, which is not an LR change, so it is reported only.
/// </remarks>
public sealed class DoctorPolicy
{
    private readonly DoctorSpec _spec;

    /// <summary>Initializes a new instance of the <see cref="DoctorPolicy"/> class.</summary>
    /// <param name="spec">Cut and raise factors, the rollback budget.</param>
    public DoctorPolicy(DoctorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
    }

    /// <summary>Gets the number of rollbacks decided so far.</summary>
    public int Rollbacks { get; private set; }

    /// <summary>Gets the LR in force when the run was last unstable, the ceiling reference for raises.</summary>
    public double? LastUnstableLr { get; private set; }

    /// <summary>Gets a value indicating whether reduce-on-plateau lowered the LR since the last raise (no raise is made then).</summary>
    public bool PlateauReducedSinceRaise { get; private set; }

    /// <summary>Records that reduce-on-plateau lowered the LR.</summary>
    public void OnPlateauReduction() => PlateauReducedSinceRaise = true;

    /// <summary>Decides what to do about a finding.</summary>
    /// <param name="finding">The finding.</param>
    /// <param name="currentLr">The headline LR in force.</param>
    /// <param name="scale">The intervention scale in force (1 until the doctor or a user changed the LR).</param>
    /// <returns>The decision, or <see langword="null"/> when the finding calls for no LR change.</returns>
    public InterventionDecision? Decide(Finding finding, double currentLr, double scale = 1.0)
    {
        ArgumentNullException.ThrowIfNull(finding);
        bool catastrophic = finding.Symptom == Symptoms.NanExplosion
            || (finding.Symptom == Symptoms.Spike && finding.Severity == Severity.Critical);
        if (catastrophic)
        {
            OnUnstableLr(currentLr);
            if (Rollbacks >= _spec.MaxRollbacks)
            {
                return new InterventionDecision(EventKind.RunEnded, 1.0, Rollback: false, Fail: true, finding.Symptom,
                    $"{finding.Symptom} at step {finding.OnsetStep} after {Rollbacks} rollbacks (the most allowed): the LR cannot be rescued by cuts; lower it or check the data");
            }

            Rollbacks++;
            double cut = finding.Symptom == Symptoms.NanExplosion ? _spec.CutFactor : _spec.SpikeCutFactor;
            return new InterventionDecision(EventKind.RollbackAndCut, cut, Rollback: true, Fail: false, finding.Symptom,
                $"{finding.Symptom} from step {finding.OnsetStep}: rolled back to the last good snapshot and cut the LR x{Format(cut)} (rollback {Rollbacks} of {_spec.MaxRollbacks})");
        }

        if (finding.Symptom == Symptoms.Oscillation)
        {
            OnUnstableLr(currentLr);
            return new InterventionDecision(EventKind.CutLr, _spec.OscillationCutFactor, Rollback: false, Fail: false, finding.Symptom,
                $"oscillation from step {finding.OnsetStep}: the loss bounces without progress, cut the LR x{Format(_spec.OscillationCutFactor)}");
        }

        if (finding.Symptom == Symptoms.TooSlow)
        {
            if (PlateauReducedSinceRaise || (scale < 1.0 && LastUnstableLr is null))
            {
                // The LR was lowered with no instability behind it (reduce-on-plateau, or a user): the run had stalled at
                // the higher LR, slow progress is the expected price, and raising it again would ping-pong with that.
                return null;
            }

            double target = currentLr * _spec.RaiseFactor;
            string bound = "";
            if (LastUnstableLr is { } unstable && target > unstable * _spec.RaiseCeiling)
            {
                target = unstable * _spec.RaiseCeiling;
                bound = $", bounded at {Format(_spec.RaiseCeiling)} x the LR {Format(unstable)} where the run was last unstable";
            }

            if (target <= currentLr * 1.0001)
            {
                return null;
            }

            PlateauReducedSinceRaise = false;
            return new InterventionDecision(EventKind.RaiseLr, target / currentLr, Rollback: false, Fail: false, finding.Symptom,
                $"too_slow from step {finding.OnsetStep}: steady but very slow progress, raised the LR x{Format(target / currentLr)}{bound}");
        }

        return null;
    }

    /// <summary>Restores the state saved in a checkpoint.</summary>
    /// <param name="rollbacks">The rollbacks done.</param>
    /// <param name="lastUnstableLr">The LR at which the run was last unstable.</param>
    /// <param name="plateauReducedSinceRaise">Whether reduce-on-plateau lowered the LR since the last raise.</param>
    public void Restore(int rollbacks, double? lastUnstableLr, bool plateauReducedSinceRaise = false)
    {
        Rollbacks = rollbacks;
        LastUnstableLr = lastUnstableLr;
        PlateauReducedSinceRaise = plateauReducedSinceRaise;
    }

    /// <summary>Records an LR at which the run is known to be unstable (a blow-up, or where an LR range test's loss rose); raises stay below the lowest.</summary>
    /// <param name="lr">The LR.</param>
    public void OnUnstableLr(double lr) => LastUnstableLr = LastUnstableLr is { } previous ? Math.Min(previous, lr) : lr;

    private static string Format(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
}
