using LrDoctor.Core.Diagnosis;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Detectors;

/// <summary>Detects a non-finite loss or gradient norm at once, and a loss that blows up far above its best level within a few steps.</summary>
/// <remarks>
/// A non-finite training loss, validation loss or gradient norm is reported at the step it appears: the training engine
/// rolls back on it. A blow-up is <see cref="DetectorOptions.ExplosionConfirmations"/> consecutive losses above a
/// threshold set from the best smoothed level (log-loss EMA, span 10): the larger of <see cref="DetectorOptions.ExplosionFactor"/>
/// times the best level and the smaller of the starting loss and the factor squared times the best level, but never
/// more than <see cref="DetectorOptions.ExplosionStartFactor"/> times the starting loss. Megatron's
/// check compares a loss with a multiple of the recent ones and so forgets how good the run once was; anchoring on the
/// best level and the start also catches a run that climbs back to where it began, or one that never got below its
/// start and ran away from there. The episode ends after as many finite losses at least 2x below the threshold.
/// </remarks>
internal sealed class NanExplosionDetector : ISymptomDetector
{
    private readonly DetectorOptions _options;
    private readonly double _logFactor;
    private readonly double _logStartFactor;
    private RunningLevel _level = new(10);
    private double _start;
    private double _best;
    private int _above;
    private long _aboveSince;
    private int _below;

    /// <summary>Initializes a new instance of the <see cref="NanExplosionDetector"/> class.</summary>
    /// <param name="options">The thresholds.</param>
    public NanExplosionDetector(DetectorOptions options)
    {
        _options = options;
        _logFactor = Math.Log(options.ExplosionFactor);
        _logStartFactor = Math.Log(options.ExplosionStartFactor);
        Reset();
    }

    /// <inheritdoc />
    public string Symptom => Symptoms.NanExplosion;

    /// <inheritdoc />
    public bool IsActive { get; private set; }

    /// <inheritdoc />
    public Finding? Observe(in StepRecord record)
    {
        bool nonFinite = record.TrainLoss is { } t && !double.IsFinite(t)
            || record.GradNorm is { } g && !double.IsFinite(g)
            || record.ValLoss is { } v && !double.IsFinite(v);
        if (nonFinite)
        {
            _below = 0;
            if (IsActive)
            {
                return null;
            }

            IsActive = true;
            return new Finding(Symptom, record.Step, Severity.Critical, Remedies.NonFinite.Cause, Remedies.NonFinite.Action, new Dictionary<string, double>
            {
                ["trainLoss"] = record.TrainLoss ?? double.NaN,
                ["gradNorm"] = record.GradNorm ?? double.NaN,
                ["valLoss"] = record.ValLoss ?? double.NaN,
                ["lr"] = record.Lr ?? double.NaN,
                ["bestLoss"] = _level.Count > 0 ? Math.Exp(_best) : double.NaN,
            })
            { DetectedStep = record.Step };
        }

        if (record.TrainLoss is not { } loss || loss <= 0)
        {
            return null;
        }

        double x = Math.Log(loss);
        if (double.IsNaN(_start))
        {
            _start = x;
        }

        double threshold = Threshold();
        bool above = _level.Count >= 1 && x > threshold;
        _level.Add(x);
        if (!above)
        {
            _best = Math.Min(_best, _level.Mean);
            _above = 0;
            _below = x < threshold - Math.Log(2) ? _below + 1 : 0;
            if (IsActive && _below >= _options.ExplosionConfirmations)
            {
                IsActive = false;
            }

            return null;
        }

        _below = 0;
        if (_above++ == 0)
        {
            _aboveSince = record.Step;
        }

        if (IsActive || _above < _options.ExplosionConfirmations)
        {
            return null;
        }

        IsActive = true;
        return new Finding(Symptom, _aboveSince, Severity.Critical, Remedies.BlowUp.Cause, Remedies.BlowUp.Action, new Dictionary<string, double>
        {
            ["trainLoss"] = loss,
            ["bestLoss"] = Math.Exp(_best),
            ["startLoss"] = Math.Exp(_start),
            ["ratioToBest"] = loss / Math.Exp(_best),
            ["threshold"] = Math.Exp(threshold),
            ["gradNorm"] = record.GradNorm ?? double.NaN,
            ["lr"] = record.Lr ?? double.NaN,
        })
        { DetectedStep = record.Step };
    }

    /// <inheritdoc />
    public void Reset()
    {
        _level.Clear();
        _best = double.PositiveInfinity;
        _start = double.NaN;
        _above = 0;
        _below = 0;
        IsActive = false;
    }

    /// <inheritdoc />
    public void Reset(double runStartLoss)
    {
        Reset();
        _start = Math.Log(runStartLoss);
    }

    private double Threshold()
    {
        if (_level.Count == 0)
        {
            return double.PositiveInfinity;
        }

        double best = Math.Min(_best, _level.Mean);
        double threshold = Math.Max(best + _logFactor, Math.Min(_start, best + (2 * _logFactor)));

        // A run that has learned a lot has heavy-tailed batch losses (one wrong sample in a batch of near-zero
        // losses is a 100x jump); a blow-up must also give back a real share of the progress made since the start.
        if (_start > best)
        {
            double bestLinear = Math.Exp(best);
            threshold = Math.Max(threshold, Math.Log(bestLinear + (_options.ExplosionProgressLost * (Math.Exp(_start) - bestLinear))));
        }

        return Math.Min(threshold, _start + _logStartFactor);
    }
}
