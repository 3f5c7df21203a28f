using System.Diagnostics;
using LrDoctor.Core;
using LrDoctor.Core.Doctor;
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
    private readonly TrainingRunOptions _options;
    private readonly ILrSchedule _schedule;
    private readonly RunDoctor _doctor;
    private readonly SnapshotRing _snapshots;
    private readonly string _runId;
    private long _step;
    private double? _lastValLoss;
    private double? _lastValAccuracy;
    private bool _resumed;

    private TrainingRun(TrainingSetup setup, IRunSink sink, TrainingRunOptions options)
    {
        _setup = setup;
        _options = options;
        _runId = options.RunId ?? setup.Job.Name;
        _schedule = JobSchedule.Create(setup.Job);
        _doctor = new RunDoctor(
            setup.Job.Doctor,
            new RunDoctorOptions { EvalEvery = setup.Job.EvalEvery, SnapshotEvery = setup.Job.CheckpointEvery, Detectors = options.Detectors },
            sink,
            _schedule.LearningRate);
        _snapshots = new SnapshotRing(setup, options.SnapshotCapacity);
    }

    /// <summary>Gets the number of optimizer steps done (the index of the next step).</summary>
    public long Step => Interlocked.Read(ref _step);

    /// <summary>Gets the number of steps of the job.</summary>
    public long TotalSteps => _setup.TotalSteps;

    /// <summary>Gets the current intervention scale (1 until the doctor or a command changes the LR).</summary>
    public double Scale => _doctor.Scale;

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
    public void Post(RunCommand command) => _doctor.Post(command);

    /// <summary>Gets the headline LR the next step will use (schedule x scale).</summary>
    public double CurrentLr => _doctor.CurrentLr;

    /// <summary>Trains to the end, a stop, a failure or cancellation.</summary>
    /// <param name="ct">Cancellation: writes a checkpoint when a directory is set, then returns state <c>interrupted</c>.</param>
    /// <returns>The summary.</returns>
    public RunSummary Run(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        RunState state = RunState.Completed;
        string? reason = null;
        if (!_resumed)
        {
            _doctor.Advise(PreflightAdvisor.Advise(_setup.Job));
        }

        if (!_resumed && _step == 0 && _setup.Job.FindLr)
        {
            FindLrBeforeTraining(ct);
        }

        _snapshots.Take(_step, _doctor.SmoothedLoss);
        var stepClock = new Stopwatch();
        while (_step < _setup.TotalSteps)
        {
            if (ct.IsCancellationRequested)
            {
                state = RunState.Interrupted;
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
            var record = TrainOneStep(_doctor.CurrentLr, stepClock);
            var action = _doctor.Observe(record, _snapshots.Marks);
            Interlocked.Exchange(ref _step, _doctor.StepsDone);
            if (Apply(action) is { } end)
            {
                (state, reason) = end;
                break;
            }
        }

        if (state == RunState.Completed && _step > 0 && _lastValLoss is null)
        {
            (_lastValLoss, _lastValAccuracy) = _setup.Evaluate();
        }

        _doctor.End(reason ?? $"completed {_step} steps");
        return new RunSummary
        {
            Run = _runId,
            State = state,
            FailureReason = reason,
            Steps = _step,
            Seconds = clock.Elapsed.TotalSeconds,
            FinalTrainLoss = _doctor.SmoothedLoss,
            FinalValLoss = _lastValLoss,
            FinalValAccuracy = _lastValAccuracy,
            Findings = [.. _doctor.Findings],
            Interventions = [.. _doctor.Interventions],
        };
    }

    /// <summary>Writes a checkpoint that <see cref="TrainingRunOptions.ResumeFromCheckpoint"/> continues exactly.</summary>
    /// <param name="path">The file to write.</param>
    /// <returns>The full path written.</returns>
    public string SaveCheckpoint(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckpointFile.Write(path, CheckpointState.Of(_setup.Job.Name, _step, _setup.Batches.Position, _setup.Parameters.Count, _doctor.Capture()), _setup);
        return Path.GetFullPath(path);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _snapshots.Dispose();
        _setup.Dispose();
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

    /// <summary>Applies the operator and alert commands queued since the last step; returns the end state and reason when one stops the run.</summary>
    private (RunState State, string Reason)? ApplyCommands()
    {
        for (var action = _doctor.BeforeStep(_snapshots.Marks); action.Kind != DoctorActionKind.Continue; action = _doctor.BeforeStep(_snapshots.Marks))
        {
            if (Apply(action) is { } stop)
            {
                return stop;
            }
        }

        return null;
    }

    /// <summary>Applies a doctor action and what follows from it, until the doctor says continue; returns the end state and reason when the run must stop.</summary>
    private (RunState State, string Reason)? Apply(DoctorAction action)
    {
        while (action.Kind != DoctorActionKind.Continue)
        {
            switch (action.Kind)
            {
                case DoctorActionKind.TakeSnapshot:
                    _snapshots.Take(_step, _doctor.SmoothedLoss);
                    action = DoctorAction.Continue;
                    break;
                case DoctorActionKind.Checkpoint:
                    CheckpointIfConfigured();
                    action = DoctorAction.Continue;
                    break;
                case DoctorActionKind.RollBack:
                    _snapshots.RollBackTo(action.SnapshotStep);
                    var test = action.RangeTest is { } options ? LrRangeTest.Run(_setup, options) : null;
                    _setup.Batches.Position += action.SkipBatches;
                    action = _doctor.CompleteRollback(test);
                    break;
                case DoctorActionKind.Stop:
                    if (action.CheckpointFirst)
                    {
                        CheckpointIfConfigured();
                    }

                    return (action.State, action.Reason ?? "stopped");
                default:
                    throw new InvalidOperationException($"unknown doctor action {action.Kind}");
            }
        }

        return null;
    }

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
        _doctor.Restore(state.Doctor(), state.Step, $"resumed from checkpoint {Path.GetFileName(path)} at step {state.Step}");
        _resumed = true;
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

    private void CheckpointIfConfigured()
    {
        if (_options.CheckpointDirectory is { } directory)
        {
            SaveCheckpoint(Path.Combine(directory, CheckpointName(_runId)));
        }
    }
}
