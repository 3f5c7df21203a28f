namespace LrDoctor.Core.Alerts;

/// <summary>What the webhook does with one alert of a notification.</summary>
public enum AlertOutcome
{
    /// <summary>A new firing period of an alert with a run and an applied action: post the command.</summary>
    Apply,

    /// <summary>A repeat of a firing period already handled (Alertmanager's repeat_interval, or an HA peer): nothing changes.</summary>
    Repeat,

    /// <summary>The alert resolved: nothing changes (the LR stays where the intervention put it).</summary>
    Resolved,

    /// <summary>A notify-only alert (<c>action="none"</c> or no action label): recorded, nothing changes.</summary>
    NotifyOnly,

    /// <summary>An action label the webhook does not know: recorded, nothing changes.</summary>
    UnknownAction,

    /// <summary>The alert has no <c>run</c> label: recorded, nothing changes.</summary>
    NoRun,
}
