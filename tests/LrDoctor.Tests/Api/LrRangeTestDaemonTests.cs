using System.Net;
using System.Text.Json;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.Api;

/// <summary>A job with <c>"findLr": true</c> posted to the real daemon: the range test result is recorded with the run.</summary>
[Collection(DaemonCollection.Name)]
public sealed class LrRangeTestDaemonTests : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync() => _daemon = await DaemonProcess.StartAsync(TestJobs.Settings());

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task PostRuns_JobWithFindLr_RecordsTheRangeTestAndTrainsWithItsRecommendation()
    {
        string job = TestJobs.DigitsMlp(name: "find-lr-digits", steps: 100).Replace("\"steps\":", "\"findLr\":true,\"steps\":", StringComparison.Ordinal);
        using var response = await _daemon.PostJobAsync(job);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        string id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        await _daemon.WaitForStateAsync(id, RunTimeout, "completed", "failed");

        string artifact = await _daemon.Client.GetStringAsync(new Uri($"api/runs/{id}/artifacts/lr_finder", UriKind.Relative));
        var result = JsonDocument.Parse(artifact).RootElement;
        Assert.True(result.GetProperty("points").GetArrayLength() >= 20);
        double recommended = result.GetProperty("recommended").GetDouble();
        double divergence = result.GetProperty("divergenceLr").GetDouble();
        Assert.True(recommended < divergence, $"recommended {recommended} must be below the divergence LR {divergence}");
        var events = await _daemon.EventsAsync(id);
        var finder = Assert.Single(events, e => e.GetProperty("kind").GetString() == "lr_finder");
        Assert.Equal(0.05, finder.GetProperty("oldLr").GetDouble());
        Assert.Equal(recommended, finder.GetProperty("newLr").GetDouble());
        var steps = await _daemon.StepsAsync(id);
        Assert.Equal(recommended, steps[0].GetProperty("lr").GetDouble(), 9);
        Assert.Equal("completed", (await _daemon.GetRunAsync(id)).GetProperty("state").GetString());
    }
}
