using System.Globalization;
using System.Text.RegularExpressions;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.Reliability;

[Collection(DaemonCollection.Name)]
public sealed partial class ConcurrentRunsTests
{
    [GeneratedRegex(@"^lrdoctor_steps_recorded_total (\d+)", RegexOptions.Multiline)]
    private static partial Regex StepsRecorded();

    [Fact]
    public async Task TwentyRunsAtOnce_EachRecordsEveryStepExactlyOnce()
    {
        const int Runs = 20;
        const int Steps = 300;
        await using var daemon = await DaemonProcess.StartAsync(TestJobs.Settings(maxConcurrentRuns: Runs));
        var ids = new List<string>();
        for (int i = 0; i < Runs; i++)
        {
            ids.Add(await daemon.SubmitAsync(TestJobs.DigitsMlp(name: $"many-{i}", steps: Steps)));
        }

        foreach (string id in ids)
        {
            await daemon.WaitForStateAsync(id, TimeSpan.FromMinutes(8), "completed", "failed");
        }

        foreach (string id in ids)
        {
            Assert.Equal("completed", await daemon.StateAsync(id));
            var steps = await daemon.StepsAsync(id);
            Assert.Equal(Enumerable.Range(0, Steps).Select(i => (long)i), steps.Select(s => s.GetProperty("step").GetInt64()));
        }

        string metrics = await daemon.Client.GetStringAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(Runs * Steps, long.Parse(StepsRecorded().Match(metrics).Groups[1].Value, CultureInfo.InvariantCulture));
    }
}
