using LrDoctor.Core;
using LrDoctor.Core.Alerts;
using LrDoctor.Core.Json;
using LrDoctor.Core.Runs;

namespace LrDoctor.Alerting;

/// <summary>Handles Alertmanager's webhook (<c>POST /api/alerts</c>): applies each firing LR alert's action to its run once per firing period.</summary>
/// <remarks>
/// Every well-formed notification is answered 200, even when a run is unknown or an action is not applied:
/// Alertmanager retries anything else until the alert resolves, which would only repeat the same answer.
/// </remarks>
internal sealed partial class AlertWebhook
{
    private readonly AlertTriage _triage;
    private readonly ILogger<AlertWebhook> _logger;

    /// <summary>Initializes a new instance of the <see cref="AlertWebhook"/> class.</summary>
    /// <param name="triage">Decides what each alert asks for, once per firing period.</param>
    /// <param name="logger">The logger.</param>
    public AlertWebhook(AlertTriage triage, ILogger<AlertWebhook> logger)
    {
        _triage = triage;
        _logger = logger;
    }

    /// <summary>Handles one notification.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <returns>200 with what was done per alert, 400 for a malformed payload (the bearer key is checked by the API's filter).</returns>
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        AlertmanagerPayload payload;
        try
        {
            payload = await AlertmanagerPayloadReader.ReadAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (SpecException e)
        {
            LogMalformed(_logger, e.Message);
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed Alertmanager payload", detail: e.Message,
                extensions: new Dictionary<string, object?> { ["field"] = e.Field });
        }

        var control = context.RequestServices.GetService<IRunControl>();
        var results = new List<AlertResult>(payload.Alerts.Count);
        foreach (var decision in _triage.Decide(payload))
        {
            results.Add(Apply(decision, control));
        }

        return Results.Json(new AlertResponse(payload.Receiver, results), LrDoctorJson.Options);
    }

    private AlertResult Apply(AlertDecision decision, IRunControl? control)
    {
        var alert = decision.Alert;
        string outcome = decision.Outcome switch
        {
            AlertOutcome.Apply when control is not null && control.TryPost(decision.RunId!, decision.Command!) => "applied",
            AlertOutcome.Apply => "unknown_run",
            AlertOutcome.Repeat => "repeat",
            AlertOutcome.Resolved => "resolved",
            AlertOutcome.NotifyOnly => "notify_only",
            AlertOutcome.UnknownAction => "unknown_action",
            _ => "no_run",
        };

        switch (outcome)
        {
            case "applied":
                LogApplied(_logger, decision.RunId!, decision.Command!.Kind, decision.Command.Value, decision.Description);
                break;
            case "unknown_run":
                LogUnknownRun(_logger, decision.RunId!, decision.Description);
                break;
            default:
                LogUnchanged(_logger, outcome, decision.RunId, decision.Description);
                break;
        }

        return new AlertResult(alert.Name, alert.Fingerprint, alert.Status, decision.RunId, alert.Label("action"), outcome);
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Alert applied to run {RunId}: {Kind} {Value}; {Alert}")]
    private static partial void LogApplied(ILogger logger, string runId, RunCommandKind kind, double? value, string alert);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Alert names run {RunId}, which is not live here; answered 200 so Alertmanager does not retry. {Alert}")]
    private static partial void LogUnknownRun(ILogger logger, string runId, string alert);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Alert recorded, nothing changed ({Outcome}, run {RunId}): {Alert}")]
    private static partial void LogUnchanged(ILogger logger, string outcome, string? runId, string alert);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Malformed Alertmanager payload rejected: {Problem}")]
    private static partial void LogMalformed(ILogger logger, string problem);
}
