using LrDoctor.Core.Diagnosis;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Detectors;

/// <summary>Detects a loss that bounces up and down without making progress, from the validation loss where it exists and the training loss otherwise.</summary>
/// <remarks>
/// Per-batch training losses always jitter, so jitter is no evidence; what an LR that is too high adds is movement of the
/// loss level itself. On the training loss, with no progress over the recent window (the last
/// <see cref="DetectorOptions.WindowFraction"/> of the run), either the block means of <see cref="LossHistory"/> move
/// <see cref="DetectorOptions.OscillationWanderRatio"/> times more than the noise inside the blocks explains, or the
/// window's level has climbed back <see cref="DetectorOptions.OscillationRelapse"/> times above the earlier best (beyond
/// three block-noise errors). The validation loss is measured on a fixed set, so it has no batch noise: there the test is
/// a mean relative change between evaluations above <see cref="DetectorOptions.OscillationAmplitude"/>, with at least two
/// reversals, and even the window's lowest point above the earlier best by half that amount (a tuned run's validation
/// loss wobbles around its best; an LR that is too high keeps it above). AutoTrainer looks for a loss that fails to fall over a window; this also asks that it
/// bounces, which separates oscillation from a plateau. A window in which the LR itself swings by
/// <see cref="DetectorOptions.ScheduledLrSwing"/> (cyclic schedules, warmup) is not judged.
/// </remarks>
internal sealed class OscillationDetector : ISymptomDetector
{
    private const int ValCapacity = 32;
    private readonly DetectorOptions _options;
    private readonly LossHistory _history = new();
    private readonly double _minImprovement;
    private readonly double[] _vals = new double[ValCapacity];
    private readonly long[] _valSteps = new long[ValCapacity];
    private readonly double[] _valLrs = new double[ValCapacity];
    private int _valCount;
    private double _evictedValMin;
    private double _lastLr = double.NaN;
    private readonly double _logRelapse;
    private bool _trainActive;
    private bool _valActive;
    private int _trainCalm;
    private int _valCalm;

    /// <summary>Initializes a new instance of the <see cref="OscillationDetector"/> class.</summary>
    /// <param name="options">The thresholds.</param>
    public OscillationDetector(DetectorOptions options)
    {
        _options = options;
        _minImprovement = Math.Log(1 + options.MinImprovement);
        _logRelapse = Math.Log(options.OscillationRelapse);
        Reset();
    }

    /// <inheritdoc />
    public string Symptom => Symptoms.Oscillation;

    /// <inheritdoc />
    public bool IsActive => _trainActive || _valActive;

    /// <inheritdoc />
    public Finding? Observe(in StepRecord record)
    {
        if (record.Lr is { } lr && double.IsFinite(lr))
        {
            _lastLr = lr;
        }

        Finding? finding = null;
        if (record.TrainLoss is { } loss && loss > 0 && double.IsFinite(loss)
            && _history.Add(record.Step, Math.Log(loss), record.Lr))
        {
            finding = JudgeTraining(record.Step);
        }

        if (record.ValLoss is { } val && val > 0 && double.IsFinite(val))
        {
            finding ??= JudgeValidation(record.Step, Math.Log(val));
        }

        return finding;
    }

    /// <inheritdoc />
    public void Reset()
    {
        _history.Clear();
        _valCount = 0;
        _evictedValMin = double.PositiveInfinity;
        _trainActive = false;
        _valActive = false;
        _trainCalm = 0;
        _valCalm = 0;
    }

    /// <inheritdoc />
    /// <remarks>A climb must give back a share of the progress from the run's untrained loss, not from the new regime's first losses.</remarks>
    public void Reset(double runStartLoss)
    {
        Reset();
        _history.AnchorStart(Math.Log(runStartLoss));
    }

    private Finding? JudgeTraining(long step)
    {
        if (_history.BlockSize < 4 || _history.Observations < _history.MinObservations(_options)
            || !_history.TryGetWindow(_options.WindowFraction, _options.MinWindow, _minImprovement, out var window))
        {
            return null;
        }

        double wander = _history.WanderRatio(window.Split, _history.Count);
        bool bouncing = window.Stalled && _history.Bounces(window, _options.OscillationWanderRatio, _logRelapse, _options.OscillationProgressLost)
            && _history.LrSwing(window.Split, _history.Count) < _options.ScheduledLrSwing;
        if (!UpdateTraining(bouncing, !window.Stalled))
        {
            return null;
        }

        int onset = Math.Min(_history.FirstAtOrBelow(window.RecentMax), window.Split);
        return Report(_history.Step(onset), step, new Dictionary<string, double>
        {
            ["wanderRatio"] = wander,
            ["windowLowLoss"] = Math.Exp(window.RecentMin),
            ["windowHighLoss"] = Math.Exp(window.RecentMax),
            ["windowMeanLoss"] = Math.Exp(window.RecentMean),
            ["bestEarlierLoss"] = Math.Exp(window.EarlierMin),
            ["lr"] = _history.LastLr,
        });
    }

