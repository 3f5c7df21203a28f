namespace LrDoctor.Alerting;

/// <summary>What the webhook did with one alert, as answered to the caller.</summary>
/// <param name="Alertname">The alert's name.</param>
/// <param name="Fingerprint">Alertmanager's fingerprint of the alert.</param>
/// <param name="Status"><c>firing</c> or <c>resolved</c>.</param>
/// <param name="Run">The <c>run</c> label, when present.</param>
/// <param name="Action">The <c>action</c> label, when present.</param>
/// <param name="Outcome"><c>applied</c>, <c>unknown_run</c>, <c>repeat</c>, <c>resolved</c>, <c>notify_only</c>, <c>unknown_action</c> or <c>no_run</c>.</param>
internal sealed record AlertResult(string Alertname, string Fingerprint, string Status, string? Run, string? Action, string Outcome);
