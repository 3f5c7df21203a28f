using LrDoctor.Core.Runs;
using LrDoctor.Storage;
using LrDoctor.Supervision;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.Supervision;

public sealed class ResumeCheckpointTests
{
    private readonly string _root = DaemonProcess.NewWorkDir();

    private string Checkpoint(long step)
    {
        string dir = Path.Combine(_root, "r1");
        Directory.CreateDirectory(dir);
        string file = Path.Combine(dir, $"step-{step:D12}.ckpt");
        File.WriteAllText(file, "x");
        return file;
    }

    private static StoredRun Run(long step, string? checkpoint) =>
        new("r1", "n", RunState.Running, "{}", 0) { Step = step, CheckpointPath = checkpoint };

    [Fact]
    public void Choose_StoredCheckpointExists_ReturnsIt()
    {
        string stored = Checkpoint(100);
        Checkpoint(200);

        Assert.Equal(stored, ResumeCheckpoint.Choose(Run(150, stored), _root));
    }

    [Fact]
    public void Choose_StoredCheckpointRotatedOut_ReturnsTheNewestWithNoGapInTheSteps()
    {
        string stored = Checkpoint(100);
        File.Delete(stored);
        string noGap = Checkpoint(251);
        Checkpoint(300);

        Assert.Equal(noGap, ResumeCheckpoint.Choose(Run(250, stored), _root));
    }

    [Fact]
    public void Choose_NoCheckpointAtOrBeforeTheStoredSteps_StartsOver()
    {
        Checkpoint(300);

        Assert.Null(ResumeCheckpoint.Choose(Run(250, null), _root));
        Assert.Null(ResumeCheckpoint.Choose(Run(-1, null) with { Id = "other" }, _root));
    }
}
