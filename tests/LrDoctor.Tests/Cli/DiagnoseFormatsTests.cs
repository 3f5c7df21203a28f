using System.Globalization;
using System.Text;
using System.Text.Json;
using LrDoctor.Cli;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.Cli;

/// <summary><c>lrdoctor diagnose</c> on folders, with JSON errors and entries counted as what they are.</summary>
public sealed class DiagnoseFormatsTests
{
    [Fact]
    public void Run_JsonFormatOnARefusedFile_WritesTheErrorAsJsonOnStdoutAndStillFails()
    {
        string file = Path.Combine(DaemonProcess.NewWorkDir(), "notes.txt");
        File.WriteAllText(file, "nohup: ignoring input\nnothing to see\n");
        var stdout = new StringWriter();

        var e = Assert.Throws<CliException>(() => DiagnoseCommand.Run(CliArgs.Parse("diagnose", [file, "--format", "json"]), stdout));

        var error = JsonDocument.Parse(stdout.ToString()).RootElement;
        Assert.Equal(file, error.GetProperty("file").GetString());
        Assert.Contains("LrDoctor reads:", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("nohup", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains(file, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TrainerStateLoggingEvery10_CountsLoggedStepsNotEvalEntries()
    {
        var history = new StringBuilder("{\"log_history\": [");
        for (int step = 10; step <= 1860; step += 10)
        {
            history.Append(CultureInfo.InvariantCulture, $"{{\"loss\": {2.0 / Math.Sqrt(step):R}, \"learning_rate\": 1e-4, \"step\": {step}}},");
            if (step % 200 == 0)
            {
                history.Append(CultureInfo.InvariantCulture, $"{{\"eval_loss\": {2.1 / Math.Sqrt(step):R}, \"step\": {step + 5}}},");
            }
        }

        history.Append("{\"predict_loss\": 0.1}]}");
        string file = Path.Combine(DaemonProcess.NewWorkDir(), "trainer_state.json");
        File.WriteAllText(file, history.ToString());
        var stdout = new StringWriter();

        DiagnoseCommand.Run(CliArgs.Parse("diagnose", [file]), stdout);

        Assert.Contains("186 logged steps between 10 and 1,860", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Folder_DiagnosesEachRunWithTheNewestCheckpointAndASummary()
    {
        string root = DaemonProcess.NewWorkDir();
        Directory.CreateDirectory(Path.Combine(root, "lightning_logs", "version_0"));
        File.WriteAllText(Path.Combine(root, "lightning_logs", "version_0", "metrics.csv"), Csv(100));
        foreach (int checkpoint in new[] { 50, 100 })
        {
            string dir = Path.Combine(root, "hf", $"checkpoint-{checkpoint}");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "trainer_state.json"), "{\"log_history\": [" + string.Join(',', Enumerable.Range(1, checkpoint).Select(s => FormattableString.Invariant($"{{\"loss\": {2.0 / s:R}, \"step\": {s}}}"))) + "]}");
        }

        File.WriteAllText(Path.Combine(root, "readme.log"), "nothing here\n");
        var stdout = new StringWriter();

        int exit = DiagnoseCommand.Run(CliArgs.Parse("diagnose", [root, "--format", "json"]), stdout);

        Assert.Equal(0, exit);
        var json = JsonDocument.Parse(stdout.ToString()).RootElement;
        var runs = json.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(2, runs.Count);
        Assert.Contains(runs, r => r.GetProperty("file").GetString() == Path.Combine("hf", "checkpoint-100", "trainer_state.json") && r.GetProperty("trainEntries").GetInt64() == 100);
        Assert.Contains(runs, r => r.GetProperty("file").GetString()!.EndsWith("metrics.csv", StringComparison.Ordinal));
        Assert.Equal("readme.log", Assert.Single(json.GetProperty("skipped").EnumerateArray()).GetProperty("file").GetString());
    }

    private static string Csv(int steps) =>
        "step,train_loss\n" + string.Concat(Enumerable.Range(0, steps).Select(s => FormattableString.Invariant($"{s},{2.0 / (s + 1):R}\n")));
}
