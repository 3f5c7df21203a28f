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
/// start and ran away from there. A slower blow-up is a relapse: the smoothed level giving back more than
/// <see cref="DetectorOptions.RelapseProgressGivenBack"/> of its progress from the start for as many consecutive steps,
/// with its onset at the step of the best level, where the climb began. An LR several times too high shows this: the loss
/// falls for a few steps, then climbs back and bounces near the untrained level for tens of steps before any single batch
/// loss runs away. The episode ends after as many finite losses at least 2x below the threshold and no longer relapsing.
/// </remarks>
internal sealed class NanExplosionDetector : ISymptomDetector
{
    private readonly DetectorOptions _options;
    private readonly double _logFactor;
    private readonly double _logStartFactor;
    private readonly double _logRelapseProgress;
    private readonly double _minRelapseRise;
    private RunningLevel _level = new(10);
    private double _start;
    private double _best;
    private int _above;
    private long _aboveSince;
    private int _below;
    private long _bestStep;
    private int _relapsing;

    /// <summary>Initializes a new instance of the <see cref="NanExplosionDetector"/> class.</summary>
    /// <param name="options">The thresholds.</param>
    public NanExplosionDetector(DetectorOptions options)
    {
        _options = options;
        _logFactor = Math.Log(options.ExplosionFactor);
        _logStartFactor = Math.Log(options.ExplosionStartFactor);
        _logRelapseProgress = Math.Log(1 - options.RelapseMinProgress);
        _minRelapseRise = Math.Log(1 + (options.RelapseProgressGivenBack * ((1 / (1 - options.RelapseMinProgress)) - 1)));
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
            // Branch-free: on a noisy falling loss a new best comes at random steps.
            _bestStep = _level.Mean < _best ? record.Step : _bestStep;
            _best = Math.Min(_best, _level.Mean);

            _above = 0;
            double givenBack = GivenBack();
            bool relapsing = givenBack > _options.RelapseProgressGivenBack;
            _relapsing = relapsing ? _relapsing + 1 : 0;
            _below = x < threshold - Math.Log(2) && !relapsing ? _below + 1 : 0;
            if (IsActive && _below >= _options.ExplosionConfirmations)
            {
                IsActive = false;
            }

            if (IsActive || _relapsing < _options.ExplosionConfirmations)
            {
                return null;
            }

            IsActive = true;
            return RelapseFinding(record, givenBack);
        }

        _relapsing = 0;

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
        _bestStep = 0;
        _relapsing = 0;
        IsActive = false;
    }

    /// <inheritdoc />
    public void Reset(double runStartLoss)
    {
        Reset();
        _start = Math.Log(runStartLoss);
    }

    /// <summary>The finding of a relapse: the loss has been climbing since its best level, so the damage began there and that is the onset a rollback must go back before.</summary>
    private Finding RelapseFinding(in StepRecord record, double givenBack) =>
        new(Symptom, _bestStep, Severity.Critical, Remedies.Relapse.Cause, Remedies.Relapse.Action, new Dictionary<string, double>
        {
            ["smoothedLoss"] = Math.Exp(_level.Mean),
            ["bestLoss"] = Math.Exp(_best),
            ["startLoss"] = Math.Exp(_start),
            ["progressGivenBack"] = givenBack,
            ["gradNorm"] = record.GradNorm ?? double.NaN,
            ["lr"] = record.Lr ?? double.NaN,
        })
        { DetectedStep = record.Step };

    /// <summary>The share of the progress since the start (starting loss minus best level, in loss units) that the smoothed level has given back; 0 until the loss has fallen by <see cref="DetectorOptions.RelapseMinProgress"/>.</summary>
    private double GivenBack()
    {
        // Most steps sit near the best level: below the smallest rise that can give back the share (the one at the least
        // progress judged), no exponential is needed.
        if (!(_best <= _start + _logRelapseProgress) || _level.Mean - _best < _minRelapseRise)
        {
            return 0;
        }

        double best = Math.Exp(_best);
        return (Math.Exp(_level.Mean) - best) / (Math.Exp(_start) - best);
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
