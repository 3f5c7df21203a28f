using System.ComponentModel.DataAnnotations;

namespace LrDoctor.Core.Detectors;

/// <summary>Thresholds of the symptom detectors (configuration section <c>LrDoctor:Detectors</c>).</summary>
/// <remarks>
/// Every rule is scale-free: losses are compared as ratios (differences of their logarithms), noise is measured on
/// the run itself, and windows are counted in observations (a step-level log and an epoch-level log work alike).
/// The defaults were set on the labelled corpus of real curves in <c>tests/fixtures/curves</c>.
/// </remarks>
public sealed class DetectorOptions
{
    /// <summary>Gets or sets the number of observations at the start of a run (or after <see cref="DetectorSuite.Reset()"/>) during which spikes and oscillation are not judged.</summary>
    /// <value>Default 20.</value>
    [Range(1, 1_000_000)]
    public int GracePeriod { get; set; } = 20;

    /// <summary>Gets or sets how many times its best smoothed level the loss must exceed to count as blown up.</summary>
    /// <value>Default 10: an order of magnitude above the best level, and (see remarks) above the starting loss.</value>
    /// <remarks>The threshold is the larger of this multiple of the best level and the smaller of the starting loss and its square times the best level, so that a loss that fell 100-fold must come back above its start (or rise 100-fold) to count.</remarks>
    [Range(1.5, 1e6)]
    public double ExplosionFactor { get; set; } = 10;

    /// <summary>Gets or sets the multiple of the starting loss above which the loss counts as blown up, however little it had fallen.</summary>
    /// <value>Default 3: a loss three times worse than an untrained model's has run away.</value>
    [Range(1.1, 1e6)]
    public double ExplosionStartFactor { get; set; } = 3;

    /// <summary>Gets or sets the share of the progress since the start (starting loss minus best level) that a loss must give back to count as blown up.</summary>
    /// <value>Default 0.25: on a well-fit model a batch loss 50x its best level can still be a hard batch; a quarter of the way back to the start is not.</value>
    [Range(0, 1)]
    public double ExplosionProgressLost { get; set; } = 0.25;

    /// <summary>Gets or sets how many consecutive observations above the explosion threshold confirm a blow-up.</summary>
    /// <value>Default 3: one bad batch is a spike, three in a row is a run going away.</value>
    [Range(1, 1000)]
    public int ExplosionConfirmations { get; set; } = 3;

    /// <summary>Gets or sets the robust z-score (deviations of the log-loss above its running level, in units of its running mean absolute deviation) of a spike.</summary>
    /// <value>Default 6 (about 4.5 standard deviations of Gaussian noise).</value>
    [Range(1, 1000)]
    public double SpikeZ { get; set; } = 6;

    /// <summary>Gets or sets the smallest jump, as a ratio of the loss to its running level, that counts as a spike whatever the noise.</summary>
    /// <value>Default 1.5: on a very smooth curve a 50% jump is a spike, a 10% bump is not.</value>
    [Range(1.01, 1e6)]
    public double SpikeMinRatio { get; set; } = 1.5;

    /// <summary>Gets or sets the ratio to the running level above which a single observation is a spike without waiting for a second one.</summary>
    /// <value>Default 3 (as Lightning's SpikeDetection: three times the running mean).</value>
    [Range(1.01, 1e6)]
    public double SpikeSingleRatio { get; set; } = 3;

    /// <summary>Gets or sets the span, in observations, of the running level and noise of the spike detector.</summary>
    /// <value>Default 50.</value>
    [Range(2, 1_000_000)]
    public int SpikeSpan { get; set; } = 50;

    /// <summary>Gets or sets the fraction of the run (in observations) over which plateau and oscillation look for progress.</summary>
    /// <value>Default 0.25: no progress over the last quarter of the run.</value>
    [Range(0.01, 0.9)]
    public double WindowFraction { get; set; } = 0.25;

    /// <summary>Gets or sets the smallest window, in observations, for plateau and oscillation.</summary>
    /// <value>Default 10 (an epoch-level log of 40 epochs has a window of 10 epochs, as Keras' ReduceLROnPlateau patience).</value>
    [Range(2, 1_000_000)]
    public int MinWindow { get; set; } = 10;

    /// <summary>Gets or sets the relative improvement of the smoothed loss below which a window counts as no progress.</summary>
    /// <value>Default 0.01 (1%).</value>
    [Range(0, 0.5)]
    public double MinImprovement { get; set; } = 0.01;

    /// <summary>Gets or sets the fall of the loss from its start that a run must have made before it can plateau (a run that never fell is too slow, not on a plateau).</summary>
    /// <value>Default 0.25 (25%).</value>
    [Range(0, 0.99)]
    public double PlateauMinProgress { get; set; } = 0.25;

    /// <summary>Gets or sets the fraction of its starting value below which the loss counts as converged (a plateau near zero loss is a fitted model, not a problem).</summary>
    /// <value>Default 0.01: a loss that fell 100-fold.</value>
    [Range(0, 0.5)]
    public double ConvergedFraction { get; set; } = 0.01;

