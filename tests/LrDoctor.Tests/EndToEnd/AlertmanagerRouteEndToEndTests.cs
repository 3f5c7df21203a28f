using System.Text;
using System.Text.Json;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.EndToEnd;

/// <summary>The shipped rules and Alertmanager routes loaded by the real programs, and the real Alertmanager calling the daemon's webhook.</summary>
[Collection(EndToEndCollection.Name)]
[Trait(TestTier.Name, TestTier.Full)]
public sealed class AlertmanagerRouteEndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ShippedConfig_PrometheusAndAlertmanager_LoadRulesScrapeDaemonAndEveryDashboardQueryParses()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        using var stack = await PrometheusStack.StartAsync(daemon.BaseAddress, Timeout);
        await stack.WaitForScrapeAndAlertmanagerAsync(Timeout);

        using var rules = await stack.GetJsonAsync(new Uri(stack.PrometheusUrl, "api/v1/rules"));
        var loaded = rules.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
        Assert.Equal(7, loaded.Count);
        Assert.All(loaded, r => Assert.Equal("ok", r.GetProperty("health").GetString()));

        foreach (var (where, expr) in GrafanaQueries.For("no-such-run"))
        {
            using var answer = await stack.QueryAsync(expr);
            Assert.True(answer.RootElement.GetProperty("status").GetString() == "success", $"{where}: {expr}: {answer.RootElement.GetRawText()}");
        }
    }

    [Fact]
    public async Task ShippedRoute_FiringLrAlertForUnknownRun_ReachesWebhookWhichAnswers200()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        using var stack = await PrometheusStack.StartAsync(daemon.BaseAddress, Timeout);
        string alert = JsonSerializer.Serialize(new[]
        {
            new
            {
                labels = new Dictionary<string, string>
                {
                    ["alertname"] = "LrDoctorLossSpike", ["run"] = "gone-run", ["symptom"] = "spike", ["severity"] = "warning", ["action"] = "rollback_and_cut",
                },
                annotations = new Dictionary<string, string> { ["summary"] = "Run gone-run: the loss jumped well above its recent level" },
            },
        });

        using var posted = await stack.Http.PostAsync(new Uri(stack.AlertmanagerUrl, "api/v2/alerts"), new StringContent(alert, Encoding.UTF8, "application/json"));
        posted.EnsureSuccessStatusCode();

        // The webhook logs the unknown run and answers 200; Alertmanager then records a successful notification.
        await stack.WaitUntilAsync(() => Task.FromResult(daemon.Output.Contains("Alert names run gone-run", StringComparison.Ordinal)), Timeout, "webhook call from Alertmanager");
        Assert.Contains("LrDoctorLossSpike", daemon.Output, StringComparison.Ordinal);
        await stack.WaitUntilAsync(async () =>
        {
            string metrics = await stack.Http.GetStringAsync(new Uri(stack.AlertmanagerUrl, "metrics"));
            return metrics.Contains("alertmanager_notifications_total{integration=\"webhook\"} 1", StringComparison.Ordinal)
                && metrics.Contains("alertmanager_notifications_failed_total{integration=\"webhook\"} 0", StringComparison.Ordinal);
        }, Timeout, "a successful webhook notification in Alertmanager's metrics");
    }
}
