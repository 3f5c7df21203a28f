using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using LrDoctor.Core.Detectors;
using LrDoctor.Core.Interventions;
using LrDoctor.Core.Jobs;
using LrDoctor.Core.Json;
using LrDoctor.Core.LrFinder;
using LrDoctor.Core.Preflight;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;

namespace LrDoctor.Core.Doctor;

/// <summary>The doctor of one run, engine-independent: watches each step, decides, and tells the engine what to apply.</summary>
/// <remarks>
/// <para>
/// It owns everything that is not tensors: the intervention scale, the smoothed loss, the blow-up guard and its latch, the
/// detectors, the treatment policy, reduce-on-plateau, the findings, interventions and events, and the commands posted by
/// operators and alerts. An engine holds the model, optimizer, data and snapshots, and applies <see cref="DoctorAction"/>s:
/// the TorchSharp trainer, an external PyTorch run over HTTP, a user's own loop and a followed log all drive this one type.
/// </para>
/// <para>
/// The protocol, per step: drain <see cref="BeforeStep"/> until it says <see cref="DoctorActionKind.Continue"/>; train one
/// step at <see cref="CurrentLr"/> (the schedule's LR x <see cref="Scale"/>, so every treatment keeps the schedule's shape);
/// feed its record to <see cref="Observe"/> and apply what it returns until <see cref="DoctorActionKind.Continue"/>. A
/// rollback is answered with <see cref="CompleteRollback"/> once the snapshot is restored. Not thread-safe, except
/// <see cref="Post"/>.
/// </para>
/// </remarks>
public sealed class RunDoctor
{
    private readonly DoctorSpec _spec;
    private readonly RunDoctorOptions _options;
    private readonly IRunSink _sink;
    private readonly Func<long, double> _scheduledLr;
    private readonly DetectorSuite? _detectors;
    private readonly DoctorPolicy _policy;
    private readonly ReduceOnPlateau _plateau;
    private readonly BlowUpGuard _guard;
    private readonly ConcurrentQueue<RunCommand> _commands = new();
    private readonly List<Finding> _findings = [];
    private readonly List<Finding> _newFindings = [];
    private readonly List<Intervention> _interventions = [];
    private double _scale = 1.0;
    private long _stepsDone;
    private double _smoothed;
    private double _smoothingWeight;
    private bool _blownUp;
    private PendingRollback? _pending;

