using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;

namespace LrDoctor.Core.Protocol;

/// <summary>One line a worker writes on its standard output: a step, a finding, an event, an artifact, a checkpoint or the end of the run.</summary>
/// <param name="Type">One of the <see cref="WorkerMessageType"/>.</param>
public sealed record WorkerMessage(WorkerMessageType Type)
{
    /// <summary>Gets the step record of a <c>step</c> message.</summary>
    public StepRecord? Step { get; init; }

    /// <summary>Gets the finding of a <c>finding</c> message.</summary>
    public Finding? Finding { get; init; }

    /// <summary>Gets the event of an <c>event</c> message.</summary>
    public RunEvent? Event { get; init; }

    /// <summary>Gets the artifact kind of an <c>artifact</c> message.</summary>
    public string? Kind { get; init; }

    /// <summary>Gets the artifact JSON of an <c>artifact</c> message.</summary>
    public string? Json { get; init; }

    /// <summary>Gets the file of a <c>checkpoint</c> message.</summary>
    public string? Path { get; init; }

    /// <summary>Gets the step a <c>checkpoint</c> resumes at, or the last step of an <c>ended</c> message.</summary>
    public long? AtStep { get; init; }

    /// <summary>Gets the final state of an <c>ended</c> message (one of <see cref="RunState"/>).</summary>
    public RunState? State { get; init; }

    /// <summary>Gets why the run ended.</summary>
    public string? Reason { get; init; }

    /// <summary>Creates a <c>step</c> message.</summary>
    public static WorkerMessage ForStep(in StepRecord step) => new(WorkerMessageType.Step) { Step = step };

    /// <summary>Creates a <c>finding</c> message.</summary>
    public static WorkerMessage ForFinding(Finding finding) => new(WorkerMessageType.Finding) { Finding = finding };

    /// <summary>Creates an <c>event</c> message.</summary>
    public static WorkerMessage ForEvent(RunEvent runEvent) => new(WorkerMessageType.Event) { Event = runEvent };

    /// <summary>Creates an <c>artifact</c> message.</summary>
    public static WorkerMessage ForArtifact(string kind, string json) => new(WorkerMessageType.Artifact) { Kind = kind, Json = json };

    /// <summary>Creates a <c>checkpoint</c> message: the run can resume from <paramref name="path"/> at step <paramref name="atStep"/>.</summary>
    public static WorkerMessage ForCheckpoint(string path, long atStep) => new(WorkerMessageType.Checkpoint) { Path = path, AtStep = atStep };

    /// <summary>Creates an <c>ended</c> message.</summary>
    public static WorkerMessage ForEnded(RunState state, long lastStep, string? reason) => new(WorkerMessageType.Ended) { State = state, AtStep = lastStep, Reason = reason };
}
