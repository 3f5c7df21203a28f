using System.Text.Json;
using LrDoctor.Core.Runs;
using LrDoctor.Storage;

namespace LrDoctor.Api;

/// <summary>A run as the HTTP API shows it.</summary>
/// <param name="Id">The run id.</param>
/// <param name="Name">The job name.</param>
/// <param name="State">The state.</param>
/// <param name="Step">The last recorded step (-1 before the first).</param>
/// <param name="CreatedUtc">When it was created.</param>
internal sealed record RunResource(string Id, string Name, RunState State, long Step, DateTimeOffset CreatedUtc)
{
    /// <summary>Gets when it first started training.</summary>
    public DateTimeOffset? StartedUtc { get; init; }

    /// <summary>Gets when it reached a final state.</summary>
    public DateTimeOffset? EndedUtc { get; init; }

    /// <summary>Gets when it last changed.</summary>
    public DateTimeOffset UpdatedUtc { get; init; }

    /// <summary>Gets why it is in its state.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets how many times its worker was restarted.</summary>
    public int Restarts { get; init; }

    /// <summary>Gets the exit code of its last worker that died.</summary>
    public int? LastExitCode { get; init; }

    /// <summary>Gets the step of the checkpoint it would resume from.</summary>
    public long? CheckpointStep { get; init; }

    /// <summary>Gets the job spec.</summary>
    public JsonElement Job { get; init; }

    /// <summary>Creates the resource of a stored run.</summary>
    public static RunResource From(StoredRun run)
    {
        using var job = JsonDocument.Parse(run.JobJson);
        return new RunResource(run.Id, run.Name, run.State, run.Step, DateTimeOffset.FromUnixTimeMilliseconds(run.CreatedUnixMs))
        {
            StartedUtc = Time(run.StartedUnixMs),
            EndedUtc = Time(run.EndedUnixMs),
            UpdatedUtc = DateTimeOffset.FromUnixTimeMilliseconds(run.UpdatedUnixMs),
            Reason = run.Reason,
            Restarts = run.Restarts,
            LastExitCode = run.LastExitCode,
            CheckpointStep = run.CheckpointStep,
            Job = job.RootElement.Clone(),
        };
    }

    private static DateTimeOffset? Time(long? unixMs) => unixMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
