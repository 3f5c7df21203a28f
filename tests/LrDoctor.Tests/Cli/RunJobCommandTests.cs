using System.Text.Json;
using LrDoctor.Cli;

namespace LrDoctor.Tests.Cli;

public sealed class RunJobCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lrdoctor-run-" + Guid.NewGuid().ToString("N"));

    public RunJobCommandTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteJob(string json)
    {
        string path = Path.Combine(_directory, "job.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Run_FormatJsonWithOut_PrintsTheSummaryObjectAndWritesTheDiagnoseCsv()
    {
        string job = WriteJob("""
            {"name":"cli","model":{"type":"mlp","layers":[32]},"data":{"type":"digits"},
             "optimizer":{"type":"sgd","lr":0.1,"momentum":0.9},"steps":40,"evalEvery":20,"seed":1}
            """);
        string csv = Path.Combine(_directory, "run.csv");
        var stdout = new StringWriter();

        int exit = RunJobCommand.Run(CliArgs.Parse("run", [job, "--format", "json", "--out", csv, "--threads", "2"]), stdout);

        Assert.Equal(0, exit);
        using var summary = JsonDocument.Parse(stdout.ToString());
        var root = summary.RootElement;
        Assert.Equal("cli", root.GetProperty("run").GetString());
        Assert.Equal(40, root.GetProperty("steps").GetInt64());
        foreach (string key in new[] { "seconds", "finalTrainLoss", "finalValLoss", "finalValAccuracy", "findings", "interventions" })
        {
            Assert.True(root.TryGetProperty(key, out _), key);
        }

        string[] lines = File.ReadAllLines(csv);
        Assert.StartsWith("step,train_loss,val_loss,lr,grad_norm,epoch", lines[0], StringComparison.Ordinal);
        Assert.Equal(41, lines.Length);
        Assert.StartsWith("0,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownModelType_IsOneLineErrorNamingFileAndField()
    {
        string job = WriteJob("""{"model":{"type":"resnet"},"data":{"type":"digits"},"optimizer":{"type":"sgd","lr":0.1},"steps":5}""");

        var e = Assert.Throws<CliException>(() => RunJobCommand.Run(CliArgs.Parse("run", [job]), new StringWriter()));

        Assert.Contains("job.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("model.type", e.Message, StringComparison.Ordinal);
        Assert.Contains("mlp, cnn, char_transformer", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Run_MissingJobFile_NamesIt()
    {
        var e = Assert.Throws<CliException>(() => RunJobCommand.Run(CliArgs.Parse("run", ["no-such-job.json"]), new StringWriter()));

        Assert.Contains("no-such-job.json", e.Message, StringComparison.Ordinal);
    }
}
