using System.Text.Json;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.Hosting;

[Collection(DaemonCollection.Name)]
public sealed class DemoConfigurationTests
{
    private static string RepoAppSettings()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LrDoctor.sln")))
            {
                return File.ReadAllText(Path.Combine(dir.FullName, "appsettings.json"));
            }
        }

        throw new DirectoryNotFoundException("repository root not found");
    }

    [Fact]
    public async Task Serve_WithTheShippedAppsettings_AutoStartsTheDemoJobAndExportsItsTraining()
    {
        await using var daemon = await DaemonProcess.StartAsync(RepoAppSettings());

        string? id = null;
        await daemon.WaitUntilAsync(
            async () =>
            {
                var runs = JsonDocument.Parse(await daemon.Client.GetStringAsync(new Uri("api/runs", UriKind.Relative))).RootElement;
                var demo = runs.EnumerateArray().FirstOrDefault(r => r.GetProperty("name").GetString() == "demo-digits-mlp");
                id = demo.ValueKind == JsonValueKind.Object && demo.GetProperty("step").GetInt64() >= 100 ? demo.GetProperty("id").GetString() : null;
                return id is not null;
            },
            TimeSpan.FromMinutes(2),
            "the demo run to reach step 100");

        string metrics = await daemon.Client.GetStringAsync(new Uri("metrics", UriKind.Relative));
        Assert.Contains($"lrdoctor_run_state{{run=\"{id}\",state=\"running\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains($"lrdoctor_run_loss{{run=\"{id}\",split=\"train\"}}", metrics, StringComparison.Ordinal);
        Assert.Contains($"lrdoctor_run_learning_rate{{run=\"{id}\",group=\"0\"}}", metrics, StringComparison.Ordinal);
    }
}
