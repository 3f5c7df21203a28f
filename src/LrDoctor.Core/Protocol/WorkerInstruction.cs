using System.Text.Json;
using LrDoctor.Core.Runs;

namespace LrDoctor.Core.Protocol;

/// <summary>One line the daemon writes on a worker's standard input: the job to start, a command, or an interrupt.</summary>
/// <param name="Type">One of the <see cref="WorkerInstructionType"/>.</param>
public sealed record WorkerInstruction(WorkerInstructionType Type)
{
    /// <summary>Gets the run id (<c>start</c>).</summary>
    public string? RunId { get; init; }

    /// <summary>Gets the job spec (<c>start</c>).</summary>
    public JsonElement? Job { get; init; }

    /// <summary>Gets the folder where the worker writes its checkpoints (<c>start</c>).</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Gets the checkpoint to resume from, when the run resumes (<c>start</c>).</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Gets the libtorch thread count (<c>start</c>).</summary>
    public int? Threads { get; init; }

    /// <summary>Gets the shortest time between two periodic checkpoints, in seconds (<c>start</c>); they are also at most one per <c>checkpointEvery</c> steps of the job.</summary>
    public double? CheckpointSeconds { get; init; }

    /// <summary>Gets the command (<c>command</c>).</summary>
    public RunCommand? Command { get; init; }

    /// <summary>Creates a <c>start</c> instruction.</summary>
    public static WorkerInstruction ForStart(string runId, JsonElement job, string checkpointDirectory, string? resumeFrom, int threads, double checkpointSeconds) =>
        new(WorkerInstructionType.Start)
        {
            RunId = runId,
            Job = job,
            CheckpointDirectory = checkpointDirectory,
            ResumeFrom = resumeFrom,
            Threads = threads,
            CheckpointSeconds = checkpointSeconds,
        };

    /// <summary>Creates a <c>command</c> instruction.</summary>
    public static WorkerInstruction ForCommand(RunCommand command) => new(WorkerInstructionType.Command) { Command = command };

    /// <summary>Creates an <c>interrupt</c> instruction: write a checkpoint and end as interrupted (daemon shutdown).</summary>
    public static WorkerInstruction ForInterrupt() => new(WorkerInstructionType.Interrupt);
}
