using System.Collections.Concurrent;
using System.Globalization;
using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;
using Prometheus;

namespace LrDoctor.Metrics;

/// <summary>Every Prometheus metric of LrDoctor (names as in DESIGN.md), built from an injected factory.</summary>
/// <remarks>
/// Labels are the run id, the split, the parameter group, the state, the symptom and the intervention kind:
/// never a step, a value or free text. The series of a run are removed by <see cref="RetireRun"/>.
/// </remarks>
public sealed class LrDoctorMetrics
{
    private static readonly HashSet<EventKind> InterventionKinds =
    [
        EventKind.RollbackAndCut, EventKind.CutLr, EventKind.ReduceOnPlateau, EventKind.RaiseLr, EventKind.SetLr, EventKind.Alert,
    ];

    private readonly Gauge _step;
    private readonly Gauge _loss;
    private readonly Gauge _learningRate;
    private readonly Gauge _gradNorm;
    private readonly Gauge _state;
    private readonly Gauge _symptomActive;
    private readonly Counter _symptomsDetected;
    private readonly Counter _interventions;
    private readonly Histogram _stepDuration;
    private readonly Counter _stepsRecorded;
    private readonly Gauge _queueDepth;
    private readonly ConcurrentDictionary<string, RunSeries> _runs = new(StringComparer.Ordinal);

    /// <summary>Creates the metrics in the factory's registry.</summary>
    /// <param name="factory">The metric factory (a fresh registry in tests).</param>
    public LrDoctorMetrics(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _step = factory.CreateGauge("lrdoctor_run_step", "The last step recorded by the run.", ["run"]);
        _loss = factory.CreateGauge("lrdoctor_run_loss", "The last loss of the run, by split (train or val).", ["run", "split"]);
        _learningRate = factory.CreateGauge("lrdoctor_run_learning_rate", "The learning rate of the run's last step, by parameter group.", ["run", "group"]);
        _gradNorm = factory.CreateGauge("lrdoctor_run_grad_norm", "The total gradient L2 norm of the run's last step.", ["run"]);
        _state = factory.CreateGauge("lrdoctor_run_state", "1 for the run's current state, 0 for the others.", ["run", "state"]);
        _symptomActive = factory.CreateGauge("lrdoctor_symptom_active", "1 while a symptom is active in the run (until an intervention treats it).", ["run", "symptom"]);
        _symptomsDetected = factory.CreateCounter("lrdoctor_symptoms_detected_total", "Findings of the detectors.", ["run", "symptom"]);
        _interventions = factory.CreateCounter("lrdoctor_interventions_total", "Interventions applied to the run, by kind.", ["run", "kind"]);
        _stepDuration = factory.CreateHistogram("lrdoctor_step_duration_seconds", "Wall time of one optimizer step.", new HistogramConfiguration
        {
            LabelNames = ["run"],
            Buckets = Histogram.ExponentialBuckets(0.001, 4, 8),
        });
        _stepsRecorded = factory.CreateCounter("lrdoctor_steps_recorded_total", "Step records committed to storage.");
        _queueDepth = factory.CreateGauge("lrdoctor_storage_queue_depth", "Writes queued for storage and not yet committed.");
    }

    /// <summary>Records the values of a step.</summary>
    public void OnStep(string runId, in StepRecord record)
    {
        var series = Series(runId);
        _step.WithLabels(runId).Set(record.Step);
        if (record.TrainLoss is double train)
        {
            _loss.WithLabels(runId, "train").Set(train);
        }

        if (record.ValLoss is double val)
        {
            _loss.WithLabels(runId, "val").Set(val);
            series.HasVal = true;
        }

        if (record.GroupLrs is { Length: > 0 } groups)
        {
            for (int g = 0; g < groups.Length; g++)
            {
                _learningRate.WithLabels(runId, GroupLabel(g)).Set(groups[g]);
            }

            series.Groups = Math.Max(series.Groups, groups.Length);
        }
        else if (record.Lr is double lr)
        {
            _learningRate.WithLabels(runId, "0").Set(lr);
            series.Groups = Math.Max(series.Groups, 1);
        }

        if (record.GradNorm is double norm)
        {
            _gradNorm.WithLabels(runId).Set(norm);
        }

        if (record.StepSeconds is double seconds && double.IsFinite(seconds))
        {
            _stepDuration.WithLabels(runId).Observe(seconds);
        }
    }

