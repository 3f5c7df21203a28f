using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;

namespace LrDoctor.Storage;

/// <summary>One queued write of the batched writer: a step, an event, an artifact or a checkpoint reference.</summary>
/// <param name="Kind">What is written.</param>
/// <param name="RunId">The run it belongs to.</param>
/// <param name="Step">The step record (<see cref="StoreWriteKind.Step"/>), or the checkpoint's step in <see cref="StepRecord.Step"/>.</param>
/// <param name="Event">The event (<see cref="StoreWriteKind.Event"/>).</param>
/// <param name="Name">The artifact kind, or the checkpoint path.</param>
/// <param name="Json">The artifact JSON.</param>
public readonly record struct StoreWrite(StoreWriteKind Kind, string RunId, StepRecord Step, RunEvent? Event = null, string? Name = null, string? Json = null)
{
    /// <summary>Creates a step write.</summary>
    public static StoreWrite ForStep(string runId, in StepRecord step) => new(StoreWriteKind.Step, runId, step);

    /// <summary>Creates an event write.</summary>
    public static StoreWrite ForEvent(string runId, RunEvent runEvent) => new(StoreWriteKind.Event, runId, default, runEvent);

    /// <summary>Creates an artifact write.</summary>
    public static StoreWrite ForArtifact(string runId, string kind, string json) => new(StoreWriteKind.Artifact, runId, default, null, kind, json);

    /// <summary>Creates a checkpoint reference: stored in the same transaction as the steps queued before it.</summary>
    public static StoreWrite ForCheckpoint(string runId, long step, string path) => new(StoreWriteKind.Checkpoint, runId, new StepRecord(step, null), null, path);
}
