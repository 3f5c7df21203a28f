namespace LrDoctor.Core.Doctor;

/// <summary>What an engine must do after asking the <see cref="RunDoctor"/>.</summary>
public enum DoctorActionKind
{
    /// <summary>Nothing: train the next step (at <see cref="RunDoctor.CurrentLr"/>).</summary>
    Continue,

    /// <summary>Take a snapshot of the present state at <see cref="RunDoctor.StepsDone"/> with <see cref="RunDoctor.SmoothedLoss"/>.</summary>
    TakeSnapshot,

    /// <summary>Restore the snapshot of <see cref="DoctorAction.SnapshotStep"/> (dropping newer ones), run the range test if one is asked for, skip batches, then call <see cref="RunDoctor.CompleteRollback"/>.</summary>
    RollBack,

    /// <summary>Write a checkpoint now, where the engine has somewhere to write it.</summary>
    Checkpoint,

    /// <summary>Stop the run in <see cref="DoctorAction.State"/> for <see cref="DoctorAction.Reason"/>, after a checkpoint when <see cref="DoctorAction.CheckpointFirst"/>.</summary>
    Stop,
}
