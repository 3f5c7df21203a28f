using System.Net;
using System.Text;
using System.Text.Json;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.Api;

[Collection(DaemonCollection.Name)]
public sealed class RunsApiTests : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync() =>
        _daemon = await DaemonProcess.StartAsync(TestJobs.Settings(extra: """, "Api": { "MaxBodyBytes": 4096 }"""));

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task PostRuns_MalformedJson_Returns400ProblemNamingTheBody()
    {
        using var response = await _daemon.PostJobAsync("""{"name": "x", "model": """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("body", problem.GetProperty("field").GetString());
        Assert.Contains("malformed JSON", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostRuns_UnknownModelType_Returns400NamingTheField()
    {
        string job = TestJobs.DigitsMlp().Replace("\"mlp\"", "\"resnet9000\"", StringComparison.Ordinal);

        using var response = await _daemon.PostJobAsync(job);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("model.type", problem.GetProperty("field").GetString());
        Assert.Contains("mlp", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostRuns_InvalidSchedule_Returns400NamingTheScheduleField()
    {
        string job = TestJobs.DigitsMlp().Replace("\"steps\":200", "\"steps\":200,\"schedule\":{\"type\":\"cosine\",\"tMax\":-3}", StringComparison.Ordinal);

        using var response = await _daemon.PostJobAsync(job);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("schedule", (await ProblemAsync(response)).GetProperty("field").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostRuns_DataPathOutsideTheDataAndJobsFolders_Returns400NamingTheField()
    {
        string job = """{"name":"sneaky","model":{"type":"mlp"},"data":{"type":"csv","path":"/etc/passwd"},"optimizer":{"type":"sgd","lr":0.1},"steps":10}""";

        using var response = await _daemon.PostJobAsync(job);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("data.path", problem.GetProperty("field").GetString());
        Assert.Contains("outside", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostRuns_BodyOverTheLimit_Returns413()
    {
        string job = TestJobs.DigitsMlp().Replace("\"name\":\"digits\"", "\"name\":\"" + new string('x', 8000) + "\"", StringComparison.Ordinal);

        using var response = await _daemon.PostJobAsync(job);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task GetRun_UnknownId_Returns404Problem()
    {
        using var run = await _daemon.Client.GetAsync(new Uri("api/runs/nope", UriKind.Relative));
        using var steps = await _daemon.Client.GetAsync(new Uri("api/runs/nope/steps", UriKind.Relative));
        using var stop = await _daemon.Client.PostAsync(new Uri("api/runs/nope/stop", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NotFound, run.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, steps.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, stop.StatusCode);
        Assert.Equal(404, (await ProblemAsync(run)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task GetSteps_BadQueryValue_Returns400NamingTheParameter()
    {
        string id = await _daemon.SubmitAsync(TestJobs.DigitsMlp(steps: 5));
        using var response = await _daemon.Client.GetAsync(new Uri($"api/runs/{id}/steps?every=zero", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("every", (await ProblemAsync(response)).GetProperty("field").GetString());
        await _daemon.WaitForStateAsync(id, RunTimeout, "completed");
    }

    [Fact]
    public async Task PostRuns_ValidJob_TrainsToCompletionRecordingEveryStep()
    {
        using var response = await _daemon.PostJobAsync(TestJobs.DigitsMlp(name: "api-digits", steps: 200));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var run = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        string id = run.GetProperty("id").GetString()!;
        Assert.Equal($"/api/runs/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("api-digits", run.GetProperty("name").GetString());

        await _daemon.WaitForStateAsync(id, RunTimeout, "completed", "failed");

        var done = await _daemon.GetRunAsync(id);
        Assert.Equal("completed", done.GetProperty("state").GetString());
        Assert.Equal(199, done.GetProperty("step").GetInt64());
        var steps = await _daemon.StepsAsync(id);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), steps.Select(s => s.GetProperty("step").GetInt64()));
        Assert.All(steps, s => Assert.True(s.GetProperty("trainLoss").GetDouble() > 0));
        Assert.Equal(4, steps.Count(s => s.TryGetProperty("valLoss", out _)));
        var events = await _daemon.EventsAsync(id);
        Assert.Contains(events, e => e.GetProperty("kind").GetString() == "run_ended");

        string sampled = await _daemon.Client.GetStringAsync(new Uri($"api/runs/{id}/steps?from=10&to=160&every=50", UriKind.Relative));
        Assert.Equal([50L, 100, 150], JsonDocument.Parse(sampled).RootElement.EnumerateArray().Select(s => s.GetProperty("step").GetInt64()));

        string metrics = await _daemon.Client.GetStringAsync(new Uri("metrics", UriKind.Relative));
        Assert.Contains($"lrdoctor_run_step{{run=\"{id}\"}} 199", metrics, StringComparison.Ordinal);
        Assert.Contains($"lrdoctor_run_state{{run=\"{id}\",state=\"completed\"}} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRequests_DuringARun_DoNotDisturbIt()
    {
        string id = await _daemon.SubmitAsync(TestJobs.DigitsMlp(name: "undisturbed", steps: 1500));
        await _daemon.WaitForStateAsync(id, RunTimeout, "running");

        for (int i = 0; i < 20; i++)
        {
            using var malformed = await _daemon.PostJobAsync("{{{");
            using var oversized = await _daemon.PostJobAsync(new string(' ', 10_000));
            using var unknown = await _daemon.Client.GetAsync(new Uri($"api/runs/{id}x", UriKind.Relative));
            using var badLr = await _daemon.Client.PostAsync(new Uri($"api/runs/{id}/lr", UriKind.Relative), new StringContent("""{"factor":"much"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, badLr.StatusCode);
        }

        await _daemon.WaitForStateAsync(id, RunTimeout, "completed", "failed");
        Assert.Equal("completed", await _daemon.StateAsync(id));
        Assert.Equal(1500, (await _daemon.StepsAsync(id)).Count);
    }

    [Fact]
    public async Task StopAndLr_OnALiveRun_AreAppliedAndRecorded()
    {
        string id = await _daemon.SubmitAsync(TestJobs.DigitsMlp(name: "to-stop", steps: 200_000, doctor: "off"));
        await _daemon.WaitUntilAsync(async () => (await _daemon.GetRunAsync(id)).GetProperty("step").GetInt64() > 10, RunTimeout, "training");

        using var lr = await _daemon.PostJsonAsync($"api/runs/{id}/lr", new { factor = 0.5 });
        Assert.Equal(HttpStatusCode.Accepted, lr.StatusCode);
        using var both = await _daemon.PostJsonAsync($"api/runs/{id}/lr", new { factor = 0.5, value = 0.1 });
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        await _daemon.WaitUntilAsync(async () => (await _daemon.EventsAsync(id)).Any(e => e.GetProperty("kind").GetString() == "set_lr"), RunTimeout, "the set_lr event");
        var setLr = (await _daemon.EventsAsync(id)).First(e => e.GetProperty("kind").GetString() == "set_lr");
        Assert.Equal(0.025, setLr.GetProperty("newLr").GetDouble(), 6);

        using var stop = await _daemon.Client.PostAsync(new Uri($"api/runs/{id}/stop", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        await _daemon.WaitForStateAsync(id, RunTimeout, "stopped", "failed", "completed");

        var run = await _daemon.GetRunAsync(id);
        Assert.Equal("stopped", run.GetProperty("state").GetString());
        Assert.True(run.GetProperty("step").GetInt64() < 199_999);
        Assert.Equal(run.GetProperty("step").GetInt64() + 1, (await _daemon.StepsAsync(id)).Count);
        using var again = await _daemon.Client.PostAsync(new Uri($"api/runs/{id}/stop", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task ListRuns_MoreThanOnePage_SetsTotalCountAndNextLink()
    {
        string a = await _daemon.SubmitAsync(TestJobs.DigitsMlp(name: "page-a", steps: 3));
        string b = await _daemon.SubmitAsync(TestJobs.DigitsMlp(name: "page-b", steps: 3));

        using var response = await _daemon.Client.GetAsync(new Uri("api/runs?limit=1", UriKind.Relative));
        var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(1, page.GetArrayLength());
        Assert.True(int.Parse(response.Headers.GetValues("X-Total-Count").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 2);
        Assert.Contains("offset=1", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        await _daemon.WaitForStateAsync(a, RunTimeout, "completed");
        await _daemon.WaitForStateAsync(b, RunTimeout, "completed");
    }
}
