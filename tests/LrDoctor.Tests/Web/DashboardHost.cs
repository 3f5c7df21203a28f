using LrDoctor.Tests.Infrastructure;
using LrDoctor.Web;

namespace LrDoctor.Tests.Web;

/// <summary>The dashboard's endpoints in a real Kestrel host on a loopback port, beside a recorded run API.</summary>
internal static class DashboardHost
{
    public static Task<LoopbackApp> StartAsync(RecordedRunApi? api = null) =>
        LoopbackApp.StartAsync(
            _ => { },
            app =>
            {
                app.MapDashboard();
                if (api is not null)
                {
                    RecordedRunApi.Map(app, api);
                }
            });
}
