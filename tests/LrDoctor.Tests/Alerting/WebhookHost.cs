using LrDoctor.Alerting;
using LrDoctor.Core.Alerts;
using LrDoctor.Core.Runs;
using LrDoctor.Hosting;
using LrDoctor.Storage;
using LrDoctor.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LrDoctor.Tests.Alerting;

/// <summary>The alert webhook in a real Kestrel host on a loopback port, with a given run control.</summary>
internal static class WebhookHost
{
    /// <param name="control">Where applied alerts go.</param>
    /// <param name="settings">Configuration.</param>
    /// <param name="database">A LiteDB file that keeps the alert claims across hosts, as the daemon's store does; none when null.</param>
    public static Task<LoopbackApp> StartAsync(IRunControl control, IReadOnlyDictionary<string, string?>? settings = null, string? database = null) =>
        LoopbackApp.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
                builder.Services.AddSingleton(control);
                if (database is not null)
                {
                    builder.Services.AddSingleton<IAlertClaimLog>(_ => new LiteDbRunStore(database));
                }

                builder.Services.AddOptions<AuthOptions>().Bind(builder.Configuration.GetSection(AuthOptions.Section));
            },
            app => app.MapAlertWebhook());
}
