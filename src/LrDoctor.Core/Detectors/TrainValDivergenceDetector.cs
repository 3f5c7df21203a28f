using LrDoctor.Core.Diagnosis;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Detectors;

/// <summary>Detects the validation loss rising above its best while the training loss keeps falling (overfitting).</summary>
/// <remarks>
/// Validation points are sparse, so the rule counts them, not steps: <see cref="DetectorOptions.DivergenceConfirmations"/>
/// consecutive validation losses at least <see cref="DetectorOptions.DivergenceRise"/> above the best one, while the
/// smoothed training loss (log-loss EMA, span 10) is at least <see cref="DetectorOptions.DivergenceTrainFall"/> below its
/// value at the best validation step; or a smaller rise, <see cref="DetectorOptions.DivergenceSteadyRise"/>, when the
/// validation loss went up in at least three quarters of the (at least eight) evaluations since its best: a slow, steady
/// climb is overfitting as surely as a fast one, while a tuned run's validation loss wobbles around its best. The onset is the step of the best validation loss: from there on, more training
/// made the model worse. Early stopping (Keras, Lightning) only stops at that point; this also says why. When the
/// training loss rises too, it is not overfitting (the explosion and spike detectors see that).
/// </remarks>
internal sealed class TrainValDivergenceDetector : ISymptomDetector
{
    private readonly DetectorOptions _options;
    private readonly double _logRise;
    private readonly double _logFall;
    private RunningLevel _train = new(10);
    private double _bestVal;
    private long _bestValStep;
    private double _trainAtBest;
    private const int SteadyEvaluations = 8;
    private readonly double _logSteadyRise;
    private int _above;
    private int _ups;
    private int _moves;
    private double _lastVal;

    /// <summary>Initializes a new instance of the <see cref="TrainValDivergenceDetector"/> class.</summary>
    /// <param name="options">The thresholds.</param>
    public TrainValDivergenceDetector(DetectorOptions options)
    {
        _options = options;
        _logRise = Math.Log(1 + options.DivergenceRise);
        _logFall = -Math.Log(1 - options.DivergenceTrainFall);
        _logSteadyRise = Math.Log(1 + options.DivergenceSteadyRise);
        Reset();
    }

    /// <inheritdoc />
    public string Symptom => Symptoms.TrainValDivergence;

    /// <inheritdoc />
    public bool IsActive { get; private set; }

    /// <inheritdoc />
    public Finding? Observe(in StepRecord record)
    {
        if (record.TrainLoss is { } loss && loss > 0 && double.IsFinite(loss))
        {
            _train.Add(Math.Log(loss));
        }

        if (record.ValLoss is not { } val || val <= 0 || !double.IsFinite(val) || _train.Count == 0)
        {
            return null;
        }

        double v = Math.Log(val);
        if (v < _bestVal)
        {
            _bestVal = v;
            _bestValStep = record.Step;
            _trainAtBest = _train.Mean;
            _ups = 0;
            _moves = 0;
        }
        else
        {
            _moves++;
            _ups += v > _lastVal ? 1 : 0;
        }

        _lastVal = v;
        bool trainFalls = _train.Mean < _trainAtBest - _logFall;
        bool steadyClimb = _moves >= SteadyEvaluations && _ups >= 0.75 * _moves && v > _bestVal + _logSteadyRise;
        bool diverging = trainFalls && (v > _bestVal + _logRise || steadyClimb);
        if (!diverging)
        {
            _above = 0;
            if (IsActive && v < _bestVal + (_logRise / 2))
            {
                IsActive = false;
            }

            return null;
        }

        if (IsActive || ++_above < _options.DivergenceConfirmations)
        {
            return null;
        }

        IsActive = true;
        return new Finding(Symptom, _bestValStep, Severity.Warning, Remedies.Overfitting.Cause, Remedies.Overfitting.Action, new Dictionary<string, double>
        {
            ["bestValLoss"] = Math.Exp(_bestVal),
            ["valLoss"] = val,
            ["valRise"] = (val / Math.Exp(_bestVal)) - 1,
            ["trainLossAtBestVal"] = Math.Exp(_trainAtBest),
            ["trainLoss"] = Math.Exp(_train.Mean),
        })
        { DetectedStep = record.Step };
    }

    /// <inheritdoc />
    public void Reset()
    {
        _train.Clear();
        _bestVal = double.PositiveInfinity;
        _bestValStep = 0;
        _trainAtBest = double.NaN;
        _above = 0;
        _ups = 0;
        _moves = 0;
        IsActive = false;
    }
}
