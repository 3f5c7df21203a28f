namespace LrDoctor.Core.Protocol;

/// <summary>The <c>type</c> values of <see cref="WorkerInstruction"/> (daemon to worker).</summary>
public static class WorkerInstructionTypes
{
    /// <summary>The first line: which job to run and where to resume from.</summary>
    public const string Start = "start";

    /// <summary>A command applied at the next step boundary.</summary>
    public const string Command = "command";

    /// <summary>The daemon is shutting down: checkpoint and end as interrupted.</summary>
    public const string Interrupt = "interrupt";
}
