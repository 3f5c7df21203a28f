using LrDoctor.Core.Diagnosis;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Detectors;

/// <summary>Detects a sudden jump of the training loss well above its recent level, measured against the run's own noise.</summary>
/// <remarks>
/// The level is an EMA of the log-loss and the noise an EMA of its absolute deviation (span <see cref="DetectorOptions.SpikeSpan"/>).
/// A jump counts when its robust z-score exceeds <see cref="DetectorOptions.SpikeZ"/> and the loss is at least
/// <see cref="DetectorOptions.SpikeMinRatio"/> times the level; it is confirmed by a second such observation, or at once when
/// the loss is <see cref="DetectorOptions.SpikeSingleRatio"/> times the level. Lightning's SpikeDetection uses a fixed
/// ratio to a running mean, which either misses spikes on smooth curves or fires on every noisy batch; the z-score
/// adapts to the noise and the ratio floor keeps it quiet on very smooth curves. Outliers enter the level clipped to
/// two deviations (as ZClip keeps spikes out of its statistics), so a spike does not teach the detector that spikes are
/// normal, while a lasting shift is still learnt. The episode ends when the loss is back within the noise.
/// </remarks>
internal sealed class SpikeDetector : ISymptomDetector
{
    private const double Clip = 2;
    private readonly DetectorOptions _options;
    private readonly double _logMinRatio;
    private readonly double _logSingleRatio;
    private RunningLevel _level;
    private int _candidates;
    private long _candidateSince;
    private double _candidateLoss;
    private int _calm;

    /// <summary>Initializes a new instance of the <see cref="SpikeDetector"/> class.</summary>
    /// <param name="options">The thresholds.</param>
    public SpikeDetector(DetectorOptions options)
    {
        _options = options;
        _logMinRatio = Math.Log(options.SpikeMinRatio);
        _logSingleRatio = Math.Log(options.SpikeSingleRatio);
        _level = new RunningLevel(options.SpikeSpan);
    }

    /// <inheritdoc />
    public string Symptom => Symptoms.Spike;

    /// <inheritdoc />
    public bool IsActive { get; private set; }

    /// <inheritdoc />
    public Finding? Observe(in StepRecord record)
    {
        if (record.TrainLoss is not { } loss || loss <= 0 || !double.IsFinite(loss))
        {
            return null;
        }

        double x = Math.Log(loss);
        if (_level.Count < _options.GracePeriod)
        {
            _level.Add(x);
            return null;
        }

        double level = _level.Mean;
        double noise = Math.Max(_level.Deviation, 1e-12);
        double rise = x - level;
        double z = rise / noise;
        bool candidate = z > _options.SpikeZ && rise > _logMinRatio;
        _level.Add(Math.Clamp(x, level - (Clip * noise), level + (Clip * noise)));
        if (!candidate)
        {
            _candidates = 0;
            if (IsActive && z < _options.SpikeZ / 2 && ++_calm >= 3)
            {
                IsActive = false;
            }

            return null;
        }

        _calm = 0;
        if (_candidates++ == 0)
        {
            _candidateSince = record.Step;
            _candidateLoss = loss;
        }

        if (IsActive || (_candidates < 2 && rise <= _logSingleRatio))
        {
            return null;
        }

        IsActive = true;
        double levelLoss = Math.Exp(level);
        return new Finding(Symptom, _candidateSince, Severity.Warning, Remedies.Spike.Cause, Remedies.Spike.Action, new Dictionary<string, double>
        {
            ["trainLoss"] = Math.Max(loss, _candidateLoss),
            ["recentLevel"] = levelLoss,
            ["ratioToLevel"] = Math.Max(loss, _candidateLoss) / levelLoss,
            ["zScore"] = z,
            ["gradNorm"] = record.GradNorm ?? double.NaN,
            ["lr"] = record.Lr ?? double.NaN,
        })
        { DetectedStep = record.Step };
    }

    /// <inheritdoc />
    public void Reset()
    {
        _level.Clear();
        _candidates = 0;
        _calm = 0;
        IsActive = false;
    }
}
