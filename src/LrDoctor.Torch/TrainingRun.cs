using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using LrDoctor.Core;
using LrDoctor.Core.Detectors;
using LrDoctor.Core.Interventions;
using LrDoctor.Core.Jobs;
using LrDoctor.Core.Preflight;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;
using LrDoctor.Core.Schedules;
using LrDoctor.Torch.Training;
using static TorchSharp.torch;

namespace LrDoctor.Torch;

/// <summary>One training run of a job with the doctor in the loop: records every step, watches it with the detectors, treats what they find.</summary>
/// <remarks>
/// The LR of step t is schedule(t) x scale x group multiplier; interventions and commands change only the scale, so they
/// compose with any schedule. Commands posted from other threads apply at the next step boundary.
/// </remarks>
public sealed partial class TrainingRun : IDisposable
{
    private readonly TrainingSetup _setup;
    private readonly IRunSink _sink;
    private readonly TrainingRunOptions _options;
    private readonly ILrSchedule _schedule;
    private readonly DetectorSuite? _detectors;
    private readonly DoctorPolicy _policy;
    private readonly ReduceOnPlateau _plateau;
    private readonly SnapshotRing _snapshots;
    private readonly BlowUpGuard _guard;
    private readonly ConcurrentQueue<RunCommand> _commands = new();
    private readonly List<Finding> _findings = [];
    private readonly List<Finding> _newFindings = [];
    private readonly List<Intervention> _interventions = [];
    private readonly DoctorSpec _doctor;
    private readonly string _runId;
    private double _scale = 1.0;
    private long _step;
    private double _smoothed;
    private double _smoothingWeight;
    private double? _lastValLoss;
    private double? _lastValAccuracy;
    private bool _resumed;
    private bool _blownUp;

    private TrainingRun(TrainingSetup setup, IRunSink sink, TrainingRunOptions options)
    {
        _setup = setup;
        _sink = sink;
        _options = options;
        _doctor = setup.Job.Doctor;
        _runId = options.RunId ?? setup.Job.Name;
        _schedule = JobSchedule.Create(setup.Job);
        _detectors = _doctor.Mode == DoctorSpec.Off ? null : DetectorSuite.CreateDefault(options.Detectors);
        _policy = new DoctorPolicy(_doctor);
        _plateau = new ReduceOnPlateau(_doctor.Plateau);
        _snapshots = new SnapshotRing(setup, options.SnapshotCapacity);
        _guard = new BlowUpGuard(_doctor.BlowUpFactor);
    }

    /// <summary>Gets the number of optimizer steps done (the index of the next step).</summary>
    public long Step => Interlocked.Read(ref _step);

    /// <summary>Gets the number of steps of the job.</summary>
    public long TotalSteps => _setup.TotalSteps;

    /// <summary>Gets the current intervention scale (1 until the doctor or a command changes the LR).</summary>
    public double Scale => _scale;

    /// <summary>Gets the run id.</summary>
    public string RunId => _runId;

    /// <summary>Gets the setup (model, optimizer, data) this run trains.</summary>
    internal TrainingSetup Setup => _setup;

    /// <summary>Gets the snapshot ring.</summary>
    internal SnapshotRing Snapshots => _snapshots;

    /// <summary>Creates a run: builds model, optimizer and data, and resumes from a checkpoint when the options name one.</summary>
    /// <param name="job">The job.</param>
    /// <param name="sink">Where steps, findings and events go.</param>
    /// <param name="options">Hosting options.</param>
    /// <returns>The run, ready for <see cref="Run"/>.</returns>
    /// <exception cref="SpecException">The job cannot be honoured (missing file, bad data, bad schedule...).</exception>
    public static TrainingRun Create(JobSpec job, IRunSink sink, TrainingRunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(sink);
        options ??= new TrainingRunOptions();
        OpenMpWaitPolicy.PreferPassive();
        if (options.Threads is { } threads)
        {
            set_num_threads(threads);
        }

        var setup = TrainingSetup.Create(job, options.JobDirectory);
        try
        {
            var run = new TrainingRun(setup, sink, options);
            if (options.ResumeFromCheckpoint is { } checkpoint)
            {
                run.Resume(checkpoint);
            }

            return run;
        }
        catch
        {
            setup.Dispose();
            throw;
        }
    }

