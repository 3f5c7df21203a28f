namespace LrDoctor.Core.Protocol;

/// <summary>The <c>type</c> of a <see cref="WorkerMessage"/> (worker to daemon), snake_case on the wire.</summary>
public enum WorkerMessageType
{
    /// <summary>One optimizer step.</summary>
    Step,

    /// <summary>A detector finding.</summary>
    Finding,

    /// <summary>An event (intervention, advice, resume, ...).</summary>
    Event,

    /// <summary>A JSON artifact.</summary>
    Artifact,

    /// <summary>A checkpoint was written; every step before it has been sent.</summary>
    Checkpoint,

    /// <summary>The run ended (completed, stopped, failed or interrupted); the last line a worker writes.</summary>
    Ended,
}
