namespace LrDoctor.Core.Protocol;

/// <summary>The <c>type</c> of a <see cref="WorkerInstruction"/> (daemon to worker), snake_case on the wire.</summary>
public enum WorkerInstructionType
{
    /// <summary>The first line: which job to run and where to resume from.</summary>
    Start,

    /// <summary>A command applied at the next step boundary.</summary>
    Command,

    /// <summary>The daemon is shutting down: checkpoint and end as interrupted.</summary>
    Interrupt,
}