    /// <summary>Posts a command; it applies at the next step boundary (thread-safe).</summary>
    /// <param name="command">The command.</param>
    public void Post(RunCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        _commands.Enqueue(command);
    }

    /// <summary>Gets the headline LR the next step will use (schedule x scale).</summary>
    public double CurrentLr => _schedule.LearningRate(_step) * _scale;

    /// <summary>Trains to the end, a stop, a failure or cancellation.</summary>
    /// <param name="ct">Cancellation: writes a checkpoint when a directory is set, then returns state <c>interrupted</c>.</param>
    /// <returns>The summary.</returns>
    public RunSummary Run(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        string state = RunStates.Completed;
        string? reason = null;
        if (!_resumed && _doctor.Mode != DoctorSpec.Off)
        {
            foreach (var advice in PreflightAdvisor.Advise(_setup.Job))
            {
                Emit(EventKinds.Advice, advice.Reason, data: new Dictionary<string, double>(StringComparer.Ordinal) { ["code_" + advice.Code] = 1 });
            }
        }

        if (!_resumed && _step == 0 && _setup.Job.FindLr)
        {
            FindLrBeforeTraining(ct);
        }

        _snapshots.Take(_step, SmoothedLoss);
        var stepClock = new Stopwatch();
        while (_step < _setup.TotalSteps)
        {
            if (ct.IsCancellationRequested)
            {
                state = RunStates.Interrupted;
                reason = "cancelled (shutdown)";
                CheckpointIfConfigured();
                break;
            }

            if (ApplyCommands() is { } stop)
            {
                (state, reason) = stop;
                break;
            }

            stepClock.Restart();
            double lr = CurrentLr;
            var record = TrainOneStep(lr, stepClock);
            _sink.OnStep(record);
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

            Interlocked.Increment(ref _step);
            if (Treat(lr, finite) is { } failure)
            {
                state = RunStates.Failed;
                reason = failure;
                break;
            }

            if (record.ValLoss is not null || record.Step % _setup.Job.EvalEvery == _setup.Job.EvalEvery - 1)
            {
                ReduceOnPlateauIfDue(record);
            }

            if (_step % _setup.Job.CheckpointEvery == 0 && finite && !(_detectors?.AnyActive ?? false))
            {
                _snapshots.Take(_step, SmoothedLoss);
            }
        }

        if (state == RunStates.Completed && _step > 0 && _lastValLoss is null)
        {
            (_lastValLoss, _lastValAccuracy) = _setup.Evaluate();
        }

        string endReason = reason ?? $"completed {_step} steps";
        Emit(EventKinds.RunEnded, endReason, data: new Dictionary<string, double>(StringComparer.Ordinal) { ["steps"] = _step });
        return new RunSummary
        {
            Run = _runId,
            State = state,
            FailureReason = reason,
            Steps = _step,
            Seconds = clock.Elapsed.TotalSeconds,
            FinalTrainLoss = SmoothedLoss,
            FinalValLoss = _lastValLoss,
            FinalValAccuracy = _lastValAccuracy,
            Findings = [.. _findings],
            Interventions = [.. _interventions],
        };
    }

    /// <summary>Writes a checkpoint that <see cref="TrainingRunOptions.ResumeFromCheckpoint"/> continues exactly.</summary>
    /// <param name="path">The file to write.</param>
    /// <returns>The full path written.</returns>
    public string SaveCheckpoint(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var state = new CheckpointState
        {
            Job = _setup.Job.Name,
            Step = _step,
            Scale = _scale,
            DataPosition = _setup.Batches.Position,
            SmoothedLoss = _smoothingWeight > 0 ? _smoothed : null,
            SmoothingWeight = _smoothingWeight,
            Rollbacks = _policy.Rollbacks,
            LastUnstableLr = _policy.LastUnstableLr,
            PlateauReducedSinceRaise = _policy.PlateauReducedSinceRaise,
            PlateauBest = _plateau.Best,
            PlateauBad = _plateau.NumBadEpochs,
            PlateauCooldown = _plateau.CooldownCounter,
            PlateauEpoch = _plateau.LastEpoch,
            ParameterCount = _setup.Parameters.Count,
            InitialLoss = _guard.InitialLoss,
        };
        CheckpointFile.Write(path, state, _setup);
        return Path.GetFullPath(path);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _snapshots.Dispose();
        _setup.Dispose();
    }

