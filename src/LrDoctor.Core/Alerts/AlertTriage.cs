using System.Globalization;

namespace LrDoctor.Core.Alerts;

/// <summary>Decides what each alert of an Alertmanager notification asks for, acting once per alert fingerprint and firing period.</summary>
/// <remarks>
/// Alertmanager re-sends a firing alert every repeat_interval, and every peer of an HA pair sends it too; a firing
/// period is identified by (fingerprint, startsAt), which stays the same across those repeats and changes when the
/// alert fires again after resolving. Thread-safe: two notifications carrying the same alert claim it once. With an
/// <see cref="IAlertClaimLog"/> the claims outlive a restart: they are loaded at construction and each new one is saved
/// before its action is returned.
/// </remarks>
public sealed class AlertTriage
{
    private readonly Dictionary<string, DateTimeOffset> _claimed = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly AlertActionFactors _factors;
    private readonly int _capacity;
    private readonly IAlertClaimLog? _log;

    /// <summary>Initializes a new instance of the <see cref="AlertTriage"/> class.</summary>
    /// <param name="factors">The LR factors of the scaling actions.</param>
    /// <param name="capacity">How many fingerprints to remember; the oldest firing periods are forgotten beyond it.</param>
    /// <param name="log">Where claims are kept across restarts; <see langword="null"/> keeps them in memory only.</param>
    public AlertTriage(AlertActionFactors? factors = null, int capacity = 4096, IAlertClaimLog? log = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _factors = factors ?? AlertActionFactors.Default;
        _capacity = capacity;
        _log = log;
        if (log is not null)
        {
            foreach (var claim in log.Load(capacity))
            {
                _claimed[claim.Fingerprint] = claim.StartsAt;
            }
        }
    }

    /// <summary>Gets how many alert fingerprints are remembered.</summary>
    public int Remembered
    {
        get
        {
            lock (_lock)
            {
                return _claimed.Count;
            }
        }
    }

    /// <summary>Decides what to do with each alert of a notification, claiming the new firing periods.</summary>
    /// <param name="payload">The notification.</param>
    /// <returns>One decision per alert, in payload order.</returns>
    public IReadOnlyList<AlertDecision> Decide(AlertmanagerPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var decisions = new List<AlertDecision>(payload.Alerts.Count);
        foreach (var alert in payload.Alerts)
        {
            decisions.Add(Decide(alert));
        }

        return decisions;
    }

    private AlertDecision Decide(AlertmanagerAlert alert)
    {
        string? run = alert.Label("run");
        string? action = alert.Label("action");
        string description = Describe(alert, action);
        if (!alert.IsFiring)
        {
            return new AlertDecision(alert, AlertOutcome.Resolved, run, null, description);
        }

        if (run is null)
        {
            return new AlertDecision(alert, AlertOutcome.NoRun, null, null, description);
        }

        if (action is null or AlertActions.None)
        {
            return new AlertDecision(alert, AlertOutcome.NotifyOnly, run, null, description);
        }

        var command = AlertActions.ToCommand(action, _factors, description);
        if (command is null)
        {
            return new AlertDecision(alert, AlertOutcome.UnknownAction, run, null, description);
        }

        return TryClaim(alert)
            ? new AlertDecision(alert, AlertOutcome.Apply, run, command, description)
            : new AlertDecision(alert, AlertOutcome.Repeat, run, null, description);
    }

    private bool TryClaim(AlertmanagerAlert alert)
    {
        lock (_lock)
        {
            if (_claimed.TryGetValue(alert.Fingerprint, out var claimedStart) && alert.StartsAt <= claimedStart)
            {
                return false;
            }

            _log?.Save(new AlertClaim(alert.Fingerprint, alert.StartsAt));
            _claimed[alert.Fingerprint] = alert.StartsAt;
            if (_claimed.Count > _capacity)
            {
                string oldest = _claimed.MinBy(entry => entry.Value).Key;
                _claimed.Remove(oldest);
            }

            return true;
        }
    }

    private static string Describe(AlertmanagerAlert alert, string? action)
    {
        string symptom = alert.Label("symptom") is { } s ? $", symptom {s}" : "";
        string act = action is null ? "" : $", action {action}";
        string since = alert.StartsAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        string summary = alert.Annotations.TryGetValue("summary", out string? text) && text.Length > 0 ? $": {text}" : "";
        return $"Alertmanager alert {alert.Name} ({alert.Status} since {since}{symptom}{act}, fingerprint {alert.Fingerprint}){summary}";
    }
}
