using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LrDoctor.Cli;
using LrDoctor.Core.Schedules;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.Cli;

/// <summary><c>lrdoctor schedule</c>: its CSV and JSON output, the PNG plot, and one-line errors with exit code 2.</summary>
public sealed class ScheduleCommandTests
{
    private const string OneCycle = """{"type":"onecycle","maxLr":0.1,"totalSteps":100}""";

    [Fact]
    public void Run_Csv_PrintsOneRoundTripExactRowPerStep()
    {
        const string spec = """{"type":"cosine","tMax":30,"etaMin":0.001}""";
        string output = Run("--spec", spec, "--base-lr", "0.1", "--steps", "50");

        string[] lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal("step,lr", lines[0]);
        Assert.Equal(51, lines.Length);
        ILrSchedule expected = Schedule(spec, 0.1);
        for (int t = 0; t < 50; t++)
        {
            string[] cells = lines[t + 1].Split(',');
            Assert.Equal(t.ToString(CultureInfo.InvariantCulture), cells[0]);
            Assert.Equal(expected.LearningRate(t), double.Parse(cells[1], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Run_CyclingSchedule_AddsTheMomentumColumn()
    {
        string output = Run("--spec", OneCycle, "--base-lr", "0.1", "--steps", "101");

        string[] lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal("step,lr,momentum", lines[0]);
        Assert.Equal(102, lines.Length);
        ILrSchedule expected = Schedule(OneCycle, 0.1);
        string[] peak = lines[30].Split(',');
        Assert.Equal(expected.LearningRate(29), double.Parse(peak[1], CultureInfo.InvariantCulture));
        Assert.Equal(expected.Momentum(29), double.Parse(peak[2], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Run_Json_WritesSpecBaseLrAndEveryStep()
    {
        string output = Run("--spec", OneCycle, "--base-lr", "0.1", "--steps", "20", "--format", "json");

        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement root = doc.RootElement;
        Assert.Equal("onecycle", root.GetProperty("spec").GetProperty("type").GetString());
        Assert.Equal(0.1, root.GetProperty("baseLr").GetDouble());
        JsonElement[] steps = [.. root.GetProperty("steps").EnumerateArray()];
        Assert.Equal(20, steps.Length);
        ILrSchedule expected = Schedule(OneCycle, 0.1);
        for (int t = 0; t < 20; t++)
        {
            Assert.Equal(t, steps[t].GetProperty("step").GetInt64());
            Assert.Equal(expected.LearningRate(t), steps[t].GetProperty("lr").GetDouble());
            Assert.Equal(expected.Momentum(t), steps[t].GetProperty("momentum").GetDouble());
        }
    }

    [Fact]
    public void Run_Json_NonCyclingScheduleHasNoMomentum()
    {
        string output = Run("--spec", """{"type":"exponential","gamma":0.9}""", "--base-lr", "1", "--steps", "3", "--format", "json");

        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement first = doc.RootElement.GetProperty("steps")[0];
        Assert.False(first.TryGetProperty("momentum", out _));
        Assert.Equal(1.0, first.GetProperty("lr").GetDouble());
    }

    [Fact]
    public void Run_SpecFile_ReadsTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"lrdoctor-spec-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            // a warmup then cosine
            {"type":"warmup_cosine","warmupSteps":2,"totalSteps":10,}
            """);
        try
        {
            string output = Run("--spec", "@" + path, "--base-lr", "0.5", "--steps", "3");

            Assert.Equal("step,lr\n0,0\n1,0.25\n2,0.5\n", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Run_Plot_WritesAReadablePng()
    {
        string dir = DaemonProcess.NewWorkDir();
        string png = Path.Combine(dir, "plots", "onecycle.png");
        try
        {
            Run("--spec", OneCycle, "--base-lr", "0.1", "--steps", "100", "--plot", png);

            byte[] bytes = File.ReadAllBytes(png);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            Assert.Equal(1000, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
            Assert.Equal(560, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
            Assert.True(bytes.Length > 10_000, "a curve with axes, labels and a title, not an empty image");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("""{"type":"foo"}""", "schedule.type: unknown type 'foo'; valid: constant, step,")]
    [InlineData("""{"type":"multistep","milestones":[30,-80]}""", "schedule.milestones[1]: must not be negative")]
    [InlineData("""{"type":"exponential","gamma":NaN}""", "field \"gamma\" must be a finite number, got NaN")]
    [InlineData("{\"type\":\"cosine\",\n \"tMax\": 10\n \"etaMin\": 0}", "not valid JSON at line 3, position 2")]
    public void Run_BadSpec_ThrowsOneLineNamingTheProblem(string spec, string message)
    {
        CliException e = Assert.Throws<CliException>(() => Run("--spec", spec, "--base-lr", "0.1", "--steps", "10"));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("--base-lr", "-0.1", "--base-lr must be positive")]
    [InlineData("--steps", "0", "--steps must be at least 1")]
    [InlineData("--format", "xml", "--format must be one of csv, json")]
    [InlineData("--colour", "red", "unknown option --colour")]
    public void Run_BadOption_ThrowsNamingTheOption(string option, string value, string message)
    {
        var args = new Dictionary<string, string> { ["--spec"] = OneCycle, ["--base-lr"] = "0.1", ["--steps"] = "10" };
        args[option] = value;

        CliException e = Assert.Throws<CliException>(() => Run([.. args.SelectMany(p => new[] { p.Key, p.Value })]));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_UnknownType_ExitsTwoWithOneLineOnStderr()
    {
        (int exit, string stdout, string stderr) = await RunProcessAsync(
            "schedule", "--spec", """{"type":"foo"}""", "--base-lr", "0.1", "--steps", "10");

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        string line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("schedule.type: unknown type 'foo'; valid:", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_MissingSteps_ExitsTwoNamingTheOption()
    {
        (int exit, _, string stderr) = await RunProcessAsync("schedule", "--spec", OneCycle, "--base-lr", "0.1");

        Assert.Equal(2, exit);
        Assert.Equal("lrdoctor: schedule: missing required option --steps", stderr.TrimEnd('\n'));
    }

    [Fact]
    public async Task Main_ValidSpec_ExitsZeroWithTheCsvOnStdout()
    {
        (int exit, string stdout, string stderr) = await RunProcessAsync(
            "schedule", "--spec", """{"type":"step","stepSize":2,"gamma":0.5}""", "--base-lr", "1", "--steps", "5");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal("step,lr\n0,1\n1,1\n2,0.5\n3,0.5\n4,0.25\n", stdout.ReplaceLineEndings("\n"));
    }

    private static string Run(params string[] args)
    {
        using var stdout = new StringWriter();
        int exit = ScheduleCommand.Run(CliArgs.Parse("schedule", args), stdout);
        Assert.Equal(0, exit);
        return stdout.ToString();
    }

    private static ILrSchedule Schedule(string json, double baseLr)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        return ScheduleFactory.Create(doc.RootElement, baseLr);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunProcessAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(DaemonProcess.DaemonDll);
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
