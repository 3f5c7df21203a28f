namespace LrDoctor.Core.Alerts;

/// <summary>An Alertmanager webhook notification, payload version 4 (one alert group).</summary>
/// <param name="Version">Always <c>4</c>.</param>
/// <param name="Status"><c>firing</c> while any alert of the group fires, else <c>resolved</c>.</param>
/// <param name="Receiver">The receiver name from alertmanager.yml.</param>
/// <param name="GroupKey">Identifies the alert group.</param>
/// <param name="Alerts">The alerts of the group.</param>
public sealed record AlertmanagerPayload(string Version, string Status, string Receiver, string? GroupKey, IReadOnlyList<AlertmanagerAlert> Alerts)
{
    /// <summary>The status of a firing alert.</summary>
    public const string Firing = "firing";

    /// <summary>The status of a resolved alert.</summary>
    public const string Resolved = "resolved";
}
