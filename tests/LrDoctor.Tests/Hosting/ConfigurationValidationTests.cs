using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.Hosting;

[Collection(DaemonCollection.Name)]
public sealed class ConfigurationValidationTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string, string> InvalidSettings => new()
    {
        { """{"LrDoctor":{"Supervisor":{"MaxConcurrentRuns":0}}}""", "LrDoctor:Supervisor:MaxConcurrentRuns" },
        { """{"LrDoctor":{"Storage":{"FlushIntervalMs":"soon"}}}""", "LrDoctor:Storage:FlushIntervalMs" },
        { """{"LrDoctor":{"Storage":{"Pathh":"x.db"}}}""", "Pathh" },
        { """{"LrDoctor":{"Auth":{"ApiKey":"short"}}}""", "LrDoctor:Auth:ApiKey" },
        { """{"LrDoctor":{"Jobs":[{"name":"a","model":{"type":"mlp"},"data":{"type":"digits"},"optimizer":{"type":"sgd","lr":-1},"steps":5}]}}""", "LrDoctor:Jobs[0].optimizer.lr" },
        { """{"LrDoctor":{"Jobs":[{"model":{"type":"mlp"}}]}}""", "LrDoctor:Jobs[0].name" },
        { """{"LrDoctor":{"Jobs":{"name":"not-an-array"}}}""", "LrDoctor:Jobs" },
        { """{"LrDoctor": """, "malformed JSON" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task Serve_InvalidSettings_ExitsNonZeroNamingTheKey(string settings, string key)
    {
        var (exitCode, stdout, stderr) = await DaemonProcess.RunToExitAsync(settings, ExitTimeout, "serve", "--urls", "http://127.0.0.1:" + DaemonProcess.FreePort());

        Assert.Equal(2, exitCode);
        Assert.Contains(key, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr + stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_ConfigFileMissing_ExitsWithUsageError()
    {
        var (exitCode, _, stderr) = await DaemonProcess.RunToExitAsync("{}", ExitTimeout, "serve", "--config", "/nonexistent/lrdoctor.json");

        Assert.Equal(2, exitCode);
        Assert.Contains("/nonexistent/lrdoctor.json", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_ConfigFileOption_ReadsThatFileInsteadOfAppsettings()
    {
        string dir = DaemonProcess.NewWorkDir();
        string config = Path.Combine(dir, "other.json");
        File.WriteAllText(config, """{"LrDoctor":{"Supervisor":{"MaxRestarts":-5}}}""");

        var (exitCode, _, stderr) = await DaemonProcess.RunToExitAsync("{}", ExitTimeout, "serve", "--config", config, "--urls", "http://127.0.0.1:" + DaemonProcess.FreePort());

        Assert.Equal(2, exitCode);
        Assert.Contains("LrDoctor:Supervisor:MaxRestarts", stderr, StringComparison.Ordinal);
    }
}
