namespace LrDoctor.Core.Doctor;

/// <summary>The doctor's part of a checkpoint: what a resumed run needs to go on exactly as the interrupted one would have.</summary>
/// <param name="Scale">The intervention scale.</param>
/// <param name="SmoothedSum">The bias-uncorrected exponential average of the training loss; <see langword="null"/> before the first finite step.</param>
/// <param name="SmoothingWeight">The smoothing's bias-correction weight.</param>
/// <param name="Rollbacks">The rollbacks done.</param>
/// <param name="LastUnstableLr">The LR at which the run was last unstable.</param>
/// <param name="PlateauReducedSinceRaise">Whether reduce-on-plateau lowered the LR since the doctor's last raise.</param>
/// <param name="PlateauBest">Reduce-on-plateau's best metric.</param>
/// <param name="PlateauBad">Reduce-on-plateau's count of bad evaluations.</param>
/// <param name="PlateauCooldown">Reduce-on-plateau's cooldown counter.</param>
/// <param name="PlateauEpoch">Reduce-on-plateau's evaluation count.</param>
/// <param name="InitialLoss">The blow-up guard's untrained loss.</param>
public sealed record DoctorState(
    double Scale,
    double? SmoothedSum,
    double SmoothingWeight,
    int Rollbacks,
    double? LastUnstableLr,
    bool PlateauReducedSinceRaise,
    double PlateauBest,
    int PlateauBad,
    int PlateauCooldown,
    long PlateauEpoch,
    double? InitialLoss);