    private double? SmoothedLoss => _smoothingWeight > 0 ? _smoothed / _smoothingWeight : null;

    private void Resume(string path)
    {
        CheckpointState state;
        try
        {
            state = CheckpointFile.Read(path, _setup);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or EndOfStreamException)
        {
            throw new SpecException("checkpoint", $"cannot resume from '{path}': {e.Message}");
        }

        _step = state.Step;
        _scale = state.Scale;
        _smoothed = state.SmoothedLoss ?? 0;
        _smoothingWeight = state.SmoothingWeight;
        _policy.Restore(state.Rollbacks, state.LastUnstableLr, state.PlateauReducedSinceRaise);
        _plateau.Restore(state.PlateauBest, state.PlateauBad, state.PlateauCooldown, state.PlateauEpoch);
        _guard.Restore(state.InitialLoss);
        ResetDetectors();
        _resumed = true;
        Emit(EventKinds.Resume, $"resumed from checkpoint {Path.GetFileName(path)} at step {state.Step}");
    }

    private StepRecord TrainOneStep(double lr, Stopwatch stepClock)
    {
        _setup.SetLearningRate(lr);
        if (_schedule.CyclesMomentum && _schedule.Momentum(_step) is { } momentum)
        {
            _setup.SetMomentum(momentum);
        }

        double epoch = _setup.Batches.Epoch;
        double lossValue;
        double? gradNorm = null;
        using (NewDisposeScope())
        {
            _setup.Optimizer.zero_grad();
            var loss = _setup.BatchLoss(_setup.Batches.Next());
            loss.backward();
            if (_setup.Job.GradClip is { } clip)
            {
                gradNorm = nn.utils.clip_grad_norm_(_setup.Parameters, clip);
            }
            else if (_step % _options.GradNormEvery == 0)
            {
                gradNorm = GradientNorm.Total(_setup.Parameters);
            }

            lossValue = loss.item<float>();
            if (double.IsFinite(lossValue) && double.IsFinite(gradNorm ?? 0))
            {
                _setup.Optimizer.step();
            }
        }

        double? valLoss = null;
        double? valAccuracy = null;
        if (_step % _setup.Job.EvalEvery == _setup.Job.EvalEvery - 1 || _step == _setup.TotalSteps - 1)
        {
            (valLoss, valAccuracy) = _setup.Evaluate();
            _lastValLoss = valLoss;
            _lastValAccuracy = valAccuracy;
        }

        double[] groupLrs = _setup.GroupLearningRates();
        return new StepRecord(_step, lossValue, valLoss, groupLrs[0], gradNorm)
        {
            ValAccuracy = valAccuracy,
            Momentum = _setup.Momentum(),
            StepSeconds = stepClock.Elapsed.TotalSeconds,
            Epoch = epoch,
            GroupLrs = groupLrs.Length > 1 ? groupLrs : null,
        };
    }

    private void Smooth(double loss)
    {
        double beta = _doctor.Smoothing;
        _smoothed = (beta * _smoothed) + ((1 - beta) * loss);
        _smoothingWeight = (beta * _smoothingWeight) + (1 - beta);
    }

