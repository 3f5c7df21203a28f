namespace LrDoctor.Core.Runs;

/// <summary>A command to a running job, applied at the next step boundary.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Value">The LR for <see cref="RunCommandKind.SetLr"/>, the factor for <see cref="RunCommandKind.ScaleLr"/>.</param>
/// <param name="Reason">Why, for the event it produces.</param>
public sealed record RunCommand(RunCommandKind Kind, double? Value = null, string? Reason = null);

/// <summary>The kinds of <see cref="RunCommand"/>.</summary>
public enum RunCommandKind
{
    /// <summary>Write a checkpoint and stop.</summary>
    Stop,

    /// <summary>Set the headline LR to a value (changes the intervention scale).</summary>
    SetLr,

    /// <summary>Multiply the intervention scale by a factor.</summary>
    ScaleLr,

    /// <summary>Roll back to the last good snapshot and cut the LR.</summary>
    RollbackAndCut,

    /// <summary>Write a checkpoint now.</summary>
    Checkpoint,
}
