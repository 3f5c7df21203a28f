namespace LrDoctor.Storage;

/// <summary>A run as stored: identity, job, state, progress and where it can resume from. Times are Unix milliseconds (UTC).</summary>
/// <param name="Id">The run id.</param>
/// <param name="Name">The job name.</param>
/// <param name="State">The run state.</param>
/// <param name="JobJson">The job spec as submitted.</param>
/// <param name="CreatedUnixMs">When the run was created.</param>
public sealed record StoredRun(string Id, string Name, Core.Runs.RunState State, string JobJson, long CreatedUnixMs)
{
    /// <summary>Gets the last recorded step (-1 before the first).</summary>
    public long Step { get; init; } = -1;

    /// <summary>Gets when the run document last changed.</summary>
    public long UpdatedUnixMs { get; init; }

    /// <summary>Gets when the run started training for the first time.</summary>
    public long? StartedUnixMs { get; init; }

    /// <summary>Gets when the run reached a final state.</summary>
    public long? EndedUnixMs { get; init; }

    /// <summary>Gets why the run is in its state (failure reason, stop reason), when there is one.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets how many times a crashed worker was restarted.</summary>
    public int Restarts { get; init; }

    /// <summary>Gets the exit code of the last worker that died, when one did.</summary>
    public int? LastExitCode { get; init; }

    /// <summary>Gets the last checkpoint whose steps are all stored: the run resumes from it.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Gets the step of <see cref="CheckpointPath"/>.</summary>
    public long? CheckpointStep { get; init; }

    /// <summary>Gets whether the state is final (completed, failed, stopped).</summary>
    public bool IsFinished => State is Core.Runs.RunState.Completed or Core.Runs.RunState.Failed or Core.Runs.RunState.Stopped;
}
