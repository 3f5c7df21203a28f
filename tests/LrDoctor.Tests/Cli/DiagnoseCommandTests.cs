using System.Diagnostics;
using System.Text.Json;
using LrDoctor.Cli;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.Cli;

/// <summary><c>lrdoctor diagnose</c> on logs of the frameworks people use, in-process and as the real executable.</summary>
public sealed class DiagnoseCommandTests
{
    private static readonly string Curves = Path.Combine(RepoRoot(), "tests", "fixtures", "curves");

    private static (int Exit, string Output) Diagnose(params string[] args)
    {
        var output = new StringWriter();
        int exit = DiagnoseCommand.Run(CliArgs.Parse("diagnose", args), output);
        return (exit, output.ToString());
    }

    private static JsonElement DiagnoseJson(string file)
    {
        var (exit, output) = Diagnose(file, "--format", "json");
        Assert.Equal(0, exit);
        return JsonDocument.Parse(output).RootElement;
    }

    [Fact]
    public void Run_LightningMetricsCsv_MergesTrainAndValidationRowsAndFindsNothing()
    {
        var json = DiagnoseJson(Path.Combine(Curves, "formats", "lightning_metrics.csv"));

        Assert.Equal("CSV", json.GetProperty("format").GetString());
        Assert.Equal(0, json.GetProperty("findings").GetArrayLength());
        int rows = File.ReadLines(Path.Combine(Curves, "formats", "lightning_metrics.csv")).Count() - 1;
        Assert.InRange(json.GetProperty("steps").GetInt64(), 100, rows - 1);
    }

