using System.Diagnostics;
using System.Text.Json;
using LrDoctor.Cli;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.Cli;

/// <summary>The <c>lrdoctor find-lr</c> command, run for real on the vendored digits data.</summary>
[Collection("TorchSharp")]
public sealed class FindLrCommandTests : IDisposable
{
    private readonly string _dir = DaemonProcess.NewWorkDir();

    public FindLrCommandTests()
    {
        TorchSharp.torch.set_num_threads(2);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Run_JsonFormat_PrintsTheDocumentedObject()
    {
        string job = WriteJob();
        var stdout = new StringWriter();

        int code = Run(["find-lr", job, "--format", "json", "--steps", "60"], stdout, new StringWriter());

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout.ToString());
        var root = json.RootElement;
        var points = root.GetProperty("points");
        Assert.InRange(points.GetArrayLength(), 10, 60);
        Assert.True(points[0].GetProperty("lr").GetDouble() == 1e-7);
        Assert.True(points[0].TryGetProperty("loss", out _) && points[0].TryGetProperty("smoothedLoss", out _));
        foreach (string rule in new[] { "steep", "valley", "minimum" })
        {
            Assert.True(root.GetProperty("suggestions").TryGetProperty(rule, out _), rule);
        }

        Assert.Equal(JsonValueKind.Number, root.GetProperty("recommended").ValueKind);
        Assert.True(root.TryGetProperty("divergenceLr", out _));
        Assert.True(root.TryGetProperty("stoppedEarly", out _));
        Assert.True(root.GetProperty("seconds").GetDouble() > 0);
    }

    [Fact]
    public void Run_TextWithPlotAndApply_ReportsWritesThePngAndATunedJob()
    {
        string job = WriteJob();
        string png = Path.Combine(_dir, "finder.png");
        var stdout = new StringWriter();

        int code = Run(["find-lr", job, "--plot", png, "--apply", "--mode", "exp", "--min", "1e-6", "--max", "10"], stdout, new StringWriter());

        Assert.Equal(0, code);
        string text = stdout.ToString();
        Assert.Contains("recommended", text, StringComparison.Ordinal);
        Assert.Contains("steep", text, StringComparison.Ordinal);
        byte[] header = File.ReadAllBytes(png)[..8];
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, header);
        string tuned = Path.Combine(_dir, "job.findlr.json");
        using var tunedJson = JsonDocument.Parse(File.ReadAllText(tuned));
        double lr = tunedJson.RootElement.GetProperty("optimizer").GetProperty("lr").GetDouble();
        Assert.NotEqual(0.5, lr);
        Assert.InRange(lr, 1e-6, 10);
        Assert.False(tunedJson.RootElement.GetProperty("findLr").GetBoolean());
        Assert.Equal("sgd", tunedJson.RootElement.GetProperty("optimizer").GetProperty("type").GetString());
        Assert.Contains(lr.ToString("0.###e+0", System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingJobFile_FailsNamingTheFile()
    {
        string missing = Path.Combine(_dir, "nope.json");

        var error = Assert.Throws<CliException>(() => Run(["find-lr", missing], new StringWriter(), new StringWriter()));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_InvalidJob_FailsNamingTheField()
    {
        string job = Path.Combine(_dir, "bad.json");
        File.WriteAllText(job, """{"name":"x","model":{"type":"resnet"},"data":{"type":"digits"},"optimizer":{"type":"sgd","lr":0.1},"steps":10}""");

        var error = Assert.Throws<CliException>(() => Run(["find-lr", job], new StringWriter(), new StringWriter()));

        Assert.Contains("model.type", error.Message, StringComparison.Ordinal);
        Assert.Contains(job, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--min", "0", "--min")]
    [InlineData("--max", "1e-9", "--max")]
    [InlineData("--steps", "1", "--steps")]
    [InlineData("--mode", "cosine", "--mode")]
    [InlineData("--format", "xml", "--format")]
    [InlineData("--stop-factor", "1", "--stop-factor")]
    public void Run_BadOption_FailsNamingTheOption(string option, string value, string named)
    {
        string job = WriteJob();

        var error = Assert.Throws<CliException>(() => Run(["find-lr", job, option, value], new StringWriter(), new StringWriter()));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Main_BadOption_ExitsTwoWithOneLineOnStderr()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { DaemonProcess.DaemonDll, "find-lr", WriteJob(), "--steps", "many" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000));

        Assert.Equal(2, process.ExitCode);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--steps", stderr, StringComparison.Ordinal);
    }

    private static int Run(string[] argv, TextWriter stdout, TextWriter stderr) =>
        FindLrCommand.Run(CliArgs.Parse(argv[0], argv[1..], "apply"), stdout, stderr, showProgress: false);

    private string WriteJob()
    {
        string path = Path.Combine(_dir, "job.json");
        File.WriteAllText(path, $$"""
            {"name":"digits-mlp","model":{"type":"mlp","layers":[64]},"data":{"type":"digits","path":{{JsonSerializer.Serialize(FindDigits())}}},
             "optimizer":{"type":"sgd","lr":0.5,"momentum":0.9},"steps":200,"batchSize":32,"seed":3,"findLr":true}
            """);
        return path;
    }

    private static string FindDigits()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "data", "digits.csv");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("data/digits.csv not found above the test assembly");
    }
}