    /// <summary>Records a finding: the symptom becomes active and its counter goes up.</summary>
    public void OnFinding(string runId, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var series = Series(runId);
        lock (series)
        {
            series.Symptoms.Add(finding.Symptom);
        }

        _symptomActive.WithLabels(runId, finding.Symptom).Set(1);
        _symptomsDetected.WithLabels(runId, finding.Symptom).Inc();
    }

    /// <summary>Records an event: interventions are counted, and an intervention for a symptom clears it.</summary>
    public void OnEvent(string runId, RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        if (!InterventionKinds.Contains(runEvent.Kind))
        {
            return;
        }

        var series = Series(runId);
        lock (series)
        {
            series.Kinds.Add(runEvent.Kind);
        }

        _interventions.WithLabels(runId, WireName.Of(runEvent.Kind)).Inc();
        if (runEvent.Symptom is { } symptom)
        {
            _symptomActive.WithLabels(runId, symptom).Set(0);
        }
    }

    /// <summary>Sets the run's state series (1 for <paramref name="state"/>, 0 for the others).</summary>
    public void SetState(string runId, RunState state)
    {
        Series(runId);
        foreach (var s in Enum.GetValues<RunState>())
        {
            _state.WithLabels(runId, WireName.Of(s)).Set(s == state ? 1 : 0);
        }

        if (state is RunState.Completed or RunState.Failed or RunState.Stopped or RunState.Interrupted)
        {
            foreach (string symptom in SymptomsOf(runId))
            {
                _symptomActive.WithLabels(runId, symptom).Set(0);
            }
        }
    }

    /// <summary>Counts step records committed to storage.</summary>
    public void OnStepsRecorded(int count) => _stepsRecorded.Inc(count);

    /// <summary>Sets the storage queue depth.</summary>
    public void SetStorageQueueDepth(long depth) => _queueDepth.Set(depth);

    /// <summary>Removes every series of a run (a finished run after its retention delay).</summary>
    public void RetireRun(string runId)
    {
        if (!_runs.TryRemove(runId, out var series))
        {
            return;
        }

        _step.RemoveLabelled(runId);
        _gradNorm.RemoveLabelled(runId);
        _stepDuration.RemoveLabelled(runId);
        _loss.RemoveLabelled(runId, "train");
        if (series.HasVal)
        {
            _loss.RemoveLabelled(runId, "val");
        }

        for (int g = 0; g < series.Groups; g++)
        {
            _learningRate.RemoveLabelled(runId, GroupLabel(g));
        }

        foreach (string s in WireName.All<RunState>())
        {
            _state.RemoveLabelled(runId, s);
        }

        lock (series)
        {
            foreach (string symptom in series.Symptoms)
            {
                _symptomActive.RemoveLabelled(runId, symptom);
                _symptomsDetected.RemoveLabelled(runId, symptom);
            }

            foreach (var kind in series.Kinds)
            {
                _interventions.RemoveLabelled(runId, WireName.Of(kind));
            }
        }
    }

    private static string GroupLabel(int group) => group.ToString(CultureInfo.InvariantCulture);

    private RunSeries Series(string runId) => _runs.GetOrAdd(runId, static _ => new RunSeries());

    private string[] SymptomsOf(string runId)
    {
        if (!_runs.TryGetValue(runId, out var series))
        {
            return [];
        }

        lock (series)
        {
            return [.. series.Symptoms];
        }
    }

    private sealed class RunSeries
    {
        public HashSet<string> Symptoms { get; } = new(StringComparer.Ordinal);

        public HashSet<EventKind> Kinds { get; } = [];

        public bool HasVal { get; set; }

        public int Groups { get; set; }
    }
}
