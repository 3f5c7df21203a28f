using LrDoctor.Tests.Infrastructure;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace LrDoctor.Tests.Web;

/// <summary>The dashboard in Debian's headless Chromium against a recorded run API (the daemon-backed test is in EndToEnd/).</summary>
[Collection(LrDoctor.Tests.EndToEnd.EndToEndCollection.Name)]
[Trait(TestTier.Name, TestTier.Full)]
public sealed class DashboardPageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RunPage_MillionStepRun_AsksForEveryNthStepAndDrawsAboutTwoThousandPoints()
    {
        var api = new RecordedRunApi(firstStep: 999_999, finalStep: 999_999);
        await using var host = await DashboardHost.StartAsync(api);
        using var chrome = ChromeSession.Start();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        chrome.Driver.Navigate().GoToUrl(new Uri(host.BaseAddress, $"#/runs/{RecordedRunApi.RunId}"));
        var loss = chrome.WaitFor(d => ChromeSession.Chart(d, "loss", c => c.GetDomAttribute("data-points") is not null), Timeout, "loss chart");
        output.WriteLine($"1,000,000-step run: charts drawn {clock.Elapsed.TotalSeconds:F2} s after navigation, {loss.GetDomAttribute("data-points")} points");
        chrome.SaveScreenshot("dashboard-run-million");

        Assert.Contains(500, api.StepRequests);
        int points = int.Parse(loss.GetDomAttribute("data-points")!);
        Assert.InRange(points, 1_000, 2_000);
    }

    [Fact]
    public async Task RunsList_RecordedRun_ShowsItsRowWithLossLrAndInterventions()
    {
        await using var host = await DashboardHost.StartAsync(new RecordedRunApi());
        using var chrome = ChromeSession.Start();

        chrome.Driver.Navigate().GoToUrl(host.BaseAddress);
        var row = chrome.WaitFor(d => d.FindElement(By.CssSelector($"tr.run-row[data-run-id='{RecordedRunApi.RunId}']")), Timeout, "run row");
        chrome.SaveScreenshot("dashboard-runs-recorded");

        var cells = row.FindElements(By.TagName("td")).Select(c => c.Text).ToList();
        Assert.Equal(RecordedRunApi.RunName, cells[0]);
        Assert.Equal("running", cells[1]);
        Assert.Equal("0.01", cells[5]);
        Assert.Equal("1", cells[7]);
        Assert.Equal("none", cells[6]);
    }

    [Fact]
    public async Task RunPage_RecordedRun_ChartsHoldPointsAndMarkTheIntervention()
    {
        await using var host = await DashboardHost.StartAsync(new RecordedRunApi());
        using var chrome = ChromeSession.Start();

        chrome.Driver.Navigate().GoToUrl(new Uri(host.BaseAddress, $"#/runs/{RecordedRunApi.RunId}"));
        var loss = chrome.WaitFor(d => ChromeSession.Chart(d, "loss", c => int.Parse(c.GetDomAttribute("data-points") ?? "0") > 0), Timeout, "loss chart with points");
        var finder = chrome.WaitFor(d => ChromeSession.Chart(d, "lr-finder", c => c.GetDomAttribute("data-points") is not null), Timeout, "LR range test chart");
        chrome.SaveScreenshot("dashboard-run-recorded");

        Assert.Equal("1", loss.GetDomAttribute("data-interventions"));
        Assert.Equal("1", loss.GetDomAttribute("data-findings"));
        foreach (string id in new[] { "lr", "grad" })
        {
            var chart = chrome.Driver.FindElement(By.CssSelector($"figure.chart[data-chart='{id}']"));
            Assert.True(int.Parse(chart.GetDomAttribute("data-points")!) > 100, $"{id} chart points");
            Assert.Equal("1", chart.GetDomAttribute("data-interventions"));
        }

        Assert.Equal("60", finder.GetDomAttribute("data-points"));
        var lrLegend = chrome.Driver.FindElement(By.CssSelector("figure.chart[data-chart='lr'] .u-legend")).Text;
        Assert.Contains("group 0", lrLegend, StringComparison.Ordinal);
        Assert.Contains("group 1", lrLegend, StringComparison.Ordinal);
        var intervention = chrome.Driver.FindElement(By.CssSelector("table.events tr.event-rollback_and_cut"));
        Assert.Contains("0.1 → 0.01", intervention.Text, StringComparison.Ordinal);
        Assert.Contains("step", chrome.Driver.FindElement(By.CssSelector("figure.chart[data-chart='loss'] .u-axis")).Text + chrome.Driver.PageSource, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPage_RunStillTraining_UpdatesChartsLive()
    {
        await using var host = await DashboardHost.StartAsync(new RecordedRunApi());
        using var chrome = ChromeSession.Start();

        chrome.Driver.Navigate().GoToUrl(new Uri(host.BaseAddress, $"#/runs/{RecordedRunApi.RunId}"));
        var first = chrome.WaitFor(d => ChromeSession.Chart(d, "loss", c => c.GetDomAttribute("data-points") is not null), Timeout, "loss chart");
        int before = int.Parse(first.GetDomAttribute("data-points")!);

        chrome.WaitFor(d => ChromeSession.Chart(d, "loss", c => int.Parse(c.GetDomAttribute("data-points")!) > before), Timeout, "more points after a poll");
    }
}