    [Fact]
    public void Run_KerasEpochLogOfAnOverfittingRun_FindsTrainValDivergence()
    {
        var json = DiagnoseJson(Path.Combine(Curves, "formats", "keras_log.csv"));

        Assert.StartsWith("CSV per epoch", json.GetProperty("format").GetString(), StringComparison.Ordinal);
        var symptoms = json.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("symptom").GetString()).ToList();
        Assert.Contains("train_val_divergence", symptoms);
    }

    [Fact]
    public void Run_TrainerStateOfAHealthyRun_FindsNothing()
    {
        var (exit, output) = Diagnose(Path.Combine(Curves, "formats", "trainer_state.json"));

        Assert.Equal(0, exit);
        Assert.Contains("Hugging Face trainer_state.json", output, StringComparison.Ordinal);
        Assert.Contains("Verdict: Healthy", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_JsonFormat_HasTheDesignedFieldsForEachFinding()
    {
        var json = DiagnoseJson(Path.Combine(Curves, "digits_sgd_lr_far_too_high.csv"));

        Assert.EndsWith("digits_sgd_lr_far_too_high.csv", json.GetProperty("file").GetString(), StringComparison.Ordinal);
        Assert.True(json.GetProperty("steps").GetInt64() > 0);
        var finding = json.GetProperty("findings").EnumerateArray().First();
        Assert.Equal("nan_explosion", finding.GetProperty("symptom").GetString());
        Assert.Equal("critical", finding.GetProperty("severity").GetString());
        Assert.True(finding.GetProperty("onsetStep").GetInt64() >= 0);
        Assert.False(string.IsNullOrWhiteSpace(finding.GetProperty("cause").GetString()));
        Assert.Contains("10", finding.GetProperty("action").GetString(), StringComparison.Ordinal);
        Assert.True(finding.GetProperty("evidence").EnumerateObject().Any());
    }

    [Fact]
    public void Run_TextFormat_GivesVerdictTableAndEvidence()
    {
        var (exit, output) = Diagnose(Path.Combine(Curves, "digits_sgd_lr_far_too_low.csv"));

        Assert.Equal(0, exit);
        Assert.Contains("Verdict: Needs attention", output, StringComparison.Ordinal);
        Assert.Contains("too_slow", output, StringComparison.Ordinal);
        Assert.Contains("Raise the LR", output, StringComparison.Ordinal);
        Assert.Contains("evidence: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WithPlot_WritesAPng()
    {
        string png = Path.Combine(DaemonProcess.NewWorkDir(), "diagnosis.png");

        var (exit, _) = Diagnose(Path.Combine(Curves, "digits_sgd_injected_spike.csv"), "--plot", png);

        Assert.Equal(0, exit);
        byte[] bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 10_000, $"{bytes.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
    }

    [Fact]
    public void Run_UnknownFormat_IsAUsageError()
    {
        var e = Assert.Throws<CliException>(() => Diagnose("x.csv", "--format", "xml"));

        Assert.Contains("--format must be one of text, json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Main_NonNumericCell_ExitsTwoWithOneLineNamingFileAndLine()
    {
        string file = WriteTemp("step,train_loss\n0,2.3\n1,oops\n");

        var (exit, stdout, stderr) = RunProcess("diagnose", file);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal($"lrdoctor: diagnose: {file}: line 3: column 'train_loss': 'oops' is not a number", stderr.TrimEnd('\n'));
    }

    [Fact]
    public void Run_ResumedRunLog_DiagnosesTheLastAttemptLikeTheCleanLogAndSaysWhereItWentBack()
    {
        // The healthy SGD warmup + cosine run (1,500 steps), but its first attempt blew up from step 900 to 999 and was
        // resumed from the checkpoint at step 800: steps 800-999 appear twice, the blown-up attempt first.
        string[] clean = File.ReadAllLines(Path.Combine(Curves, "digits_sgd_warmup_cosine.csv"));
        var resumed = new List<string>(clean[..901]);
        for (int t = 900; t < 1000; t++)
        {
            resumed.Add(FormattableString.Invariant($"{t},{50.0 * (t - 899)},,0.05,,"));
        }

        resumed.AddRange(clean[801..]);
        string file = WriteTemp(string.Join('\n', resumed) + "\n");

        var report = DiagnoseJson(file);
        var reference = DiagnoseJson(Path.Combine(Curves, "digits_sgd_warmup_cosine.csv"));
        var (_, text) = Diagnose(file);

        Assert.Equal(1500, report.GetProperty("steps").GetInt64());
        Assert.Equal(reference.GetProperty("findings").GetRawText(), report.GetProperty("findings").GetRawText());
        Assert.Equal(reference.GetProperty("verdict").GetString(), report.GetProperty("verdict").GetString());
        var resume = Assert.Single(report.GetProperty("resumes").EnumerateArray());
        Assert.Equal(1002, resume.GetProperty("line").GetInt64());
        Assert.Equal(999, resume.GetProperty("fromStep").GetInt64());
        Assert.Equal(800, resume.GetProperty("toStep").GetInt64());
        Assert.Contains("line 1002: step 999 back to 800", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("epoch_time,acc\n1,2\n", "missing required column 'step'")]
    [InlineData("step,loss\n0,1\n1,x\n", "line 3")]
    public void Main_BadLog_ExitsTwoWithOneLineOnStderr(string content, string expected)
    {
        string file = WriteTemp(content);

        var (exit, _, stderr) = RunProcess("diagnose", file);

        Assert.Equal(2, exit);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(file, line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Main_MissingFile_ExitsTwoNamingIt()
    {
        string file = Path.Combine(DaemonProcess.NewWorkDir(), "missing.csv");

        var (exit, _, stderr) = RunProcess("diagnose", file);

        Assert.Equal(2, exit);
        Assert.Contains(file, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Main_HealthyLog_ExitsZeroWithJsonOnStdout()
    {
        var (exit, stdout, stderr) = RunProcess("diagnose", Path.Combine(Curves, "digits_adam_step_decay.csv"), "--format", "json");

        Assert.True(exit == 0, stderr);
        Assert.Equal(0, JsonDocument.Parse(stdout).RootElement.GetProperty("findings").GetArrayLength());
    }

    private static string WriteTemp(string content)
    {
        string file = Path.Combine(DaemonProcess.NewWorkDir(), "log.csv");
        File.WriteAllText(file, content);
        return file;
    }

    private static (int Exit, string Stdout, string Stderr) RunProcess(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(DaemonProcess.DaemonDll);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "lrdoctor diagnose did not finish");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LrDoctor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LrDoctor.sln not found above " + AppContext.BaseDirectory);
    }
}
