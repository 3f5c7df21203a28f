using LrDoctor.Core.Detectors;

namespace LrDoctor.Torch;

/// <summary>How a <see cref="TrainingRun"/> is hosted: identity, checkpoints, threads, detector thresholds.</summary>
public sealed class TrainingRunOptions
{
    /// <summary>Gets the run id used in events and checkpoint names.</summary>
    /// <value>Default: the job's name.</value>
    public string? RunId { get; init; }

    /// <summary>Gets the folder where checkpoints are written (on stop, cancellation and the Checkpoint command), or <see langword="null"/> for none.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Gets a checkpoint file to resume from, or <see langword="null"/> to start fresh.</summary>
    public string? ResumeFromCheckpoint { get; init; }

    /// <summary>Gets the libtorch intra-op thread count, or <see langword="null"/> to leave libtorch's default.</summary>
    public int? Threads { get; init; }

    /// <summary>Gets the folder of the job file, against which relative data paths resolve.</summary>
    public string? JobDirectory { get; init; }

    /// <summary>Gets the detector thresholds; defaults when <see langword="null"/>.</summary>
    public DetectorOptions? Detectors { get; init; }

    /// <summary>Gets how many known-good snapshots are kept in memory.</summary>
    /// <value>Default 4.</value>
    public int SnapshotCapacity { get; init; } = 4;

    /// <summary>Gets how often (in steps) the total gradient norm is computed when there is no clipping (clipping computes it every step).</summary>
    /// <value>Default 10: a total gradient norm costs about 5% of a small MLP step; non-finite losses are still caught every step.</value>
    public int GradNormEvery { get; init; } = 10;
}
