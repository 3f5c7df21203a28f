using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests;

public sealed class DaemonStartTests
{
    [Fact]
    public async Task Serve_OnLoopbackPort_AnswersHealthz()
    {
        await using var daemon = await DaemonProcess.StartAsync();
        string body = await daemon.Client.GetStringAsync(new Uri("healthz", UriKind.Relative));
        Assert.Equal("ok", body);
    }
}
