using LrDoctor.Core;
using LrDoctor.Core.Jobs;
using LrDoctor.Core.Runs;
using LrDoctor.Torch.Tests.Infrastructure;

namespace LrDoctor.Torch.Tests;

public sealed class DataAndModelTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lrdoctor-data-" + Guid.NewGuid().ToString("N"));

    public DataAndModelTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static JobSpec Job(string model, string data, string optimizer = """{"type":"adam","lr":0.003}""", int steps = 100, string extra = "") =>
        JobSpec.Parse($$"""{"name":"t","model":{{model}},"data":{{data}},"optimizer":{{optimizer}},"steps":{{steps}},"batchSize":32,"seed":3,"evalEvery":25{{extra}}}""");

    private RunSummary Train(JobSpec job) => TrainingRun.Create(job, new RecordingSink(), new TrainingRunOptions { Threads = 2, JobDirectory = _directory }).Run(CancellationToken.None);

    [Fact]
    public void Run_CnnOnDigitsWithOneCycleSizedSteps_Learns()
    {
        var summary = Train(Job("""{"type":"cnn","channels":[8,16]}""", """{"type":"digits"}""", steps: 200));

        Assert.True(summary.FinalValAccuracy > 0.85, $"accuracy {summary.FinalValAccuracy}");
    }

    [Fact]
    public void Run_CharTransformerOnText_LowersTheLossBelowUniform()
    {
        string text = string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", 200));
        File.WriteAllText(Path.Combine(_directory, "corpus.txt"), text);

        var summary = Train(Job("""{"type":"char_transformer","dModel":32,"heads":2,"blocks":1,"context":16}""", """{"type":"text","path":"corpus.txt","valFraction":0.1}""", steps: 150));

        double uniform = Math.Log(text.Distinct().Count());
        Assert.True(summary.FinalValLoss < uniform / 2, $"val loss {summary.FinalValLoss} vs uniform {uniform}");
    }

    [Fact]
    public void Run_CsvWithStringLabels_TrainsAClassifier()
    {
        var lines = new List<string> { "x1,x2,species" };
        var random = new Random(1);
        for (int i = 0; i < 300; i++)
        {
            double a = random.NextDouble();
            double b = random.NextDouble();
            lines.Add($"{a:F4},{b:F4},{(a > b ? "left" : "right")}");
        }

        File.WriteAllLines(Path.Combine(_directory, "t.csv"), lines);

        var summary = Train(Job("""{"type":"mlp","layers":[16]}""", """{"type":"csv","path":"t.csv","target":"species"}""", steps: 200));

        Assert.True(summary.FinalValAccuracy > 0.9, $"accuracy {summary.FinalValAccuracy}");
    }

    [Fact]
    public void Run_SyntheticRegression_LowersMeanSquaredError()
    {
        var summary = Train(Job("""{"type":"mlp","layers":[32]}""", """{"type":"synthetic","task":"regression","samples":1000,"features":8}""", steps: 200));

        Assert.Null(summary.FinalValAccuracy);
        Assert.True(summary.FinalValLoss < 0.2, $"mse {summary.FinalValLoss}");
    }

    [Fact]
    public void Create_MissingDataFile_NamesThePath()
    {
        var e = Assert.Throws<SpecException>(() => Train(Job("""{"type":"mlp"}""", """{"type":"csv","path":"nowhere/missing.csv"}""")));

        Assert.Equal("data.path", e.Field);
        Assert.Contains("nowhere/missing.csv", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NaNInTheData_ReportsFileLineAndColumn()
    {
        File.WriteAllLines(Path.Combine(_directory, "bad.csv"), ["a,b,y", "1,2,0", "3,nan,1", "5,6,0"]);

        var e = Assert.Throws<SpecException>(() => Train(Job("""{"type":"mlp"}""", """{"type":"csv","path":"bad.csv"}""")));

        Assert.Equal("data.path", e.Field);
        Assert.Contains("bad.csv:3", e.Message, StringComparison.Ordinal);
        Assert.Contains("'b'", e.Message, StringComparison.Ordinal);
        Assert.Contains("not trained on", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CnnOnNonImageData_SaysWhy()
    {
        var e = Assert.Throws<SpecException>(() => Train(Job("""{"type":"cnn"}""", """{"type":"synthetic","features":10}""")));

        Assert.Equal("model.type", e.Field);
        Assert.Contains("64 features", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CudaOnThisCpuBuild_SaysHowToGetIt()
    {
        var e = Assert.Throws<SpecException>(() => Train(Job("""{"type":"mlp"}""", """{"type":"digits"}""", extra: ""","device":"cuda" """)));

        Assert.Equal("device", e.Field);
    }

    [Fact]
    public void Run_Epochs_TrainsEpochsTimesBatchesPerEpoch()
    {
        var job = JobSpec.Parse("""{"name":"e","model":{"type":"mlp"},"data":{"type":"digits"},"optimizer":{"type":"sgd","lr":0.1},"epochs":2,"batchSize":100}""");

        var summary = Train(job);

        Assert.Equal(2 * (1438 / 100), summary.Steps);
    }
}
