namespace LrDoctor.Core.Runs;

/// <summary>The run states of the HTTP API and the <c>lrdoctor_run_state</c> metric; on the wire and in the store as snake_case (<see cref="WireName"/>).</summary>
public enum RunState
{
    /// <summary>Accepted, waiting for a worker slot.</summary>
    Queued,

    /// <summary>Training.</summary>
    Running,

    /// <summary>Reached its last step.</summary>
    Completed,

    /// <summary>Ended by an error or by exhausting its rollbacks or restarts.</summary>
    Failed,

    /// <summary>Stopped on request.</summary>
    Stopped,

    /// <summary>Interrupted by a daemon shutdown; resumes from its checkpoint at the next start.</summary>
    Interrupted,
}
