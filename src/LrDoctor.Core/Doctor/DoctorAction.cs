using LrDoctor.Core.LrFinder;
using LrDoctor.Core.Runs;

namespace LrDoctor.Core.Doctor;

/// <summary>One thing the <see cref="RunDoctor"/> asks the engine that holds the tensors to do.</summary>
/// <remarks>
/// The doctor decides and keeps the books; an engine (the TorchSharp trainer, an external PyTorch run, a user's own loop)
/// only applies what it is asked. Engines loop until they are told <see cref="DoctorActionKind.Continue"/>, so several
/// actions due at one step boundary (two queued commands, a rollback and then a snapshot) are applied in order.
/// </remarks>
public sealed record DoctorAction
{
    private DoctorAction(DoctorActionKind kind) => Kind = kind;

    /// <summary>Gets the action that asks for nothing.</summary>
    public static DoctorAction Continue { get; } = new(DoctorActionKind.Continue);

    /// <summary>Gets the action that asks for a snapshot of the present state.</summary>
    public static DoctorAction TakeSnapshot { get; } = new(DoctorActionKind.TakeSnapshot);

    /// <summary>Gets the action that asks for a checkpoint now.</summary>
    public static DoctorAction Checkpoint { get; } = new(DoctorActionKind.Checkpoint);

    /// <summary>Gets what to do.</summary>
    public DoctorActionKind Kind { get; }

    /// <summary>Gets the step of the snapshot to restore (<see cref="DoctorActionKind.RollBack"/>).</summary>
    public long SnapshotStep { get; init; }

    /// <summary>Gets the LR range test to run from the restored snapshot before resuming, when one is asked for; the engine restores the snapshot again after it.</summary>
    public LrFinderOptions? RangeTest { get; init; }

    /// <summary>Gets the batches to skip after restoring (<see cref="Jobs.DoctorSpec.SkipBatches"/>).</summary>
    public int SkipBatches { get; init; }

    /// <summary>Gets the state the run ends in (<see cref="DoctorActionKind.Stop"/>).</summary>
    public RunState State { get; init; }

    /// <summary>Gets why the run stops (<see cref="DoctorActionKind.Stop"/>).</summary>
    public string? Reason { get; init; }

    /// <summary>Gets a value indicating whether to write a checkpoint before stopping (a stop on request can be resumed).</summary>
    public bool CheckpointFirst { get; init; }

    /// <summary>Creates a rollback action.</summary>
    internal static DoctorAction RollBack(long snapshotStep, LrFinderOptions? rangeTest, int skipBatches) =>
        new(DoctorActionKind.RollBack) { SnapshotStep = snapshotStep, RangeTest = rangeTest, SkipBatches = skipBatches };

    /// <summary>Creates a stop action.</summary>
    internal static DoctorAction Stop(RunState state, string reason, bool checkpointFirst = false) =>
        new(DoctorActionKind.Stop) { State = state, Reason = reason, CheckpointFirst = checkpointFirst };
}
