namespace LrDoctor.Alerting;

/// <summary>The webhook's answer: what was done with each alert of the notification.</summary>
/// <param name="Receiver">The Alertmanager receiver that sent it.</param>
/// <param name="Alerts">One result per alert, in payload order.</param>
internal sealed record AlertResponse(string Receiver, IReadOnlyList<AlertResult> Alerts);
