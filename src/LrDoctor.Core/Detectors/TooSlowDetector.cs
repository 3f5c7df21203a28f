using LrDoctor.Core.Diagnosis;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Detectors;

/// <summary>Detects a loss that falls steadily but slowly (or not at all), the mark of an LR that is too low.</summary>
/// <remarks>
/// "Slow" needs a yardstick, and the run's own shape provides one: with a good LR the log-loss falls fast and then slows
/// down; with an LR that is too low it keeps falling at the same slow pace (or faster, as the loss is still far from its
/// floor). The curve so far (block means of <see cref="LossHistory"/>) is cut into quarters: too slow when every quarter
/// falls, the last falls at least <see cref="DetectorOptions.TooSlowRateRatio"/> times as much as the fastest of the first
/// two, and the run has lost less than <see cref="DetectorOptions.TooSlowMaxProgress"/> of its starting loss; or when the
/// loss is flat from the start (the last quarter less than <see cref="DetectorOptions.FlatProgress"/> below the first,
/// never 10% above it) without having come that far. After a regime reset (rollback or LR change) the start stays the
/// run's untrained loss, so a late regime that is flat because the model has converged is not taken for it. The
/// verdict must hold from n to <see cref="DetectorOptions.TooSlowPersistence"/> n observations, with n at least
/// <see cref="DetectorOptions.MinNoisyObservations"/> on per-batch curves, so the straight early stretch of a tuned run
/// is not taken for it. Not judged while the LR warms up or after a schedule decayed it. AutoTrainer's slow-convergence
/// rule compares progress with a fixed threshold per window; this one needs no threshold on the loss scale.
/// </remarks>
internal sealed class TooSlowDetector : ISymptomDetector
{
    private readonly DetectorOptions _options;
    private readonly LossHistory _history = new();
    private long _holdingSince;
    private long _lastHeld;

    /// <summary>Initializes a new instance of the <see cref="TooSlowDetector"/> class.</summary>
    /// <param name="options">The thresholds.</param>
    public TooSlowDetector(DetectorOptions options)
    {
        _options = options;
    }

    /// <inheritdoc />
    public string Symptom => Symptoms.TooSlow;

    /// <inheritdoc />
    public bool IsActive { get; private set; }

    /// <inheritdoc />
    public Finding? Observe(in StepRecord record)
    {
        if (record.TrainLoss is not { } loss || loss <= 0 || !double.IsFinite(loss)
            || !_history.Add(record.Step, Math.Log(loss), record.Lr))
        {
            return null;
        }

        int count = _history.Count;
        if (_history.Observations < _history.MinObservations(_options) || count < 8 || !LrSettled())
        {
            return Hold(false, record.Step, default);
        }

        int q = count / 4;
        double q0 = _history.Average(0, q);
        double q1 = _history.Average(q, 2 * q);
        double q2 = _history.Average(2 * q, 3 * q);
        double q3 = _history.Average(3 * q, count);
        double start = _history.Start;
        double fall = 1 - Math.Exp(q3 - start);
        double fastest = Math.Max(q0 - q1, q1 - q2);
        bool steady = q0 > q1 && q1 > q2 && q2 > q3
            && q2 - q3 >= _options.TooSlowRateRatio * fastest
            && fall < _options.TooSlowMaxProgress;
        bool flat = fall < _options.TooSlowMaxProgress
            && 1 - Math.Exp(q3 - q0) < _options.FlatProgress
            && _history.Max(0, count) < Math.Max(start, q0) + Math.Log(1.1);
        return Hold(steady || flat, record.Step, new Evidence(start, q3, fall, fastest, q2 - q3, flat));
    }

    /// <inheritdoc />
    public void Reset()
    {
        _history.Clear();
        _holdingSince = 0;
        _lastHeld = 0;
        IsActive = false;
    }

    /// <inheritdoc />
    public void Reset(double runStartLoss)
    {
        Reset();
        _history.AnchorStart(Math.Log(runStartLoss));
    }

    private Finding? Hold(bool holds, long step, Evidence evidence)
    {
        if (!holds)
        {
            // The verdict flickers on noisy curves: the episode ends only once it has failed for a quarter of the run.
            _holdingSince = 0;
            if (IsActive && _history.Observations > 1.25 * _lastHeld)
            {
                IsActive = false;
            }

            return null;
        }

        _lastHeld = _history.Observations;
        if (_holdingSince == 0)
        {
            _holdingSince = _history.Observations;
        }

        if (IsActive || _history.Observations < _holdingSince * _options.TooSlowPersistence)
        {
            return null;
        }

        IsActive = true;
        var remedy = evidence.Flat ? Remedies.Flat : Remedies.TooSlow;
        return new Finding(Symptom, _history.FirstStep, Severity.Warning, remedy.Cause, remedy.Action, new Dictionary<string, double>
        {
            ["startLoss"] = Math.Exp(evidence.Start),
            ["recentLoss"] = Math.Exp(evidence.Recent),
            ["fallSinceStart"] = evidence.Fall,
            ["fastestQuarterFall"] = evidence.FastestQuarter,
            ["lastQuarterFall"] = evidence.LastQuarter,
            ["lr"] = _history.LastLr,
        })
        { DetectedStep = step };
    }

    private bool LrSettled()
    {
        double last = _history.LastLr;
        if (double.IsNaN(last))
        {
            return true;
        }

        double half = _history.Lr(_history.Count / 2);
        bool warming = half > 0 && last > 1.1 * half;
        return !warming && last >= _options.DecayedLrFraction * _history.MaxLr;
    }

    private readonly record struct Evidence(double Start, double Recent, double Fall, double FastestQuarter, double LastQuarter, bool Flat);
}
