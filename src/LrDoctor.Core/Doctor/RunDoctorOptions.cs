using LrDoctor.Core.Detectors;

namespace LrDoctor.Core.Doctor;

/// <summary>How often a run is evaluated and snapshotted, and the detector thresholds: what the doctor needs besides the job's <see cref="Jobs.DoctorSpec"/>.</summary>
public sealed record RunDoctorOptions
{
    /// <summary>Gets the steps between evaluations: reduce-on-plateau looks at the run every this many steps (and at every step with a validation loss).</summary>
    /// <value>Default 50, the job spec's default.</value>
    public int EvalEvery { get; init; } = 50;

    /// <summary>Gets the steps between snapshots (taken only while the loss is finite and no symptom is active).</summary>
    /// <value>Default 100, the job spec's default.</value>
    public int SnapshotEvery { get; init; } = 100;

    /// <summary>Gets the detector thresholds; defaults when <see langword="null"/>.</summary>
    public DetectorOptions? Detectors { get; init; }

    /// <summary>Gets the clock of event times.</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
