using System.Text.Json;
using LrDoctor.Core.Detectors;
using LrDoctor.Core.Json;
using LrDoctor.Core.LrFinder;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;
using LrDoctor.Torch.Tests.Infrastructure;

namespace LrDoctor.Torch.Tests;

public sealed class LrRangeTestTrainingRunTests
{
    [Fact]
    public void Run_JobWithFindLr_RecordsTheTestAndTrainsWithTheRecommendedLr()
    {
        var job = Jobs.DigitsMlp("""{"type":"sgd","lr":0.001,"momentum":0.9}""", steps: 150) with { FindLr = true };
        var sink = new ArtifactSink();
        using var run = TrainingRun.Create(job, sink, Jobs.Options);

        var summary = run.Run(CancellationToken.None);

        var (kind, json) = Assert.Single(sink.Artifacts);
        Assert.Equal("lr_finder", kind);
        var result = JsonSerializer.Deserialize<LrFinderResult>(json, LrDoctorJson.Options)!;
        Assert.NotNull(result.Recommended);
        var finder = Assert.Single(sink.Events, e => e.Kind == EventKind.LrFinder);
        Assert.Equal(0.001, finder.OldLr);
        Assert.Equal(result.Recommended, finder.NewLr);
        Assert.Contains("training uses it", finder.Reason, StringComparison.Ordinal);
        Assert.Equal(result.Recommended!.Value, sink.Steps[0].Lr!.Value, 9);
        Assert.Equal(RunState.Completed, summary.State);
        Assert.True(summary.FinalValLoss < 0.5, $"val loss {summary.FinalValLoss} at the recommended LR {result.Recommended}");
    }

    [Fact]
    public void Run_JobWithoutFindLr_RunsNoRangeTest()
    {
        var sink = new ArtifactSink();
        using var run = TrainingRun.Create(Jobs.DigitsMlp(steps: 5), sink, Jobs.Options);

        run.Run(CancellationToken.None);

        Assert.Empty(sink.Artifacts);
        Assert.DoesNotContain(sink.Events, e => e.Kind == EventKind.LrFinder);
    }

    private sealed class ArtifactSink : IRunSink
    {
        public List<StepRecord> Steps { get; } = [];

        public List<RunEvent> Events { get; } = [];

        public List<(string Kind, string Json)> Artifacts { get; } = [];

        public void OnStep(in StepRecord record) => Steps.Add(record);

        public void OnFinding(Finding finding)
        {
        }

        public void OnEvent(RunEvent runEvent) => Events.Add(runEvent);

        public void OnArtifact(string kind, string json) => Artifacts.Add((kind, json));
    }
}
