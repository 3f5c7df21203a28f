using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Diagnosis;

/// <summary>Diagnoses a whole training log: runs the streaming detectors over it, then tidies the findings as a person would read them.</summary>
/// <remarks>
/// Live, every detector reports on its own; after the fact the order of events is known. While the loss is non-finite or
/// blown up, what the other detectors see is the wreck, not a new problem, so findings confirmed during that episode
/// (until the loss is back below half of where the run started, if it ever is) are dropped. A blow-up that a spike finding
/// announced a few steps earlier and that recovered is reported as the spike alone. A regime (oscillation, plateau, too
/// slow) that a detector reports again, with an onset before its previous report was confirmed, is reported once.
/// A validation loss that rises after the loss started bouncing is the bouncing, not overfitting. Evidence entries that
/// were not measured (NaN) are left out.
/// </remarks>
public static class LogDiagnostician
{
    /// <summary>Diagnoses the records of one log.</summary>
    /// <param name="records">The step records in order.</param>
    /// <param name="options">Detector thresholds; defaults when <see langword="null"/>.</param>
    /// <param name="observe">Called with every record (to keep them for a plot), or <see langword="null"/>.</param>
    /// <returns>The diagnosis.</returns>
    /// <param name="unit">What one record is: <c>step</c>, or <c>epoch</c> for a per-epoch log (only the wording changes).</param>
    public static LogDiagnosis Diagnose(IEnumerable<StepRecord> records, DetectorOptions? options = null, Action<StepRecord>? observe = null, string unit = "step")
    {
        ArgumentNullException.ThrowIfNull(records);
        var suite = DetectorSuite.CreateDefault(options);
        var findings = new List<Finding>();
        long steps = 0;
        long first = -1;
        long last = -1;
        bool hasTrain = false, hasVal = false, hasLr = false, hasGrad = false;
        double firstLoss = double.NaN, lastLoss = double.NaN;
        long trainEntries = 0, firstTrain = -1, lastTrain = -1, every = -1, valEntries = 0;
        var grads = new GradNormHints();
        var wrecks = new List<(long From, long To)>();
        bool inWreck = false;
        foreach (var record in records)
        {
            if (steps++ == 0)
            {
                first = record.Step;
            }

            last = record.Step;
            if (record.TrainLoss is not null)
            {
                if (trainEntries++ == 0)
                {
                    firstTrain = record.Step;
                }
                else
                {
                    long gap = record.Step - lastTrain;
                    every = every == -1 ? gap : every == gap ? every : 0;
                }

                lastTrain = record.Step;
            }

            if (record.ValLoss is not null)
            {
                valEntries++;
            }

            if (record.GradNorm is { } g)
            {
                grads.Observe(record.Step, g);
            }

            if (record.TrainLoss is { } loss)
            {
                hasTrain = true;
                if (double.IsFinite(loss))
                {
                    lastLoss = loss;
                    if (double.IsNaN(firstLoss))
                    {
                        firstLoss = loss;
                    }
                }
            }

            hasVal |= record.ValLoss.HasValue;
            hasLr |= record.Lr.HasValue;
            hasGrad |= record.GradNorm.HasValue;
            observe?.Invoke(record);
            suite.Observe(in record, findings);
            // A blow-up lasts until the detector calms down and the loss is back below half of where the run started.
            bool wrecked = suite.IsActive(Symptoms.NanExplosion)
                || (inWreck && !(record.TrainLoss is { } now && now < firstLoss / 2));
            if (wrecked && !inWreck)
            {
                wrecks.Add((record.Step, long.MaxValue));
            }
            else if (!wrecked && inWreck)
            {
                wrecks[^1] = (wrecks[^1].From, record.Step);
            }

            inWreck = wrecked;
        }

        var columns = new List<string>();
        AddIf(columns, hasTrain, "train loss");
        AddIf(columns, hasVal, "validation loss");
        AddIf(columns, hasLr, "LR");
        AddIf(columns, hasGrad, "gradient norm");
        return new LogDiagnosis(steps, first, last, columns, Tidy(findings, wrecks), firstLoss, lastLoss)
        {
            Unit = unit,
            TrainEntries = trainEntries,
            FirstTrainStep = firstTrain,
            LastTrainStep = lastTrain,
            Every = trainEntries == 1 ? 1 : Math.Max(every, 0),
            ValidationEntries = valEntries,
            Hints = grads.Hints(unit),
        };
    }

    /// <summary>Gets whether <paramref name="f"/> is a blow-up (not a non-finite value) that a spike finding announced and that recovered: a spike, told once.</summary>
    private static bool IsRecoveredSpike(Finding f, List<Finding> findings, List<(long From, long To)> wrecks) =>
        f.Symptom == Symptoms.NanExplosion
        && f.Evidence.ContainsKey("ratioToBest")
        && wrecks.Exists(w => w.From >= f.OnsetStep && w.To != long.MaxValue)
        && findings.Exists(s => s.Symptom == Symptoms.Spike && s.OnsetStep <= f.OnsetStep && s.OnsetStep >= f.OnsetStep - 10);

    /// <summary>Gets whether <paramref name="f"/> is a regime symptom (oscillation, plateau, too slow) that began before the same symptom's previous finding was even confirmed: the same regime, reported again after a brief lull.</summary>
    private static bool ContinuesRegime(Finding f, List<Finding> kept) =>
        f.Symptom is Symptoms.Oscillation or Symptoms.Plateau or Symptoms.TooSlow
        && kept.Exists(k => k.Symptom == f.Symptom && f.OnsetStep <= k.DetectedStep);

    private static void AddIf(List<string> columns, bool present, string name)
    {
        if (present)
        {
            columns.Add(name);
        }
    }

    private static List<Finding> Tidy(List<Finding> findings, List<(long From, long To)> wrecks)
    {
        long bouncing = long.MaxValue;
        foreach (var f in findings)
        {
            if (f.Symptom == Symptoms.Oscillation)
            {
                bouncing = Math.Min(bouncing, f.OnsetStep);
            }
        }

        var kept = new List<Finding>();
        foreach (var f in findings)
        {
            if (IsRecoveredSpike(f, findings, wrecks) || ContinuesRegime(f, kept))
            {
                continue;
            }

            bool duringWreck = f.Symptom != Symptoms.NanExplosion && wrecks.Exists(w => f.DetectedStep >= w.From && f.DetectedStep <= w.To);
            if (duringWreck || (f.Symptom == Symptoms.TrainValDivergence && f.OnsetStep >= bouncing))
            {
                continue;
            }

            var evidence = new Dictionary<string, double>();
            foreach (var (name, value) in f.Evidence)
            {
                if (!double.IsNaN(value))
                {
                    evidence[name] = value;
                }
            }

            kept.Add(f with { Evidence = evidence });
        }

        kept.Sort((a, b) => a.OnsetStep != b.OnsetStep ? a.OnsetStep.CompareTo(b.OnsetStep) : a.DetectedStep.CompareTo(b.DetectedStep));
        return kept;
    }
}