    private Finding BlowUpFinding(StepRecord record, bool finite) => new(
        Symptoms.NanExplosion,
        record.Step,
        Severity.Critical,
        finite
            ? $"the learning rate is far too high: the loss blew up to {Format(record.TrainLoss ?? 0)}, over {Format(_doctor.BlowUpFactor)}x the untrained loss {Format(_guard.InitialLoss ?? 0)}"
            : "the learning rate is far too high (or the data has a bad value): the loss or gradient became non-finite",
        "roll back to the last good snapshot and cut the LR 10x or more",
        new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["loss"] = record.TrainLoss ?? double.NaN,
            ["gradNorm"] = record.GradNorm ?? double.NaN,
            ["lr"] = record.Lr ?? double.NaN,
            ["initialLoss"] = _guard.InitialLoss ?? double.NaN,
        });

    /// <summary>Records new findings and, in auto mode, treats them; returns a failure reason when the run must stop.</summary>
    private string? Treat(double lr, bool finite)
    {
        bool rolledBack = false;
        foreach (var finding in _newFindings)
        {
            _findings.Add(finding);
            _sink.OnFinding(finding);
            Emit(EventKinds.Finding, $"{finding.Symptom} ({finding.Severity.ToString().ToLowerInvariant()}) from step {finding.OnsetStep}: {finding.Cause}", finding.Symptom, data: finding.Evidence);
            if (_doctor.Mode != DoctorSpec.Auto || rolledBack)
            {
                continue;
            }

            if (_policy.Decide(finding, lr, _scale) is not { } decision)
            {
                continue;
            }

            if (decision.Fail)
            {
                return decision.Reason;
            }

            if (decision.Rollback)
            {
                RollBack(finding.OnsetStep, decision.Factor, decision.Kind, decision.Reason, decision.Symptom, retest: _doctor.RetestLr && decision.Symptom == Symptoms.NanExplosion);
                rolledBack = true;
            }
            else if (BoundedScale(_scale * decision.Factor) is { } newScale)
            {
                ChangeScale(newScale, decision.Kind, decision.Reason, decision.Symptom);
            }
        }

        if (!finite && !rolledBack)
        {
            // Advise/off, or auto with the rollback budget spent: a non-finite model cannot train on.
            return $"non-finite loss or gradient at step {_step - 1} (LR {Format(lr)}); the doctor is '{_doctor.Mode}' so the run stops instead of training on NaN";
        }

        return null;
    }

    /// <summary>Restores the last good snapshot before <paramref name="onsetStep"/> and cuts the scale; with <paramref name="retest"/>, when that snapshot is the untrained state, a short range test from it may lower the cut LR.</summary>
    private void RollBack(long onsetStep, double factor, string kind, string reason, string? symptom, bool retest = false)
    {
        var (snapshot, skipped) = _snapshots.For(onsetStep, _guard.InitialLoss);
        if (snapshot is null)
        {
            return;
        }

        reason += skipped == 0
            ? $"; restored the snapshot of step {snapshot.Step}"
            : $"; restored the snapshot of step {snapshot.Step}, passing over {skipped} newer one(s) taken after the loss had given back most of its progress";

        double oldLr = CurrentLr;
        snapshot.Restore(_setup);
        _snapshots.DropAfter(snapshot.Step);
        _smoothed = snapshot.SmoothedLoss ?? 0;
        _smoothingWeight = snapshot.SmoothedLoss is null ? 0 : 1;
        var data = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["rolledBackToStep"] = snapshot.Step,
            ["skippedSnapshots"] = skipped,
            ["skippedBatches"] = _doctor.SkipBatches,
        };
        if (retest && snapshot.Step == 0 && oldLr > 0 && double.IsFinite(oldLr))
        {
            var test = LrRangeTest.Run(_setup, RollbackRangeTest.Options(oldLr));
            (double newLr, string why) = RollbackRangeTest.Choose(oldLr, factor, test);
            factor = newLr / oldLr;
            reason += "; " + why;
            data["rangeTestBatches"] = test.Points.Count;
            if (test.Recommended is double recommended)
            {
                data["rangeTestRecommended"] = recommended;
            }

            if (test.DivergenceLr is double divergence)
            {
                data["rangeTestDivergenceLr"] = divergence;
                _policy.OnUnstableLr(divergence);
            }
        }

        _setup.Batches.Position += _doctor.SkipBatches;
        ResetDetectors();
        _blownUp = false;
        _scale *= factor;
        data["scale"] = _scale;
        Record(kind, reason, symptom, oldLr, CurrentLr, data);
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

        double bounded = Math.Max(proposed, Math.Min(_scale, _doctor.MinScale));
        return bounded < _scale * (1 - 1e-9) ? bounded : null;
    }

    private void ChangeScale(double newScale, string kind, string reason, string? symptom)
    {
        double oldLr = CurrentLr;
        _scale = newScale;
        ResetDetectors();
        Record(kind, reason, symptom, oldLr, CurrentLr, new Dictionary<string, double>(StringComparer.Ordinal) { ["scale"] = _scale });
    }

    private void ReduceOnPlateauIfDue(StepRecord record)
    {
        if (_doctor.Mode != DoctorSpec.Auto || !_doctor.Plateau.Enabled)
        {
            return;
        }

        double? metric = record.ValLoss ?? SmoothedLoss;
        if (metric is not { } value)
        {
            return;
        }

        double lr = CurrentLr;
        if (_plateau.Step(value, lr) is { } newLr && BoundedScale(_scale * newLr / lr) is { } newScale)
        {
            string source = record.ValLoss is null ? "smoothed training loss" : "validation loss";
            _policy.OnPlateauReduction();
            ChangeScale(newScale, EventKinds.ReduceOnPlateau,
                $"plateau: {source} has not improved on {Format(_plateau.Best)} for more than {_doctor.Plateau.Patience} evaluations, LR x{Format(newScale / _scale)}",
                Symptoms.Plateau);
        }
    }

    private (string State, string Reason)? ApplyCommands()
    {
        while (_commands.TryDequeue(out var command))
        {
            string why = command.Reason ?? "on request";
            switch (command.Kind)
            {
                case RunCommandKind.Stop:
                    CheckpointIfConfigured();
                    return (RunStates.Stopped, $"stopped at step {_step}: {why}");
                case RunCommandKind.SetLr when command.Value is > 0 and var lr:
                    ChangeScale(lr / _schedule.LearningRate(_step), EventKinds.SetLr, $"LR set to {Format(lr)}: {why}", null);
                    break;
                case RunCommandKind.ScaleLr when command.Value is > 0 and var factor:
                    ChangeScale(_scale * factor, EventKinds.SetLr, $"LR scaled x{Format(factor)}: {why}", null);
                    break;
                case RunCommandKind.RollbackAndCut:
                    RollBack(_step, command.Value is > 0 and < 1 ? command.Value.Value : _doctor.CutFactor, EventKinds.RollbackAndCut, $"rolled back and cut the LR: {why}", null);
                    break;
                case RunCommandKind.Checkpoint:
                    CheckpointIfConfigured();
                    break;
                default:
                    Emit(EventKinds.SetLr, $"ignored command {command.Kind} without a valid value: {why}");
                    break;
            }
        }

        return null;
    }

    private void CheckpointIfConfigured()
    {
        if (_options.CheckpointDirectory is { } directory)
        {
            SaveCheckpoint(Path.Combine(directory, CheckpointName(_runId)));
        }
    }

    /// <summary>Gets the checkpoint file name of a run in its checkpoint directory.</summary>
    /// <param name="runId">The run id.</param>
    /// <returns>The file name.</returns>
    public static string CheckpointName(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        var safe = runId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        return new string(safe) + ".ckpt";
    }

    private void Record(string kind, string reason, string? symptom, double oldLr, double newLr, IReadOnlyDictionary<string, double>? data)
    {
        long step = Math.Max(0, _step - 1);
        _interventions.Add(new Intervention(step, kind, oldLr, newLr, reason));
        Emit(kind, reason, symptom, oldLr, newLr, data);
    }

    private void Emit(string kind, string reason, string? symptom = null, double? oldLr = null, double? newLr = null, IReadOnlyDictionary<string, double>? data = null)
    {
        _sink.OnEvent(new RunEvent(Math.Max(0, _step - 1), kind, reason, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
        {
            Symptom = symptom,
            OldLr = oldLr,
            NewLr = newLr,
            Data = data,
        });
    }

    private static string Format(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