    /// <summary>Initializes a new instance of the <see cref="RunDoctor"/> class.</summary>
    /// <param name="spec">The job's doctor settings: mode, factors, bounds.</param>
    /// <param name="options">Evaluation and snapshot intervals, detector thresholds, the clock.</param>
    /// <param name="sink">Where steps, findings, events and artifacts go.</param>
    /// <param name="scheduledLr">The schedule: the headline LR of step t before the doctor's scale.</param>
    public RunDoctor(DoctorSpec spec, RunDoctorOptions options, IRunSink sink, Func<long, double> scheduledLr)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(scheduledLr);
        _spec = spec;
        _options = options;
        _sink = sink;
        _scheduledLr = scheduledLr;
        _detectors = spec.Mode == DoctorSpec.Off ? null : DetectorSuite.CreateDefault(options.Detectors);
        _policy = new DoctorPolicy(spec);
        _plateau = new ReduceOnPlateau(spec.Plateau);
        _guard = new BlowUpGuard(spec.BlowUpFactor);
    }

    /// <summary>Gets the steps observed so far (the index of the next step).</summary>
    public long StepsDone => _stepsDone;

    /// <summary>Gets the intervention scale (1 until the doctor or a command changes the LR).</summary>
    public double Scale => _scale;

    /// <summary>Gets the headline LR of the next step: the schedule's LR x <see cref="Scale"/>.</summary>
    public double CurrentLr => _scheduledLr(_stepsDone) * _scale;

    /// <summary>Gets the exponentially smoothed training loss (bias-corrected), or <see langword="null"/> before the first finite step.</summary>
    public double? SmoothedLoss => _smoothingWeight > 0 ? _smoothed / _smoothingWeight : null;

    /// <summary>Gets the run's untrained loss (its first finite loss), once seen.</summary>
    public double? InitialLoss => _guard.InitialLoss;

    /// <summary>Gets every finding so far.</summary>
    public IReadOnlyList<Finding> Findings => _findings;

    /// <summary>Gets every intervention so far (LR changes and rollbacks, with old and new LR and the reason).</summary>
    public IReadOnlyList<Intervention> Interventions => _interventions;

    /// <summary>Gets the number of rollbacks the doctor decided.</summary>
    public int Rollbacks => _policy.Rollbacks;

    /// <summary>Posts an operator or alert command; it applies at the next <see cref="BeforeStep"/> (thread-safe).</summary>
    /// <param name="command">The command.</param>
    public void Post(RunCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        _commands.Enqueue(command);
    }

    /// <summary>Records the preflight advice for a job before its first step (nothing when the doctor is off).</summary>
    /// <param name="advice">The advice.</param>
    public void Advise(IEnumerable<PreflightAdvice> advice)
    {
        ArgumentNullException.ThrowIfNull(advice);
        if (_spec.Mode == DoctorSpec.Off)
        {
            return;
        }

        foreach (var a in advice)
        {
            Emit(EventKind.Advice, a.Reason, data: new Dictionary<string, double>(StringComparer.Ordinal) { ["code_" + a.Code] = 1 });
        }
    }

    /// <summary>Applies the next queued command; call until it returns <see cref="DoctorAction.Continue"/>.</summary>
    /// <returns>What the engine must do for the command: continue (an LR change needs nothing), roll back, checkpoint, stop.</returns>
    /// <param name="snapshots">The snapshots the engine holds, oldest first: a rollback command chooses among them.</param>
    public DoctorAction BeforeStep(IReadOnlyList<SnapshotMark> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        while (_commands.TryDequeue(out var command))
        {
            string why = command.Reason ?? "on request";
            switch (command.Kind)
            {
                case RunCommandKind.Stop:
                    return DoctorAction.Stop(RunState.Stopped, $"stopped at step {_stepsDone}: {why}", checkpointFirst: true);
                case RunCommandKind.SetLr when command.Value is > 0 and var lr:
                    ChangeScale(lr / _scheduledLr(_stepsDone), EventKind.SetLr, $"LR set to {Format(lr)}: {why}", null);
                    break;
                case RunCommandKind.ScaleLr when command.Value is > 0 and var factor:
                    ChangeScale(_scale * factor, EventKind.SetLr, $"LR scaled x{Format(factor)}: {why}", null);
                    break;
                case RunCommandKind.RollbackAndCut:
                    if (BeginRollback(_stepsDone, command.Value is > 0 and < 1 ? command.Value.Value : _spec.CutFactor, EventKind.RollbackAndCut,
                        $"rolled back and cut the LR: {why}", null, retest: false, record: null, snapshots) is { } rollback)
                    {
                        return rollback;
                    }

                    break;
                case RunCommandKind.Checkpoint:
                    return DoctorAction.Checkpoint;
                default:
                    Emit(EventKind.SetLr, $"ignored command {command.Kind} without a valid value: {why}");
                    break;
            }
        }

        return DoctorAction.Continue;
    }

    /// <summary>Observes one trained step: records it, runs the detectors, treats what they find.</summary>
    /// <param name="record">The step's record; <see cref="StepRecord.Step"/> is <see cref="StepsDone"/>.</param>
    /// <param name="snapshots">The snapshots the engine holds, oldest first: a rollback chooses among them.</param>
    /// <returns>What the engine must do now; apply it, and keep applying until <see cref="DoctorActionKind.Continue"/> (a rollback is followed by <see cref="CompleteRollback"/>).</returns>
    public DoctorAction Observe(in StepRecord record, IReadOnlyList<SnapshotMark> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        if (_pending is not null)
        {
            throw new InvalidOperationException("a rollback is pending: call CompleteRollback first");
        }

        _sink.OnStep(record);
        double lr = CurrentLr;
        bool finite = double.IsFinite(record.TrainLoss ?? 0) && double.IsFinite(record.GradNorm ?? 0);
        bool blownUp = _guard.Observe(record.TrainLoss ?? 0, record.GradNorm);
        if (finite && !blownUp)
        {
            Smooth(record.TrainLoss!.Value);
        }

        _newFindings.Clear();
        _detectors?.Observe(record, _newFindings);
        // One finding per episode (the guard stays tripped while the loss stays blown up); none when the doctor is off.
        if (blownUp && !_blownUp && _detectors is not null && !_newFindings.Exists(f => f.Symptom == Symptoms.NanExplosion))
        {
            _newFindings.Add(BlowUpFinding(record, finite));
        }

        _blownUp = blownUp;
        _stepsDone = record.Step + 1;
        var treated = _newFindings.Count == 0 ? null : Treat(lr, record, snapshots);
        if (treated is not null)
        {
            return treated;
        }

        if (!finite)
        {
            // Advise/off, or auto with the rollback budget spent: a non-finite model cannot train on.
            return DoctorAction.Stop(RunState.Failed,
                $"non-finite loss or gradient at step {record.Step} (LR {Format(lr)}); the doctor is '{_spec.Mode}' so the run stops instead of training on NaN");
        }

        return AfterTreatment(record.ValLoss, record.Step, finite: true);
    }

    /// <summary>Finishes a rollback the engine applied: resets the smoothing and detectors, sets the cut scale, records the intervention.</summary>
    /// <param name="rangeTest">The result of the range test the rollback asked for (<see cref="DoctorAction.RangeTest"/>), else <see langword="null"/>.</param>
    /// <returns>What else is due at this step boundary (a plateau reduction needs nothing; a snapshot may be due).</returns>
    public DoctorAction CompleteRollback(LrFinderResult? rangeTest = null)
    {
        var p = _pending ?? throw new InvalidOperationException("no rollback is pending");
        _pending = null;
        _smoothed = p.Snapshot.Loss ?? 0;
        _smoothingWeight = p.Snapshot.Loss is null ? 0 : 1;
        double factor = p.Factor;
        string reason = p.Reason;
        var data = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["rolledBackToStep"] = p.Snapshot.Step,
            ["skippedSnapshots"] = p.Skipped,
            ["skippedBatches"] = _spec.SkipBatches,
        };
        if (p.RangeTestAsked)
        {
            if (rangeTest is null)
            {
                throw new ArgumentNullException(nameof(rangeTest), "the rollback asked for a range test");
            }

            (double newLr, string why) = RollbackRangeTest.Choose(p.OldLr, factor, rangeTest);
            factor = newLr / p.OldLr;
            reason += "; " + why;
            data["rangeTestBatches"] = rangeTest.Points.Count;
            if (rangeTest.Recommended is double recommended)
            {
                data["rangeTestRecommended"] = recommended;
            }

            if (rangeTest.DivergenceLr is double divergence)
            {
                data["rangeTestDivergenceLr"] = divergence;
                _policy.OnUnstableLr(divergence);
            }
        }

        ResetDetectors();
        _blownUp = false;
        _scale *= factor;
        data["scale"] = _scale;
        Record(p.Kind, reason, p.Symptom, p.OldLr, CurrentLr, data);
        return p.AfterStep is { } record ? AfterTreatment(record.ValLoss, record.Step, record.Finite) : DoctorAction.Continue;
    }

    /// <summary>Records the LR range test an engine ran before the first step (<c>"findLr": true</c>) and trains with its recommendation.</summary>
    /// <remarks>
    /// A job that asks for a range test wants its answer, so the recommended LR replaces the job's LR as the base of the
    /// schedule (through the scale, so warmup or decay keep their shape). The LR where the loss started to rise becomes the
    /// ceiling for any later raise. When the curve shows no clear descent the job's LR is kept and the event says why.
    /// </remarks>
    /// <param name="result">The range test.</param>
    /// <param name="jobLr">The job's (batch-scaled) LR, the schedule's base.</param>
    public void OnLrRangeTest(LrFinderResult result, double jobLr)
    {
        ArgumentNullException.ThrowIfNull(result);
        _sink.OnArtifact(WireName.Of(EventKind.LrFinder), JsonSerializer.Serialize(result, LrDoctorJson.Options));
        var data = new Dictionary<string, double>(StringComparer.Ordinal) { ["batches"] = result.Points.Count, ["seconds"] = result.Seconds };
        if (result.DivergenceLr is double divergence)
        {
            _policy.OnUnstableLr(divergence);
            data["divergenceLr"] = divergence;
        }

        string rises = result.DivergenceLr is double d ? $"; the loss rises from {Format(d)}, now the ceiling for LR raises" : "; the loss never rose over the range";
        if (result.Recommended is double recommended)
        {
            _scale = recommended / jobLr;
            data["recommended"] = recommended;
            Emit(
                EventKind.LrFinder,
                $"LR range test ({result.Points.Count} batches, {result.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s) recommends {Format(recommended)} ({result.RecommendedRule}); training uses it instead of optimizer.lr {Format(jobLr)}{rises}",
                oldLr: jobLr,
                newLr: recommended,
                data: data);
        }
        else
        {
            Emit(EventKind.LrFinder, $"LR range test ({result.Points.Count} batches) found no clear descent of the loss; training keeps optimizer.lr {Format(jobLr)}{rises}", data: data);
        }
    }

    /// <summary>Gets the doctor's state for a checkpoint.</summary>
    /// <returns>The state; <see cref="Restore"/> continues from it exactly.</returns>
    public DoctorState Capture() => new(
        _scale,
        _smoothingWeight > 0 ? _smoothed : null,
        _smoothingWeight,
        _policy.Rollbacks,
        _policy.LastUnstableLr,
        _policy.PlateauReducedSinceRaise,
        _plateau.Best,
        _plateau.NumBadEpochs,
        _plateau.CooldownCounter,
        _plateau.LastEpoch,
        _guard.InitialLoss);

    /// <summary>Restores the state of a checkpoint: the run resumes at <paramref name="stepsDone"/>, its detectors judging the resumed regime afresh.</summary>
    /// <param name="state">The saved state.</param>
    /// <param name="stepsDone">The steps done at the checkpoint.</param>
    /// <param name="reason">The resume event's sentence.</param>
    public void Restore(DoctorState state, long stepsDone, string reason)
    {
        ArgumentNullException.ThrowIfNull(state);
        _stepsDone = stepsDone;
        _scale = state.Scale;
        _smoothed = state.SmoothedSum ?? 0;
        _smoothingWeight = state.SmoothingWeight;
        _policy.Restore(state.Rollbacks, state.LastUnstableLr, state.PlateauReducedSinceRaise);
        _plateau.Restore(state.PlateauBest, state.PlateauBad, state.PlateauCooldown, state.PlateauEpoch);
        _guard.Restore(state.InitialLoss);
        ResetDetectors();
        Emit(EventKind.Resume, reason);
    }

    /// <summary>Records the end of the run.</summary>
    /// <param name="reason">How it ended, in a sentence.</param>
    public void End(string reason) =>
        Emit(EventKind.RunEnded, reason, data: new Dictionary<string, double>(StringComparer.Ordinal) { ["steps"] = _stepsDone });

    /// <summary>Records new findings and, in auto mode, treats the first that calls for an LR change; returns the engine's action, or <see langword="null"/> when none is needed.</summary>
    private DoctorAction? Treat(double lr, in StepRecord record, IReadOnlyList<SnapshotMark> snapshots)
    {
        bool finite = double.IsFinite(record.TrainLoss ?? 0) && double.IsFinite(record.GradNorm ?? 0);
        DoctorAction? action = null;
        foreach (var finding in _newFindings)
        {
            _findings.Add(finding);
            _sink.OnFinding(finding);
            Emit(EventKind.Finding, $"{finding.Symptom} ({finding.Severity.ToString().ToLowerInvariant()}) from step {finding.OnsetStep}: {finding.Cause}", finding.Symptom, data: finding.Evidence);
            if (_spec.Mode != DoctorSpec.Auto || action is not null)
            {
                continue;
            }

            if (_policy.Decide(finding, lr, _scale) is not { } decision)
            {
                continue;
            }

            if (decision.Fail)
            {
                action = DoctorAction.Stop(RunState.Failed, decision.Reason);
            }
            else if (decision.Rollback)
            {
                action = BeginRollback(finding.OnsetStep, decision.Factor, decision.Kind, decision.Reason, decision.Symptom,
                    retest: _spec.RetestLr && decision.Symptom == Symptoms.NanExplosion,
                    record: new AfterStep(record.ValLoss, record.Step, finite), snapshots);
            }
            else if (BoundedScale(_scale * decision.Factor) is { } newScale)
            {
                ChangeScale(newScale, decision.Kind, decision.Reason, decision.Symptom);
            }
        }

        return action;
    }

    /// <summary>Starts a rollback to the last good snapshot before <paramref name="onsetStep"/>; <see langword="null"/> when there is none to go back to.</summary>
    private DoctorAction? BeginRollback(long onsetStep, double factor, EventKind kind, string reason, string? symptom, bool retest, AfterStep? record, IReadOnlyList<SnapshotMark> snapshots)
    {
        int chosen = RollbackTarget.Choose(snapshots, onsetStep, _guard.InitialLoss);
        if (chosen < 0)
        {
            return null;
        }

        var mark = snapshots[chosen];
        int skipped = 0;
        for (int i = chosen + 1; i < snapshots.Count && snapshots[i].Step <= onsetStep; i++)
        {
            skipped++;
        }

        reason += skipped == 0
            ? $"; restored the snapshot of step {mark.Step}"
            : $"; restored the snapshot of step {mark.Step}, passing over {skipped} newer one(s) taken after the loss had given back most of its progress";
        double oldLr = CurrentLr;
        bool rangeTest = retest && mark.Step == 0 && oldLr > 0 && double.IsFinite(oldLr);
        _pending = new PendingRollback(mark, skipped, factor, kind, reason, symptom, oldLr, rangeTest, record);
        return DoctorAction.RollBack(mark.Step, rangeTest ? RollbackRangeTest.Options(oldLr) : null, _spec.SkipBatches);
    }

    /// <summary>What is due after the step's treatment: reduce-on-plateau at an evaluation, a snapshot at its interval.</summary>
    private DoctorAction AfterTreatment(double? valLoss, long step, bool finite)
    {
        if (valLoss is not null || step % _options.EvalEvery == _options.EvalEvery - 1)
        {
            ReduceOnPlateauIfDue(valLoss);
        }

        return _stepsDone % _options.SnapshotEvery == 0 && finite && !(_detectors?.AnyActive ?? false)
            ? DoctorAction.TakeSnapshot
            : DoctorAction.Continue;
    }

    private void ReduceOnPlateauIfDue(double? valLoss)
    {
        if (_spec.Mode != DoctorSpec.Auto || !_spec.Plateau.Enabled)
        {
            return;
        }

        double? metric = valLoss ?? SmoothedLoss;
        if (metric is not { } value)
        {
            return;
        }

        double lr = CurrentLr;
        if (_plateau.Step(value, lr) is { } newLr && BoundedScale(_scale * newLr / lr) is { } newScale)
        {
            string source = valLoss is null ? "smoothed training loss" : "validation loss";
            _policy.OnPlateauReduction();
            ChangeScale(newScale, EventKind.ReduceOnPlateau,
                $"plateau: {source} has not improved on {Format(_plateau.Best)} for more than {_spec.Plateau.Patience} evaluations, LR x{Format(newScale / _scale)}",
                Symptoms.Plateau);
        }
    }

    private void Smooth(double loss)
    {
        double beta = _spec.Smoothing;
        _smoothed = (beta * _smoothed) + ((1 - beta) * loss);
        _smoothingWeight = (beta * _smoothingWeight) + (1 - beta);
    }

    /// <summary>Resets the detectors after a rollback, an LR change or a resume: a new regime, judged on its own but measured from the run's untrained loss.</summary>
    private void ResetDetectors() => _detectors?.Reset(_guard.InitialLoss ?? double.NaN);

    /// <summary>Gets the scale an in-place change may set: a reduction stops at <see cref="DoctorSpec.MinScale"/>; <see langword="null"/> when that leaves nothing to change.</summary>
    private double? BoundedScale(double proposed)
    {
        if (proposed >= _scale)
        {
            return proposed;
        }

        double bounded = Math.Max(proposed, Math.Min(_scale, _spec.MinScale));
        return bounded < _scale * (1 - 1e-9) ? bounded : null;
    }

    private void ChangeScale(double newScale, EventKind kind, string reason, string? symptom)
    {
        double oldLr = CurrentLr;
        _scale = newScale;
        ResetDetectors();
        Record(kind, reason, symptom, oldLr, CurrentLr, new Dictionary<string, double>(StringComparer.Ordinal) { ["scale"] = _scale });
    }

    private Finding BlowUpFinding(in StepRecord record, bool finite) => new(
        Symptoms.NanExplosion,
        record.Step,
        Severity.Critical,
        finite
            ? $"the learning rate is far too high: the loss blew up to {Format(record.TrainLoss ?? 0)}, over {Format(_spec.BlowUpFactor)}x the untrained loss {Format(_guard.InitialLoss ?? 0)}"
            : "the learning rate is far too high (or the data has a bad value): the loss or gradient became non-finite",
        "roll back to the last good snapshot and cut the LR 10x or more",
        new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["loss"] = record.TrainLoss ?? double.NaN,
            ["gradNorm"] = record.GradNorm ?? double.NaN,
            ["lr"] = record.Lr ?? double.NaN,
            ["initialLoss"] = _guard.InitialLoss ?? double.NaN,
        });

    private void Record(EventKind kind, string reason, string? symptom, double oldLr, double newLr, IReadOnlyDictionary<string, double>? data)
    {
        long step = Math.Max(0, _stepsDone - 1);
        _interventions.Add(new Intervention(step, kind, oldLr, newLr, reason));
        Emit(kind, reason, symptom, oldLr, newLr, data);
    }

    private void Emit(EventKind kind, string reason, string? symptom = null, double? oldLr = null, double? newLr = null, IReadOnlyDictionary<string, double>? data = null)
    {
        _sink.OnEvent(new RunEvent(Math.Max(0, _stepsDone - 1), kind, reason, _options.Time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            Symptom = symptom,
            OldLr = oldLr,
            NewLr = newLr,
            Data = data,
        });
    }

    private static string Format(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>What of the step that triggered a rollback is still to be looked at once it is applied.</summary>
    private readonly record struct AfterStep(double? ValLoss, long Step, bool Finite);

    /// <summary>A rollback the engine is applying.</summary>
    private sealed record PendingRollback(
        SnapshotMark Snapshot, int Skipped, double Factor, EventKind Kind, string Reason, string? Symptom, double OldLr, bool RangeTestAsked, AfterStep? AfterStep);
}
