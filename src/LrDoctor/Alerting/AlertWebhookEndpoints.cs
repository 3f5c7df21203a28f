using LrDoctor.Api;
using LrDoctor.Core.Alerts;

namespace LrDoctor.Alerting;

/// <summary>Maps Alertmanager's webhook into the daemon.</summary>
internal static class AlertWebhookEndpoints
{
    /// <summary>The webhook's path.</summary>
    public const string Path = "/api/alerts";

    /// <summary>Maps <c>POST /api/alerts</c>; reads <c>LrDoctor:Alerting</c> behind the API's bearer key filter, and fails at start on a bad value.</summary>
    /// <param name="endpoints">The daemon's endpoints.</param>
    /// <param name="configuration">The daemon's configuration.</param>
    /// <returns>The endpoint, for further conventions.</returns>
    public static IEndpointConventionBuilder MapAlertWebhook(this IEndpointRouteBuilder endpoints, IConfiguration configuration)
    {
        var options = AlertingOptions.Read(configuration);
        var logger = endpoints.ServiceProvider.GetRequiredService<ILogger<AlertWebhook>>();
        var claims = endpoints.ServiceProvider.GetService<IAlertClaimLog>();
        var webhook = new AlertWebhook(new AlertTriage(options.Factors, log: claims), logger);
        return endpoints.MapPost(Path, (Func<HttpContext, Task<IResult>>)webhook.HandleAsync).AddEndpointFilter<BearerKeyFilter>();
    }

    /// <summary>Maps <c>POST /api/alerts</c> with the application's configuration.</summary>
    /// <param name="app">The daemon.</param>
    /// <returns>The endpoint, for further conventions.</returns>
    public static IEndpointConventionBuilder MapAlertWebhook(this WebApplication app) => app.MapAlertWebhook(app.Configuration);
}