    private Finding? JudgeValidation(long step, double logVal)
    {
        if (_valCount == ValCapacity)
        {
            _evictedValMin = Math.Min(_evictedValMin, _vals[0]);
            Array.Copy(_vals, 1, _vals, 0, ValCapacity - 1);
            Array.Copy(_valSteps, 1, _valSteps, 0, ValCapacity - 1);
            Array.Copy(_valLrs, 1, _valLrs, 0, ValCapacity - 1);
            _valCount--;
        }

        _vals[_valCount] = logVal;
        _valSteps[_valCount] = step;
        _valLrs[_valCount] = _lastLr;
        _valCount++;
        long total = _valCount + (double.IsPositiveInfinity(_evictedValMin) ? 0 : 1);
        if (_valCount < 6 || total < 6)
        {
            return null;
        }

        int size = Math.Clamp((int)Math.Ceiling(_valCount * _options.WindowFraction), 5, _valCount - 1);
        int split = _valCount - size;
        double earlierMin = _evictedValMin;
        for (int i = 0; i < split; i++)
        {
            earlierMin = Math.Min(earlierMin, _vals[i]);
        }

        double recentMin = double.PositiveInfinity;
        double recentMax = double.NegativeInfinity;
        double change = 0;
        int reversals = 0;
        double lrMin = double.PositiveInfinity;
        double lrMax = 0;
        for (int i = split; i < _valCount; i++)
        {
            recentMin = Math.Min(recentMin, _vals[i]);
            recentMax = Math.Max(recentMax, _vals[i]);
            if (_valLrs[i] > 0)
            {
                lrMin = Math.Min(lrMin, _valLrs[i]);
                lrMax = Math.Max(lrMax, _valLrs[i]);
            }

            if (i > split)
            {
                double d = _vals[i] - _vals[i - 1];
                change += Math.Abs(d);
                if (i > split + 1 && Math.Sign(d) != 0 && Math.Sign(d) == -Math.Sign(_vals[i - 1] - _vals[i - 2]))
                {
                    reversals++;
                }
            }
        }

        double amplitude = change / (size - 1);
        bool scheduled = lrMax > 0 && lrMax / lrMin >= _options.ScheduledLrSwing;
        bool bouncing = recentMin > earlierMin + Math.Log(1 + _options.OscillationAmplitude) / 2
            && amplitude > Math.Log(1 + _options.OscillationAmplitude)
            && reversals >= 2 && !scheduled;
        if (!UpdateValidation(bouncing, recentMin <= earlierMin - _minImprovement))
        {
            return null;
        }

        int onset = split;
        for (int i = 0; i < split; i++)
        {
            if (_vals[i] <= recentMax)
            {
                onset = i;
                break;
            }
        }

        return Report(_valSteps[onset], step, new Dictionary<string, double>
        {
            ["valMeanRelativeChange"] = Math.Exp(amplitude) - 1,
            ["valReversals"] = reversals,
            ["windowLowValLoss"] = Math.Exp(recentMin),
            ["windowHighValLoss"] = Math.Exp(recentMax),
            ["bestEarlierValLoss"] = Math.Exp(earlierMin),
            ["lr"] = _lastLr,
        });
    }

    /// <summary>Moves the training-side episode; returns true when a new episode starts (and the validation side is quiet).</summary>
    private bool UpdateTraining(bool bouncing, bool progressing) =>
        Update(ref _trainActive, ref _trainCalm, bouncing, progressing, _valActive);

    /// <summary>Moves the validation-side episode; returns true when a new episode starts (and the training side is quiet).</summary>
    private bool UpdateValidation(bool bouncing, bool progressing) =>
        Update(ref _valActive, ref _valCalm, bouncing, progressing, _trainActive);

    /// <summary>An episode ends after three judgements in a row that see progress.</summary>
    private static bool Update(ref bool active, ref int calm, bool bouncing, bool progressing, bool otherActive)
    {
        if (bouncing)
        {
            calm = 0;
            if (active)
            {
                return false;
            }

            active = true;
            return !otherActive;
        }

        calm = progressing ? calm + 1 : 0;
        if (active && calm >= 3)
        {
            active = false;
        }

        return false;
    }

    private Finding Report(long onset, long step, Dictionary<string, double> evidence) =>
        new(Symptom, onset, Severity.Warning, Remedies.Oscillation.Cause, Remedies.Oscillation.Action, evidence) { DetectedStep = step };
}
