using LrDoctor.Core.Runs;

namespace LrDoctor.Core.Alerts;

/// <summary>The webhook's decision about one alert.</summary>
/// <param name="Alert">The alert.</param>
/// <param name="Outcome">What to do.</param>
/// <param name="RunId">The <c>run</c> label, when the alert has one.</param>
/// <param name="Command">The command to post, for <see cref="AlertOutcome.Apply"/>.</param>
/// <param name="Description">A sentence naming the alert, for the run's event and the log.</param>
public sealed record AlertDecision(AlertmanagerAlert Alert, AlertOutcome Outcome, string? RunId, RunCommand? Command, string Description);
