using LrDoctor.Core.Runs;
using LrDoctor.Torch.Tests.Infrastructure;

namespace LrDoctor.Torch.Tests;

public sealed class CheckpointTests
{
    [Theory]
    [InlineData("""{"type":"sgd","lr":0.1,"momentum":0.9}""")]
    [InlineData("""{"type":"adamw","lr":0.003}""")]
    public void Resume_FromStopCheckpoint_ContinuesExactlyLikeAnUninterruptedRun(string optimizer)
    {
        string directory = Path.Combine(Path.GetTempPath(), "lrdoctor-ckpt-" + Guid.NewGuid().ToString("N"));
        try
        {
            var straight = new RecordingSink();
            using (var run = TrainingRun.Create(Jobs.DigitsMlp(optimizer, steps: 120, model: """{"type":"mlp","layers":[32],"dropout":0.1}"""), straight, Jobs.Options))
            {
                run.Run(CancellationToken.None);
            }

            var first = new RecordingSink();
            var options = new TrainingRunOptions { Threads = 2, CheckpointDirectory = directory, RunId = "resume" };
            using (var run = TrainingRun.Create(Jobs.DigitsMlp(optimizer, steps: 120, model: """{"type":"mlp","layers":[32],"dropout":0.1}"""), first, options))
            {
                first.OnEachStep = r =>
                {
                    if (r.Step == 59)
                    {
                        run.Post(new RunCommand(RunCommandKind.Stop));
                    }
                };
                Assert.Equal(RunState.Stopped, run.Run(CancellationToken.None).State);
            }

            var second = new RecordingSink();
            var resume = new TrainingRunOptions { Threads = 2, ResumeFromCheckpoint = Path.Combine(directory, TrainingRun.CheckpointName("resume")) };
            RunSummary summary;
            using (var run = TrainingRun.Create(Jobs.DigitsMlp(optimizer, steps: 120, model: """{"type":"mlp","layers":[32],"dropout":0.1}"""), second, resume))
            {
                Assert.Equal(60, run.Step);
                summary = run.Run(CancellationToken.None);
            }

            Assert.Equal(RunState.Completed, summary.State);
            Assert.Equal(Enumerable.Range(60, 60).Select(i => (long)i), second.Steps.Select(s => s.Step));
            Assert.Equal(straight.Steps.Skip(60).Select(s => s.TrainLoss), second.Steps.Select(s => s.TrainLoss));
            Assert.Contains(second.Events, e => e.Kind == EventKind.Resume);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public void Resume_LateInAHealthyRun_CompletesWithoutInterventions()
    {
        // Regression: with the detectors reset at the resume point, batch noise at a low loss looked like a blow-up and the
        // resumed run was rolled back until it failed.
        var job = Jobs.DigitsMlp("""{"type":"sgd","lr":0.05,"momentum":0.9}""", steps: 600, extra: ""","checkpointEvery":100""");
        string directory = Path.Combine(Path.GetTempPath(), "lrdoctor-late-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var cancel = new CancellationTokenSource();
            var first = new RecordingSink { OnEachStep = r => { if (r.Step == 310) { cancel.Cancel(); } } };
            using (var run = TrainingRun.Create(job, first, new TrainingRunOptions { Threads = 2, CheckpointDirectory = directory, RunId = "late" }))
            {
                Assert.Equal(RunState.Interrupted, run.Run(cancel.Token).State);
            }

            var second = new RecordingSink();
            using var resumed = TrainingRun.Create(job, second, new TrainingRunOptions { Threads = 2, ResumeFromCheckpoint = Path.Combine(directory, TrainingRun.CheckpointName("late")) });
            var summary = resumed.Run(CancellationToken.None);

            Assert.Equal(RunState.Completed, summary.State);
            Assert.DoesNotContain(summary.Interventions, i => i.Kind == EventKind.RollbackAndCut);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public void Resume_FromAFileThatIsNotACheckpoint_FailsNamingIt()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a checkpoint");

            var e = Assert.Throws<Core.SpecException>(() => TrainingRun.Create(Jobs.DigitsMlp(), new RecordingSink(), new TrainingRunOptions { ResumeFromCheckpoint = path }));

            Assert.Contains(path, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
