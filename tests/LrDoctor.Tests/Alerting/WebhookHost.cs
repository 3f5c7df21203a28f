using LrDoctor.Alerting;
using LrDoctor.Core.Runs;
using LrDoctor.Hosting;
using LrDoctor.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LrDoctor.Tests.Alerting;

/// <summary>The alert webhook in a real Kestrel host on a loopback port, with a given run control.</summary>
internal static class WebhookHost
{
    public static Task<LoopbackApp> StartAsync(IRunControl control, IReadOnlyDictionary<string, string?>? settings = null) =>
        LoopbackApp.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
                builder.Services.AddSingleton(control);
                builder.Services.AddOptions<AuthOptions>().Bind(builder.Configuration.GetSection(AuthOptions.Section));
            },
            app => app.MapAlertWebhook());
}
