namespace LrDoctor.Core.Jobs;

/// <summary>What the doctor may do to a run: <c>auto</c> treats, <c>advise</c> only reports, <c>off</c> does neither.</summary>
public sealed record DoctorSpec
{
    /// <summary>Treat symptoms in place.</summary>
    public const string Auto = "auto";

    /// <summary>Report findings and advice, change nothing.</summary>
    public const string Advise = "advise";

    /// <summary>No detectors, no interventions (the engine still stops on a non-finite loss).</summary>
    public const string Off = "off";

    /// <summary>Gets every mode.</summary>
    public static IReadOnlyList<string> Modes { get; } = [Auto, Advise, Off];

    /// <summary>Gets the mode.</summary>
    public string Mode { get; init; } = Auto;

    /// <summary>Gets the LR cut after a non-finite loss or a catastrophic (critical) spike.</summary>
    /// <value>Default 0.1.</value>
    public double CutFactor { get; init; } = 0.1;

    /// <summary>Gets the multiple of the first step's loss that counts as a blow-up (treated like a non-finite loss); 0 disables it.</summary>
    /// <value>Default 3.</value>
    public double BlowUpFactor { get; init; } = 3.0;

    /// <summary>Gets the LR cut after a critical spike.</summary>
    /// <value>Default 0.5.</value>
    public double SpikeCutFactor { get; init; } = 0.5;

    /// <summary>Gets the LR cut when the loss oscillates.</summary>
    /// <value>Default 0.5.</value>
    public double OscillationCutFactor { get; init; } = 0.5;

    /// <summary>Gets the LR raise when the loss decreases too slowly.</summary>
    /// <value>Default 3.</value>
    public double RaiseFactor { get; init; } = 3.0;

    /// <summary>Gets the highest allowed raise, as a fraction of the LR at which the run was last unstable.</summary>
    /// <value>Default 0.5.</value>
    public double RaiseCeiling { get; init; } = 0.5;

    /// <summary>Gets the smallest intervention scale that in-place reductions (reduce-on-plateau, oscillation cuts) may reach.</summary>
    /// <value>Default 0.001: three tenfold plateau reductions; below that a converged run is only made to crawl.</value>
    /// <remarks>Rollback cuts after a blow-up are not bounded by it: a run whose LR is 100x too high needs them.</remarks>
    public double MinScale { get; init; } = 1e-3;

    /// <summary>Gets the most rollbacks before the run is stopped as failed.</summary>
    /// <value>Default 5.</value>
    public int MaxRollbacks { get; init; } = 5;

    /// <summary>Gets a value indicating whether a blow-up (<c>nan_explosion</c>) rollback to the untrained state runs a short LR range test from it, which may lower the cut LR (by one more cut at most).</summary>
    /// <value>Default <see langword="true"/>: 38 batches per rollback, see <see cref="Interventions.RollbackRangeTest"/>.</value>
    public bool RetestLr { get; init; } = true;

    /// <summary>Gets the batches skipped after a rollback (PaLM's practice against bad batches).</summary>
    public int SkipBatches { get; init; }

    /// <summary>Gets the smoothing of the training loss fed to reduce-on-plateau when there is no validation.</summary>
    /// <value>Default 0.9 (exponential moving average weight of the past).</value>
    public double Smoothing { get; init; } = 0.9;

    /// <summary>Gets the reduce-on-plateau settings.</summary>
    public PlateauSpec Plateau { get; init; } = new();
}