    /// <summary>Gets or sets the fraction of its peak below which the LR counts as decayed by a schedule (plateau and too-slow are then expected, not symptoms).</summary>
    /// <value>Default 0.5.</value>
    [Range(0, 1)]
    public double DecayedLrFraction { get; set; } = 0.5;

    /// <summary>Gets or sets the smallest number of observations before the trend of a noisy (per-batch) curve is judged by plateau, too-slow and oscillation.</summary>
    /// <value>Default 200: enough batches for block means to average the noise out.</value>
    [Range(4, 1_000_000)]
    public int MinNoisyObservations { get; set; } = 200;

    /// <summary>Gets or sets the smallest number of observations before the trend of a smooth (per-epoch or pre-averaged) curve is judged.</summary>
    /// <value>Default 20.</value>
    [Range(4, 1_000_000)]
    public int MinSmoothObservations { get; set; } = 20;

    /// <summary>Gets or sets the ratio of the last quarter's fall to the fastest earlier quarter's at or above which the decrease counts as not slowing down.</summary>
    /// <value>Default 0.8: a tuned run falls fast and then slows down (a power law with warmup gives about 0.66); a run with too small an LR keeps falling at the same slow pace or faster.</value>
    [Range(0.01, 10)]
    public double TooSlowRateRatio { get; set; } = 0.8;

    /// <summary>Gets or sets the total fall (as a fraction of the starting loss) at or above which a run is not too slow, whatever its shape.</summary>
    /// <value>Default 0.75: a run that has lost three quarters of its loss is making progress.</value>
    [Range(0.01, 0.999)]
    public double TooSlowMaxProgress { get; set; } = 0.75;

    /// <summary>Gets or sets the fall below which a run counts as flat from its start.</summary>
    /// <value>Default 0.05 (5%).</value>
    [Range(0, 0.5)]
    public double FlatProgress { get; set; } = 0.05;

    /// <summary>Gets or sets how much the run must have grown (in observations) while too-slow holds before it is reported.</summary>
    /// <value>Default 1.5: the shape must persist from n to 1.5 n observations, so the early phase of a tuned run is not mistaken for it.</value>
    [Range(1, 100)]
    public double TooSlowPersistence { get; set; } = 1.5;

    /// <summary>Gets or sets the rise of the validation loss above its best (as a fraction) that counts as divergence.</summary>
    /// <value>Default 0.25 (25%): a tuned run's validation loss can creep up 10-20% late in training without being a problem worth a finding.</value>
    [Range(0.001, 10)]
    public double DivergenceRise { get; set; } = 0.25;

    /// <summary>Gets or sets the smaller rise of the validation loss above its best that counts as divergence when the climb is steady (up in three quarters of at least eight evaluations).</summary>
    /// <value>Default 0.1 (10%).</value>
    [Range(0.001, 10)]
    public double DivergenceSteadyRise { get; set; } = 0.1;

    /// <summary>Gets or sets the fall of the smoothed training loss since the best validation loss that shows training still improves.</summary>
    /// <value>Default 0.05 (5%).</value>
    [Range(0, 0.99)]
    public double DivergenceTrainFall { get; set; } = 0.05;

    /// <summary>Gets or sets how many consecutive validation points above the threshold confirm divergence.</summary>
    /// <value>Default 3.</value>
    [Range(1, 1000)]
    public int DivergenceConfirmations { get; set; } = 3;

    /// <summary>Gets or sets how much more the block means of the training loss must wander than its per-batch noise explains for the curve to count as bouncing.</summary>
    /// <value>Default 4: a smooth trend plus independent batch noise gives about 1.</value>
    [Range(1.01, 1000)]
    public double OscillationWanderRatio { get; set; } = 4;

    /// <summary>Gets or sets the factor above its earlier best at which a loss that makes no progress counts as having climbed back (oscillation, not plateau).</summary>
    /// <value>Default 2 (beyond the noise of a block mean).</value>
    [Range(1.01, 1000)]
    public double OscillationRelapse { get; set; } = 2;

    /// <summary>Gets or sets the share of the progress from the start to the earlier best that a climb of <see cref="OscillationRelapse"/> must also give back to count as bouncing.</summary>
    /// <value>Default 0.05: a converged run's training loss can climb 4x (0.0006 to 0.003) while giving back 0.1% of its progress, which is noise, not an LR that is too high.</value>
    [Range(0, 1)]
    public double OscillationProgressLost { get; set; } = 0.05;

    /// <summary>Gets or sets the mean relative change between consecutive validation losses above which validation bounces.</summary>
    /// <value>Default 0.15 (15% per evaluation; a tuned run's validation loss moves a few percent).</value>
    [Range(0.001, 10)]
    public double OscillationAmplitude { get; set; } = 0.15;

    /// <summary>Gets or sets the ratio of the largest to the smallest LR in a window above which the LR itself varies (cyclic or warmup schedule), so bouncing may be the schedule's doing.</summary>
    /// <value>Default 2.</value>
    [Range(1.01, 1e6)]
    public double ScheduledLrSwing { get; set; } = 2;
}
