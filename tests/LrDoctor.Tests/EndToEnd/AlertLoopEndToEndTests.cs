using System.Diagnostics;
using LrDoctor.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LrDoctor.Tests.EndToEnd;

/// <summary>
/// The whole alert loop with the real programs: a job that goes unstable under <c>doctor.mode: advise</c> (so the doctor only
/// reports), Prometheus scraping the daemon every second with the shipped rules, Alertmanager with the shipped routes calling
/// the daemon's webhook, which cuts the LR.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait(TestTier.Name, TestTier.Full)]
public sealed class AlertLoopEndToEndTests(ITestOutputHelper output)
{
    // Adam at 20x its usual LR on the digits MLP: the loss bounces and jumps but stays finite, so the run lives on
    // (in advise mode a non-finite loss would stop the run instead) and the detectors report what they see.
    internal const string UnstableJob = """
        {"name":"e2e-unstable-advise","model":{"type":"mlp","layers":[64]},"data":{"type":"digits"},
         "optimizer":{"type":"adam","lr":0.05},"steps":200000,"batchSize":32,"seed":3,"evalEvery":50,"checkpointEvery":50,
         "doctor":{"mode":"advise"}}
        """;

    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AlertPathBudget = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AlertmanagerWebhook_UnstableRunInAdviseMode_CutsLrThroughTheAlertPathWithinAMinute()
    {
        await using var daemon = await DaemonProcess.StartAsync("""{"LrDoctor":{"Supervisor":{"WorkerThreads":2}}}""");
        var startup = Stopwatch.StartNew();
        using var stack = await PrometheusStack.StartAsync(daemon.BaseAddress, Startup);
        var ready = startup.Elapsed;
        await stack.WaitForScrapeAndAlertmanagerAsync(Startup);
        output.WriteLine($"Prometheus and Alertmanager ready after {ready.TotalSeconds:F1} s, first scrape and Alertmanager discovery after {startup.Elapsed.TotalSeconds:F1} s");
        string runId = await RunApi.SubmitAsync(daemon, UnstableJob);

        var finding = await RunApi.WaitForEventAsync(daemon, runId, e => e.GetProperty("kind").GetString() == "finding", TimeSpan.FromMinutes(3), "finding", () => stack.Output);
        var clock = Stopwatch.StartNew();
        var cut = await RunApi.WaitForEventAsync(daemon, runId, e => RunApi.IsLrChange(e) && e.GetProperty("reason").GetString()!.Contains("Alertmanager alert LrDoctor", StringComparison.Ordinal),
            AlertPathBudget, "LR cut through the alert path", () => stack.Output);
        clock.Stop();
        output.WriteLine($"first finding: {finding.GetRawText()}");
        output.WriteLine($"LR cut through the alert path {clock.Elapsed.TotalSeconds:F1} s after the finding was visible in the API: {cut.GetRawText()}");

        Assert.True(RunApi.Number(cut, "newLr") < RunApi.Number(cut, "oldLr"), cut.GetRawText());
        var events = await RunApi.EventsAsync(daemon, runId);
        Assert.All(events.Where(RunApi.IsLrChange), e => Assert.Contains("Alertmanager alert", e.GetProperty("reason").GetString(), StringComparison.Ordinal));
        Assert.True(clock.Elapsed < AlertPathBudget, $"alert path took {clock.Elapsed} after the finding {finding.GetRawText()}");

        await AssertGrafanaQueriesReturnDataAsync(stack, runId);
        await AssertMetricsLintCleanAsync(daemon);
    }

    private static async Task AssertGrafanaQueriesReturnDataAsync(PrometheusStack stack, string runId)
    {
        var pending = GrafanaQueries.For(runId).ToList();
        Assert.NotEmpty(pending);
        var problems = new Dictionary<string, string>();
        await stack.WaitUntilAsync(async () =>
        {
            foreach (var (where, expr) in pending.ToList())
            {
                using var answer = await stack.QueryAsync(expr);
                var root = answer.RootElement;
                if (root.GetProperty("status").GetString() != "success")
                {
                    problems[where] = $"{expr}: {root.GetProperty("error").GetString()}";
                    continue;
                }

                if (root.GetProperty("data").GetProperty("result").GetArrayLength() > 0)
                {
                    pending.Remove((where, expr));
                    problems.Remove(where);
                }
                else
                {
                    problems[where] = $"{expr}: no data for run {runId}";
                }
            }

            return pending.Count == 0;
        }, TimeSpan.FromSeconds(30), "data for every Grafana query: " + string.Join("; ", problems.Values)).ConfigureAwait(false);

        using var values = await stack.GetJsonAsync(new Uri(stack.PrometheusUrl, $"api/v1/label/run/values?match[]={GrafanaQueries.RunVariableMetric()}"));
        Assert.Contains(runId, values.RootElement.GetProperty("data").EnumerateArray().Select(v => v.GetString()));
    }

    private static async Task AssertMetricsLintCleanAsync(DaemonProcess daemon)
    {
        string metrics = await daemon.Client.GetStringAsync(new Uri("metrics", UriKind.Relative));
        var psi = new ProcessStartInfo("promtool", "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var promtool = Process.Start(psi)!;
        var stdout = promtool.StandardOutput.ReadToEndAsync();
        var stderr = promtool.StandardError.ReadToEndAsync();
        await promtool.StandardInput.WriteAsync(metrics);
        promtool.StandardInput.Close();
        await promtool.WaitForExitAsync();
        string report = (await stdout + await stderr).Trim();
        Assert.True(promtool.ExitCode == 0 && report.Length == 0, $"promtool check metrics (exit {promtool.ExitCode}):\n{report}");
    }
}
