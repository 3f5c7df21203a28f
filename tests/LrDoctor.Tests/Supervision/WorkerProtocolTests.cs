using System.Text.Json;
using LrDoctor.Core;
using LrDoctor.Core.Detectors;
using LrDoctor.Core.Protocol;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;

namespace LrDoctor.Tests.Supervision;

public sealed class WorkerProtocolTests
{
    [Fact]
    public void EncodeDecode_StepWithNonFiniteAndMissingValues_RoundTrips()
    {
        var step = new StepRecord(12, double.NaN, null, 0.1, double.PositiveInfinity) { GroupLrs = [0.1, 0.01], Epoch = 0.5 };

        string line = WorkerProtocol.Encode(WorkerMessage.ForStep(step));
        var back = WorkerProtocol.DecodeMessage(line);

        Assert.DoesNotContain('\n', line);
        Assert.Equal(WorkerMessageType.Step, back.Type);
        Assert.True(double.IsNaN(back.Step!.Value.TrainLoss!.Value));
        Assert.Null(back.Step.Value.ValLoss);
        Assert.Equal(double.PositiveInfinity, back.Step.Value.GradNorm);
        Assert.Equal([0.1, 0.01], back.Step.Value.GroupLrs!);
    }

    [Fact]
    public void EncodeDecode_FindingEventCheckpointEnded_RoundTrip()
    {
        var finding = new Finding(Symptoms.Plateau, 100, Severity.Critical, "cause", "action", new Dictionary<string, double> { ["slope"] = 0.0 }) { DetectedStep = 140 };
        var runEvent = new RunEvent(5, EventKind.CutLr, "cut", 1234) { OldLr = 0.1, NewLr = 0.05, Symptom = Symptoms.Spike };

        var f = WorkerProtocol.DecodeMessage(WorkerProtocol.Encode(WorkerMessage.ForFinding(finding)));
        var e = WorkerProtocol.DecodeMessage(WorkerProtocol.Encode(WorkerMessage.ForEvent(runEvent)));
        var c = WorkerProtocol.DecodeMessage(WorkerProtocol.Encode(WorkerMessage.ForCheckpoint("/x/step-1.ckpt", 1)));
        var end = WorkerProtocol.DecodeMessage(WorkerProtocol.Encode(WorkerMessage.ForEnded(RunState.Completed, 99, "done")));

        Assert.Equal(140, f.Finding!.DetectedStep);
        Assert.Equal(Severity.Critical, f.Finding.Severity);
        Assert.Equal(0.05, e.Event!.NewLr);
        Assert.Equal(Symptoms.Spike, e.Event.Symptom);
        Assert.Equal(("/x/step-1.ckpt", 1L), (c.Path, c.AtStep!.Value));
        Assert.Equal((RunState.Completed, 99L, "done"), (end.State, end.AtStep!.Value, end.Reason));
    }

    [Fact]
    public void EncodeDecode_StartAndCommand_RoundTripWithSnakeCaseKinds()
    {
        using var job = JsonDocument.Parse("""{"name":"j","steps":3}""");
        string start = WorkerProtocol.Encode(WorkerInstruction.ForStart("r1", job.RootElement, "/ckpt", null, 2, 30));
        string command = WorkerProtocol.Encode(WorkerInstruction.ForCommand(new RunCommand(RunCommandKind.ScaleLr, 0.5, "why")));

        var s = WorkerProtocol.DecodeInstruction(start);
        var c = WorkerProtocol.DecodeInstruction(command);

        Assert.Equal("j", s.Job!.Value.GetProperty("name").GetString());
        Assert.Equal(2, s.Threads);
        Assert.Contains("\"scale_lr\"", command, StringComparison.Ordinal);
        Assert.Equal(RunCommandKind.ScaleLr, c.Command!.Kind);
        Assert.Equal(0.5, c.Command.Value);
    }

    [Fact]
    public void DecodeMessage_NotJson_ThrowsSpecException()
    {
        Assert.Throws<SpecException>(() => WorkerProtocol.DecodeMessage("libtorch says hello"));
        Assert.Throws<SpecException>(() => WorkerProtocol.DecodeMessage("""{"type":"step","step":{"step":"soon"}}"""));
    }
}
