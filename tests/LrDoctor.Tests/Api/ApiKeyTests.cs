using System.Net;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.Api;

[Collection(DaemonCollection.Name)]
public sealed class ApiKeyTests
{
    private const string Key = "test-key-0123456789abcdef";

    [Fact]
    public async Task MutatingEndpoints_WithApiKeySet_RequireTheBearerKey()
    {
        await using var daemon = await DaemonProcess.StartAsync(TestJobs.Settings(extra: $$""", "Auth": { "ApiKey": "{{Key}}" }"""));

        using var none = await daemon.PostJobAsync(TestJobs.DigitsMlp(steps: 2));
        using var wrong = await daemon.PostJobAsync(TestJobs.DigitsMlp(steps: 2), bearer: "not-the-key-at-all-no");
        using var stop = await daemon.Client.PostAsync(new Uri("api/runs/anything/stop", UriKind.Relative), null);
        using var list = await daemon.Client.GetAsync(new Uri("api/runs", UriKind.Relative));
        using var right = await daemon.PostJobAsync(TestJobs.DigitsMlp(steps: 2), bearer: Key);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stop.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
    }

    [Fact]
    public async Task Serve_NonLoopbackUrlWithoutApiKey_RefusesToStart()
    {
        var (exitCode, _, stderr) = await DaemonProcess.RunToExitAsync(TestJobs.Settings(), TimeSpan.FromSeconds(60), "serve", "--urls", "http://0.0.0.0:" + DaemonProcess.FreePort());

        Assert.Equal(2, exitCode);
        Assert.Contains("Urls", stderr, StringComparison.Ordinal);
        Assert.Contains("LrDoctor:Auth:ApiKey", stderr, StringComparison.Ordinal);
    }
}
