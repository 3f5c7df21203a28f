using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.Metrics;

[Collection(DaemonCollection.Name)]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_FinishedRunAfterRetentionDelay_LosesItsSeries()
    {
        string settings = TestJobs.Settings().Replace("\"RetireAfterSeconds\": 600", "\"RetireAfterSeconds\": 1", StringComparison.Ordinal);
        await using var daemon = await DaemonProcess.StartAsync(settings);
        string id = await daemon.SubmitAsync(TestJobs.DigitsMlp(name: "retire", steps: 50));
        await daemon.WaitUntilAsync(
            async () => (await daemon.Client.GetStringAsync(new Uri("metrics", UriKind.Relative))).Contains($"lrdoctor_run_step{{run=\"{id}\"}}", StringComparison.Ordinal),
            TimeSpan.FromMinutes(2),
            "the run's series");
        await daemon.WaitForStateAsync(id, TimeSpan.FromMinutes(2), "completed");

        await daemon.WaitUntilAsync(
            async () => !(await daemon.Client.GetStringAsync(new Uri("metrics", UriKind.Relative))).Contains($"run=\"{id}\"", StringComparison.Ordinal),
            TimeSpan.FromMinutes(1),
            "the run's series to be retired");

        string metrics = await daemon.Client.GetStringAsync(new Uri("metrics", UriKind.Relative));
        Assert.Contains("lrdoctor_steps_recorded_total 50", metrics, StringComparison.Ordinal);
        Assert.Equal("completed", await daemon.StateAsync(id));
    }
}
