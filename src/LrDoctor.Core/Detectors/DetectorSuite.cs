using System.Runtime.CompilerServices;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Detectors;

/// <summary>All symptom detectors of one run, fed together one step at a time.</summary>
public sealed class DetectorSuite
{
    private readonly ISymptomDetector[] _detectors;

    /// <summary>Initializes a new instance of the <see cref="DetectorSuite"/> class over the given detectors.</summary>
    /// <param name="detectors">The detectors, one per symptom.</param>
    public DetectorSuite(IEnumerable<ISymptomDetector> detectors)
    {
        _detectors = [.. detectors];
    }

    /// <summary>Gets the detectors.</summary>
    public IReadOnlyList<ISymptomDetector> Detectors => _detectors;

    /// <summary>Creates the default set: one detector per symptom of <see cref="Symptoms"/>.</summary>
    /// <param name="options">Thresholds; defaults when <see langword="null"/>.</param>
    /// <returns>A new suite.</returns>
    public static DetectorSuite CreateDefault(DetectorOptions? options = null)
    {
        options ??= new DetectorOptions();
        return new DetectorSuite(
        [
            new NanExplosionDetector(options),
            new SpikeDetector(options),
            new OscillationDetector(options),
            new PlateauDetector(options),
            new TooSlowDetector(options),
            new TrainValDivergenceDetector(options),
        ]);
    }

    /// <summary>Feeds one step to every detector; appends the findings confirmed at this step to <paramref name="newFindings"/>.</summary>
    /// <param name="record">The step record.</param>
    /// <param name="newFindings">Receives new findings; not cleared.</param>
    /// <returns><see langword="true"/> when at least one finding was added.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Observe(in StepRecord record, List<Finding> newFindings)
    {
        ArgumentNullException.ThrowIfNull(newFindings);
        bool any = false;
        foreach (var detector in _detectors)
        {
            if (detector.Observe(in record) is { } finding)
            {
                newFindings.Add(finding);
                any = true;
            }
        }

        return any;
    }

    /// <summary>Gets whether the given symptom is active at the last observed step.</summary>
    /// <param name="symptom">A symptom identifier.</param>
    /// <returns><see langword="true"/> when a detector of that symptom is active.</returns>
    public bool IsActive(string symptom)
    {
        foreach (var detector in _detectors)
        {
            if (detector.Symptom == symptom && detector.IsActive)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets whether any symptom is active at the last observed step.</summary>
    public bool AnyActive
    {
        get
        {
            foreach (var detector in _detectors)
            {
                if (detector.IsActive)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Resets every detector (after a rollback, the history no longer describes the run).</summary>
    public void Reset()
    {
        foreach (var detector in _detectors)
        {
            detector.Reset();
        }
    }

    /// <summary>Resets every detector for a new regime of a run already under way (see <see cref="ISymptomDetector.Reset(double)"/>).</summary>
    /// <param name="runStartLoss">The run's first training loss; ignored (a plain reset) unless positive and finite.</param>
    public void Reset(double runStartLoss)
    {
        if (!(runStartLoss > 0 && double.IsFinite(runStartLoss)))
        {
            Reset();
            return;
        }

        foreach (var detector in _detectors)
        {
            detector.Reset(runStartLoss);
        }
    }
}
