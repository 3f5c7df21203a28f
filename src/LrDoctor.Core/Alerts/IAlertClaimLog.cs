namespace LrDoctor.Core.Alerts;

/// <summary>Where <see cref="AlertTriage"/> keeps the firing periods it acted on, so that a restarted daemon does not act on a repeat again.</summary>
/// <remarks>
/// Alertmanager repeats a firing alert every <c>repeat_interval</c>, and again after its own restart; the triage applies
/// the action once per firing period. Without a durable log, a daemon restarted while an alert fires would take the next
/// repeat for a new alert and cut the LR a second time.
/// </remarks>
public interface IAlertClaimLog
{
    /// <summary>Loads the most recent claims.</summary>
    /// <param name="limit">The most claims to load (the newest firing periods).</param>
    /// <returns>The claims.</returns>
    IReadOnlyList<AlertClaim> Load(int limit);

    /// <summary>Records a claim durably before its action is applied (at most once, rather than at least once).</summary>
    /// <param name="claim">The claim; replaces an earlier one with the same fingerprint.</param>
    void Save(AlertClaim claim);
}
