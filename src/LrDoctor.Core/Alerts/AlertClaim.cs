namespace LrDoctor.Core.Alerts;

/// <summary>A firing period of an alert that the daemon acted on: Alertmanager's fingerprint and the period's start.</summary>
/// <param name="Fingerprint">Alertmanager's hash of the alert's label set.</param>
/// <param name="StartsAt">When the firing period began (the same in every repeat of that period).</param>
public readonly record struct AlertClaim(string Fingerprint, DateTimeOffset StartsAt);
