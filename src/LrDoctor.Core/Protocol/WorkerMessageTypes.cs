namespace LrDoctor.Core.Protocol;

/// <summary>The <c>type</c> values of <see cref="WorkerMessage"/> (worker to daemon).</summary>
public static class WorkerMessageTypes
{
    /// <summary>One optimizer step.</summary>
    public const string Step = "step";

    /// <summary>A detector finding.</summary>
    public const string Finding = "finding";

    /// <summary>An event (intervention, advice, resume, ...).</summary>
    public const string Event = "event";

    /// <summary>A JSON artifact.</summary>
    public const string Artifact = "artifact";

    /// <summary>A checkpoint was written; every step before it has been sent.</summary>
    public const string Checkpoint = "checkpoint";

    /// <summary>The run ended (completed, stopped, failed or interrupted); the last line a worker writes.</summary>
    public const string Ended = "ended";
}
