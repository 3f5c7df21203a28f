namespace LrDoctor.Core.Runs;

/// <summary>The stable run states of the HTTP API and the <c>lrdoctor_run_state</c> metric.</summary>
public static class RunStates
{
    /// <summary>Accepted, waiting for a worker slot.</summary>
    public const string Queued = "queued";

    /// <summary>Training.</summary>
    public const string Running = "running";

    /// <summary>Reached its last step.</summary>
    public const string Completed = "completed";

    /// <summary>Ended by an error or by exhausting its rollbacks or restarts.</summary>
    public const string Failed = "failed";

    /// <summary>Stopped on request.</summary>
    public const string Stopped = "stopped";

    /// <summary>Interrupted by a daemon shutdown; resumes from its checkpoint at the next start.</summary>
    public const string Interrupted = "interrupted";

    /// <summary>Gets every state.</summary>
    public static IReadOnlyList<string> All { get; } = [Queued, Running, Completed, Failed, Stopped, Interrupted];
}
