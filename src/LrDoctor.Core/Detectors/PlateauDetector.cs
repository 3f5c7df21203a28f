using LrDoctor.Core.Diagnosis;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Detectors;

/// <summary>Detects a training loss that stopped improving while the LR stayed where it was.</summary>
/// <remarks>
/// ReduceLROnPlateau (PyTorch, Keras) waits a fixed number of epochs for a relative improvement of the raw metric; on
/// per-batch losses that patience means nothing and the noise makes "improvement" random. Here the run's whole curve is
/// kept as block means (<see cref="LossHistory"/>) and the patience is a share of the run: the last
/// <see cref="DetectorOptions.WindowFraction"/> of it (at least <see cref="DetectorOptions.MinWindow"/> observations)
/// must fail to beat the earlier best by <see cref="DetectorOptions.MinImprovement"/>. It is not a plateau when the run
/// never fell <see cref="DetectorOptions.PlateauMinProgress"/> from its start (that is too slow), when the loss fell
/// 1/<see cref="DetectorOptions.ConvergedFraction"/>-fold (a fitted model), when the LR has already been decayed below
/// <see cref="DetectorOptions.DecayedLrFraction"/> of its peak or is moving (a schedule at work: warmup+cosine flattens
/// late by design), when the window bounces (that is oscillation), or when the noise of the window mean is too large to
/// have seen five times the margin (per-batch losses of a nearly fitted model). The onset is where the curve entered the
/// band it now stays in. The trend is judged only after <see cref="DetectorOptions.MinNoisyObservations"/> observations
/// of a per-batch curve (<see cref="DetectorOptions.MinSmoothObservations"/> of a smooth one). The episode ends when a
/// window's mean is five margins below the plateau it was reported at.
/// </remarks>
internal sealed class PlateauDetector : ISymptomDetector
{
    private readonly DetectorOptions _options;
    private readonly LossHistory _history = new();
    private readonly double _minImprovement;
    private double _plateauMean;

    /// <summary>Initializes a new instance of the <see cref="PlateauDetector"/> class.</summary>
    /// <param name="options">The thresholds.</param>
    public PlateauDetector(DetectorOptions options)
    {
        _options = options;
        _minImprovement = Math.Log(1 + options.MinImprovement);
    }

    /// <inheritdoc />
    public string Symptom => Symptoms.Plateau;

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

        if (_history.Observations < Math.Max(2 * _options.MinWindow, _history.MinObservations(_options))
            || !_history.TryGetWindow(_options.WindowFraction, _options.MinWindow, _minImprovement, out var window))
        {
            return null;
        }

        if (IsActive)
        {
            // The episode ends when the window's mean is clearly (5x the margin) below the plateau it was reported at.
            IsActive = window.RecentMean >= _plateauMean - (5 * _minImprovement);
            return null;
        }

        if (!window.Stalled)
        {
            return null;
        }

        double start = _history.Start;
        bool progressed = start - window.EarlierMin >= -Math.Log(1 - _options.PlateauMinProgress);
        bool converged = window.EarlierMin - start <= Math.Log(_options.ConvergedFraction);
        if (!progressed || converged || !LrHeldSteady(window.Split))
        {
            return null;
        }

        if (_history.Bounces(window, _options.OscillationWanderRatio, Math.Log(_options.OscillationRelapse), _options.OscillationProgressLost))
        {
            return null;
        }

        // Claiming "no progress" needs a window mean precise enough to have seen 5x the minimum improvement.
        if (2 * _history.StandardError(window.Split, _history.Count) > 5 * _minImprovement)
        {
            return null;
        }

        IsActive = true;
        _plateauMean = window.RecentMean;
        int onset = Math.Min(_history.FirstAtOrBelow(window.RecentMax), window.Split);
        return new Finding(Symptom, _history.Step(onset), Severity.Warning, Remedies.Plateau.Cause, Remedies.Plateau.Action, new Dictionary<string, double>
        {
            ["plateauLoss"] = Math.Exp(window.RecentMin),
            ["bestEarlierLoss"] = Math.Exp(window.EarlierMin),
            ["startLoss"] = Math.Exp(start),
            ["stepsWithoutProgress"] = record.Step - _history.Step(window.Split),
            ["lr"] = _history.LastLr,
            ["peakLr"] = _history.MaxLr,
        })
        { DetectedStep = record.Step };
    }

    /// <inheritdoc />
    public void Reset()
    {
        _history.Clear();
        IsActive = false;
    }

    /// <inheritdoc />
    public void Reset(double runStartLoss)
    {
        Reset();
        _history.AnchorStart(Math.Log(runStartLoss));
    }

    private bool LrHeldSteady(int split)
    {
        double last = _history.LastLr;
        if (double.IsNaN(last))
        {
            return true;
        }

        return last >= _options.DecayedLrFraction * _history.MaxLr
            && _history.LrSwing(split, _history.Count) < 1.1;
    }
}
