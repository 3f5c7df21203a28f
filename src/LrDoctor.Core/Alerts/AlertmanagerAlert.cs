namespace LrDoctor.Core.Alerts;

/// <summary>One alert of an Alertmanager webhook notification (payload version 4).</summary>
/// <param name="Status"><c>firing</c> or <c>resolved</c>.</param>
/// <param name="Labels">The alert's labels: <c>alertname</c>, and for LrDoctor's rules <c>run</c>, <c>symptom</c>, <c>severity</c>, <c>action</c>.</param>
/// <param name="Annotations">The alert's annotations (<c>summary</c>, <c>description</c>).</param>
/// <param name="StartsAt">When the alert started firing; the same for every repeat of one firing period.</param>
/// <param name="EndsAt">When it resolved, or Alertmanager's zero time while it fires.</param>
/// <param name="Fingerprint">Alertmanager's hash of the label set.</param>
/// <param name="GeneratorUrl">The Prometheus expression browser link that produced the alert.</param>
public sealed record AlertmanagerAlert(
    string Status,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    string Fingerprint,
    string? GeneratorUrl)
{
    /// <summary>Gets whether the alert is firing (not resolved).</summary>
    public bool IsFiring => Status == AlertmanagerPayload.Firing;

    /// <summary>Gets the <c>alertname</c> label, or <c>(unnamed)</c>.</summary>
    public string Name => Labels.TryGetValue("alertname", out string? name) ? name : "(unnamed)";

    /// <summary>Gets a label, or <see langword="null"/> when the alert does not carry it or it is empty.</summary>
    /// <param name="name">The label name.</param>
    /// <returns>The label value.</returns>
    public string? Label(string name) => Labels.TryGetValue(name, out string? value) && value.Length > 0 ? value : null;
}
