using LrDoctor.Tests.Infrastructure;
using LrDoctor.Tests.Web;
using OpenQA.Selenium;

namespace LrDoctor.Tests.EndToEnd;

/// <summary>The built-in dashboard of the real daemon, in Debian's headless Chromium, while the doctor treats a real run.</summary>
[Collection(EndToEndCollection.Name)]
[Trait(TestTier.Name, TestTier.Full)]
public sealed class WebDashboardEndToEndTests
{
    // SGD far above a sane LR: the loss goes non-finite within a few steps and the doctor (auto) rolls back and cuts.
    internal const string TreatedJob = """
        {"name":"e2e-web-treated","model":{"type":"mlp","layers":[32]},"data":{"type":"digits"},
         "optimizer":{"type":"sgd","lr":8,"momentum":0.9},"steps":2000,"batchSize":32,"seed":1,"evalEvery":50,"checkpointEvery":25,
         "doctor":{"mode":"auto"}}
        """;

    // A run that starts with an LR range test: its page shows the loss-against-LR plot.
    internal const string RangeTestJob = """
        {"name":"e2e-web-find-lr","model":{"type":"mlp","layers":[32]},"data":{"type":"digits"},
         "optimizer":{"type":"sgd","lr":0.1,"momentum":0.9},"steps":300,"batchSize":32,"seed":1,"evalEvery":50,"findLr":true}
        """;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Dashboard_RunTreatedByTheDoctor_ShowsTheRunItsChartsAndTheInterventionMarker()
    {
        await using var daemon = await DaemonProcess.StartAsync("""{"LrDoctor":{"Supervisor":{"WorkerThreads":2}}}""");
        string runId = await RunApi.SubmitAsync(daemon, TreatedJob);
        string finderRunId = await RunApi.SubmitAsync(daemon, RangeTestJob);
        await RunApi.WaitForEventAsync(daemon, runId, RunApi.IsLrChange, TimeSpan.FromMinutes(3), "intervention");
        await RunApi.WaitForEventAsync(daemon, finderRunId, e => e.GetProperty("kind").GetString() == "lr_finder", TimeSpan.FromMinutes(3), "LR range test");
        using var chrome = ChromeSession.Start();

        chrome.Driver.Navigate().GoToUrl(daemon.BaseAddress);
        var row = chrome.WaitFor(d => d.FindElement(By.CssSelector($"tr.run-row[data-run-id='{runId}']")), Timeout, "the run in the runs list");
        Assert.Contains("e2e-web-treated", row.Text, StringComparison.Ordinal);
        chrome.SaveScreenshot("dashboard-runs-daemon");
        row.FindElement(By.TagName("a")).Click();

        var loss = chrome.WaitFor(d => ChromeSession.Chart(d, "loss", c => int.Parse(c.GetDomAttribute("data-points") ?? "0") > 0 && int.Parse(c.GetDomAttribute("data-interventions") ?? "0") > 0),
            Timeout, "loss chart with points and an intervention marker: " + chrome.BrowserLog());
        chrome.SaveScreenshot("dashboard-run-daemon");

        Assert.Equal($"#/runs/{runId}", new Uri(chrome.Driver.Url).Fragment);
        foreach (string id in new[] { "lr", "grad" })
        {
            var chart = chrome.Driver.FindElement(By.CssSelector($"figure.chart[data-chart='{id}']"));
            Assert.True(int.Parse(chart.GetDomAttribute("data-points")!) > 0, $"{id} chart has no points");
        }

        Assert.NotEmpty(chrome.Driver.FindElements(By.CssSelector("table.events tr.event")));
        Assert.True(int.Parse(loss.GetDomAttribute("data-interventions")!) >= 1);

        chrome.Driver.Navigate().GoToUrl(new Uri(daemon.BaseAddress, $"#/runs/{finderRunId}"));
        var finder = chrome.WaitFor(d => ChromeSession.Chart(d, "lr-finder", c => c.GetDomAttribute("data-points") is not null), Timeout, "LR range test chart: " + chrome.BrowserLog());
        chrome.Driver.ExecuteScript("arguments[0].scrollIntoView()", finder);
        chrome.SaveScreenshot("dashboard-run-find-lr-daemon");
        Assert.True(int.Parse(finder.GetDomAttribute("data-points")!) > 10, "range test points");
        Assert.True(int.Parse(finder.GetDomAttribute("data-suggestions")!) >= 1, "range test suggestions marked");
    }
}
