using LrDoctor.Core.Doctor;

namespace LrDoctor.Torch.Training;

/// <summary>The scalar state of a run saved in a checkpoint beside the tensors, as JSON.</summary>
internal sealed record CheckpointState
{
    /// <summary>Gets the format version.</summary>
    public int Version { get; init; } = 1;

    /// <summary>Gets the job name, checked on resume.</summary>
    public required string Job { get; init; }

    /// <summary>Gets the optimizer steps done (the next step to run, which is also the schedule position).</summary>
    public long Step { get; init; }

    /// <summary>Gets the intervention scale.</summary>
    public double Scale { get; init; } = 1.0;

    /// <summary>Gets the data position (batches drawn).</summary>
    public long DataPosition { get; init; }

    /// <summary>Gets the smoothed training loss.</summary>
    public double? SmoothedLoss { get; init; }

    /// <summary>Gets the smoothing's bias-correction weight.</summary>
    public double SmoothingWeight { get; init; }

    /// <summary>Gets the rollbacks done.</summary>
    public int Rollbacks { get; init; }

    /// <summary>Gets the LR at which the run was last unstable.</summary>
    public double? LastUnstableLr { get; init; }

    /// <summary>Gets a value indicating whether reduce-on-plateau lowered the LR since the doctor's last raise.</summary>
    public bool PlateauReducedSinceRaise { get; init; }

    /// <summary>Gets reduce-on-plateau's best metric (as a string so that infinity survives JSON).</summary>
    public double PlateauBest { get; init; } = double.PositiveInfinity;

    /// <summary>Gets reduce-on-plateau's count of bad evaluations.</summary>
    public int PlateauBad { get; init; }

    /// <summary>Gets reduce-on-plateau's cooldown counter.</summary>
    public int PlateauCooldown { get; init; }

    /// <summary>Gets reduce-on-plateau's evaluation count.</summary>
    public long PlateauEpoch { get; init; }

    /// <summary>Gets the blow-up guard's untrained loss.</summary>
    public double? InitialLoss { get; init; }

    /// <summary>Gets the number of parameter tensors, checked on resume.</summary>
    public int ParameterCount { get; init; }

    /// <summary>Creates the state of a checkpoint from the engine's position and the doctor's state.</summary>
    public static CheckpointState Of(string job, long step, long dataPosition, int parameterCount, DoctorState doctor) => new()
    {
        Job = job,
        Step = step,
        Scale = doctor.Scale,
        DataPosition = dataPosition,
        SmoothedLoss = doctor.SmoothedSum,
        SmoothingWeight = doctor.SmoothingWeight,
        Rollbacks = doctor.Rollbacks,
        LastUnstableLr = doctor.LastUnstableLr,
        PlateauReducedSinceRaise = doctor.PlateauReducedSinceRaise,
        PlateauBest = doctor.PlateauBest,
        PlateauBad = doctor.PlateauBad,
        PlateauCooldown = doctor.PlateauCooldown,
        PlateauEpoch = doctor.PlateauEpoch,
        ParameterCount = parameterCount,
        InitialLoss = doctor.InitialLoss,
    };

    /// <summary>Gets the doctor's part of the state.</summary>
    public DoctorState Doctor() => new(
        Scale, SmoothedLoss, SmoothingWeight, Rollbacks, LastUnstableLr, PlateauReducedSinceRaise, PlateauBest, PlateauBad, PlateauCooldown, PlateauEpoch, InitialLoss);
}
