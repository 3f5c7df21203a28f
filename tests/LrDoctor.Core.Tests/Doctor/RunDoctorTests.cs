using LrDoctor.Core.Detectors;
using LrDoctor.Core.Doctor;
using LrDoctor.Core.Interventions;
using LrDoctor.Core.Jobs;
using LrDoctor.Core.LrFinder;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;

namespace LrDoctor.Core.Tests.Doctor;

public sealed class RunDoctorTests
{
    /// <summary>A run whose loss falls 2% a step at an LR up to 0.5 and doubles above it: an LR of 1 blows up, one of 0.1 trains.</summary>
    private static double Next(double loss, double lr) => lr > 0.5 ? loss * 2 : loss * (1 - (0.04 * lr / 0.1 * 0.5));

    [Fact]
    public void Observe_BlowUp_RollsBackToTheNewestSnapshotBeforeItCutsTenfoldAndTheRunTrainsOn()
    {
        var engine = new SimulatedEngine(new DoctorSpec { RetestLr = false }, lr: 1.0, blowUpAfter: 30);

        engine.Run(200);

        var rollback = Assert.Single(engine.Sink.Events, e => e.Kind == EventKind.RollbackAndCut);
        Assert.Equal(30, rollback.Data!["rolledBackToStep"]);
        Assert.Equal(rollback.OldLr!.Value * 0.1, rollback.NewLr!.Value, 12);
        Assert.Equal(rollback.NewLr!.Value, engine.Doctor.CurrentLr, 12);
        Assert.Contains(engine.Doctor.Findings, f => f.Symptom == Symptoms.NanExplosion && f.Severity == Severity.Critical && f.OnsetStep > 30);
        Assert.Equal(200, engine.Doctor.StepsDone);
        Assert.True(engine.Loss < 0.5 * SimulatedEngine.Untrained, $"loss {engine.Loss}");
    }

    [Fact]
    public void Observe_NewestSnapshotAlreadyDamaged_PassesOverItToTheLastGoodOne()
    {
        var doctor = NewDoctor(new DoctorSpec { RetestLr = false }, out _);
        SnapshotMark[] marks = [new(0, null), new(50, 0.5), new(100, 2.2)];
        Feed(doctor, marks, 0, [.. Enumerable.Range(0, 120).Select(t => 2.3 * Math.Pow(0.99, t))]);

        var action = Observe(doctor, marks, 120, 100.0);

        Assert.Equal(DoctorActionKind.RollBack, action.Kind);
        Assert.Equal(50, action.SnapshotStep);
        Assert.Null(action.RangeTest);
        doctor.CompleteRollback();
        Assert.Equal(0.5, doctor.SmoothedLoss);
        Assert.Contains("passing over 1 newer one", doctor.Interventions[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CompleteRollback_RangeTestFromTheUntrainedState_MayLowerTheCutByOneMoreCutAtMost()
    {
        var doctor = NewDoctor(new DoctorSpec(), out var sink);
        SnapshotMark[] marks = [new(0, null)];
        Feed(doctor, marks, 0, [2.3]);

        var action = Observe(doctor, marks, 1, double.NaN);

        Assert.Equal(DoctorActionKind.RollBack, action.Kind);
        Assert.Equal(0, action.SnapshotStep);
        var test = Assert.IsType<LrFinderOptions>(action.RangeTest);
        Assert.Equal(RollbackRangeTest.Batches, test.Steps);
        Assert.Equal(1.0, test.MaxLr, 12);
        var recommendsFarLower = new LrFinderResult([], new LrFinderSuggestions(1e-6, 1e-6, 1e-6), Recommended: 1e-6, DivergenceLr: 0.2, StoppedEarly: false, Seconds: 0.1);
        Assert.Equal(DoctorActionKind.Continue, doctor.CompleteRollback(recommendsFarLower).Kind);
        Assert.Equal(0.01, doctor.Scale, 12);
        var rollback = sink.Events.Single(e => e.Kind == EventKind.RollbackAndCut);
        Assert.Equal(0.2, rollback.Data!["rangeTestDivergenceLr"]);
        Assert.Contains("cut once more", rollback.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_RepeatedBlowUps_StopsAsFailedOnceTheRollbackBudgetIsSpent()
    {
        var engine = new SimulatedEngine(new DoctorSpec { RetestLr = false, MaxRollbacks = 2, CutFactor = 0.9 }, lr: 10.0, blowUpAfter: 0);

        var end = engine.Run(500);

        Assert.Equal(RunState.Failed, end!.State);
        Assert.Contains("after 2 rollbacks", end.Reason, StringComparison.Ordinal);
        Assert.Equal(2, engine.Doctor.Rollbacks);
        Assert.True(engine.Doctor.StepsDone < 500);
    }

    [Fact]
    public void ReduceOnPlateau_FlatValidationLoss_CutsTheScaleNotBelowMinScaleAndKeepsTheScheduleShape()
    {
        var spec = new DoctorSpec { MinScale = 1e-3, Plateau = new PlateauSpec { Patience = 1 } };
        var sink = new ListSink();
        var doctor = new RunDoctor(spec, new RunDoctorOptions { EvalEvery = 10, SnapshotEvery = 1000 }, sink, t => 0.1 * (1 + Math.Cos(Math.PI * t / 1000)) / 2);
        SnapshotMark[] marks = [new(0, null)];
        for (long t = 0; t < 400; t++)
        {
            var record = new StepRecord(t, 1.0, ValLoss: t % 10 == 9 ? 0.7 : null, Lr: doctor.CurrentLr);
            Assert.Equal(DoctorActionKind.Continue, doctor.Observe(record, marks).Kind);
        }

        // PyTorch's semantics with patience 1: a cut at every second evaluation without improvement, each x0.1, until the
        // scale reaches MinScale; the last cut is bounded there, and none follows.
        var cuts = sink.Events.Where(e => e.Kind == EventKind.ReduceOnPlateau).ToList();
        Assert.InRange(cuts.Count, 3, 5);
        Assert.Equal(1e-3, doctor.Scale, 12);
        Assert.All(cuts, c => Assert.Equal(Symptoms.Plateau, c.Symptom));
        Assert.All(cuts[..^1], c => Assert.Equal(c.OldLr!.Value * 0.1, c.NewLr!.Value, 12));
        Assert.True(cuts[^1].NewLr >= cuts[^1].OldLr * 0.1 * (1 - 1e-12));
        Assert.True(cuts[^1].Step < 150, $"last cut at {cuts[^1].Step}");
        Assert.Equal(0.1 * (1 + Math.Cos(Math.PI * 400 / 1000)) / 2 * 1e-3, doctor.CurrentLr, 15);
    }

    [Theory]
    [InlineData("advise")]
    [InlineData("off")]
    public void Observe_NonFiniteLossWhenNotAuto_StopsAsFailedWithoutTreating(string mode)
    {
        var doctor = NewDoctor(new DoctorSpec { Mode = mode }, out var sink);
        SnapshotMark[] marks = [new(0, null)];
        Feed(doctor, marks, 0, [2.3, 2.2, 2.1]);

        var action = Observe(doctor, marks, 3, double.PositiveInfinity);

        Assert.Equal(DoctorActionKind.Stop, action.Kind);
        Assert.Equal(RunState.Failed, action.State);
        Assert.Contains($"the doctor is '{mode}'", action.Reason, StringComparison.Ordinal);
        Assert.Empty(doctor.Interventions);
        Assert.Equal(1.0, doctor.Scale);
        Assert.Equal(mode == "advise" ? 1 : 0, doctor.Findings.Count(f => f.Symptom == Symptoms.NanExplosion));
        Assert.Equal(4, sink.Steps.Count);
    }

    [Fact]
    public void BeforeStep_Commands_ApplyInOrderAtTheStepBoundary()
    {
        var doctor = NewDoctor(new DoctorSpec(), out var sink);
        SnapshotMark[] marks = [new(0, null), new(10, 1.5)];
        Feed(doctor, marks, 0, [.. Enumerable.Repeat(2.0, 20)]);
        doctor.Post(new RunCommand(RunCommandKind.SetLr, 0.05, "operator"));
        doctor.Post(new RunCommand(RunCommandKind.ScaleLr, 0.5));
        doctor.Post(new RunCommand(RunCommandKind.RollbackAndCut, 0.5));
        doctor.Post(new RunCommand(RunCommandKind.Checkpoint));
        doctor.Post(new RunCommand(RunCommandKind.Stop, Reason: "done"));

        Assert.Equal(DoctorActionKind.RollBack, doctor.BeforeStep(marks).Kind);
        Assert.Equal(0.025, doctor.CurrentLr, 12);
        Assert.Equal(DoctorActionKind.Continue, doctor.CompleteRollback().Kind);
        Assert.Equal(0.0125, doctor.CurrentLr, 12);
        Assert.Equal(DoctorActionKind.Checkpoint, doctor.BeforeStep(marks).Kind);
        var stop = doctor.BeforeStep(marks);
        Assert.Equal(DoctorActionKind.Stop, stop.Kind);
        Assert.Equal(RunState.Stopped, stop.State);
        Assert.True(stop.CheckpointFirst);
        Assert.Equal(DoctorActionKind.Continue, doctor.BeforeStep(marks).Kind);
        Assert.Equal([EventKind.SetLr, EventKind.SetLr, EventKind.RollbackAndCut], doctor.Interventions.Select(i => i.Kind));
        Assert.Equal(10, sink.Events.Single(e => e.Kind == EventKind.RollbackAndCut).Data!["rolledBackToStep"]);
    }

    [Fact]
    public void CaptureRestore_ResumedDoctor_DecidesExactlyAsTheOriginal()
    {
        var spec = new DoctorSpec { RetestLr = false };
        var original = new SimulatedEngine(spec, lr: 1.0, blowUpAfter: 30);
        original.Run(120);
        var state = original.Doctor.Capture();

        var resumed = NewDoctor(spec, out var sink);
        resumed.Restore(state, original.Doctor.StepsDone, "resumed for the test");

        Assert.Equal(original.Doctor.Scale, resumed.Scale);
        Assert.Equal(original.Doctor.SmoothedLoss, resumed.SmoothedLoss);
        Assert.Equal(original.Doctor.InitialLoss, resumed.InitialLoss);
        Assert.Equal(original.Doctor.Rollbacks, resumed.Rollbacks);
        Assert.Equal(original.Doctor.CurrentLr, resumed.CurrentLr);
        Assert.Equal(EventKind.Resume, Assert.Single(sink.Events).Kind);
    }

    private static RunDoctor NewDoctor(DoctorSpec spec, out ListSink sink)
    {
        sink = new ListSink();
        return new RunDoctor(spec, new RunDoctorOptions { EvalEvery = 1000, SnapshotEvery = 1000 }, sink, _ => 1.0);
    }

    private static void Feed(RunDoctor doctor, IReadOnlyList<SnapshotMark> marks, long from, double[] losses)
    {
        for (int i = 0; i < losses.Length; i++)
        {
            Assert.Equal(DoctorActionKind.Continue, Observe(doctor, marks, from + i, losses[i]).Kind);
        }
    }

    private static DoctorAction Observe(RunDoctor doctor, IReadOnlyList<SnapshotMark> marks, long step, double loss) =>
        doctor.Observe(new StepRecord(step, loss, Lr: doctor.CurrentLr), marks);

    /// <summary>A sink that keeps what the doctor sends.</summary>
    private sealed class ListSink : IRunSink
    {
        public List<StepRecord> Steps { get; } = [];

        public List<RunEvent> Events { get; } = [];

        public void OnStep(in StepRecord record) => Steps.Add(record);

        public void OnFinding(Finding finding)
        {
        }

        public void OnEvent(RunEvent runEvent) => Events.Add(runEvent);
    }

    /// <summary>An engine whose "model" is one number: the loss, which <see cref="Next"/> moves by the LR; snapshots copy it.</summary>
    private sealed class SimulatedEngine
    {
        public const double Untrained = 2.3;

        private readonly Dictionary<long, double> _states = [];
        private readonly List<SnapshotMark> _marks = [];
        private readonly double _lr;
        private readonly int _blowUpAfter;

        public SimulatedEngine(DoctorSpec spec, double lr, int blowUpAfter)
        {
            _lr = lr;
            _blowUpAfter = blowUpAfter;
            Doctor = new RunDoctor(spec, new RunDoctorOptions { EvalEvery = 50, SnapshotEvery = 10 }, Sink, _ => _lr);
        }

        public RunDoctor Doctor { get; }

        public ListSink Sink { get; } = new();

        public double Loss { get; private set; } = Untrained;

        /// <summary>Trains to <paramref name="steps"/>; the LR is 0.1 x the scale for the first <c>blowUpAfter</c> steps (a good start), then the configured LR x the scale.</summary>
        public DoctorAction? Run(long steps)
        {
            Snapshot();
            while (Doctor.StepsDone < steps)
            {
                for (var command = Doctor.BeforeStep(_marks); command.Kind != DoctorActionKind.Continue; command = Doctor.BeforeStep(_marks))
                {
                    if (Apply(command) is { } stop)
                    {
                        return stop;
                    }
                }

                long t = Doctor.StepsDone;
                double lr = t < _blowUpAfter ? 0.1 * Doctor.Scale : Doctor.CurrentLr;
                Loss = Next(Loss, lr);
                if (Apply(Doctor.Observe(new StepRecord(t, Loss, Lr: lr), _marks)) is { } end)
                {
                    return end;
                }
            }

            return null;
        }

        private DoctorAction? Apply(DoctorAction action)
        {
            while (action.Kind != DoctorActionKind.Continue)
            {
                switch (action.Kind)
                {
                    case DoctorActionKind.TakeSnapshot:
                        Snapshot();
                        action = DoctorAction.Continue;
                        break;
                    case DoctorActionKind.RollBack:
                        Loss = _states[action.SnapshotStep];
                        _marks.RemoveAll(m => m.Step > action.SnapshotStep);
                        action = Doctor.CompleteRollback();
                        break;
                    case DoctorActionKind.Stop:
                        return action;
                    default:
                        action = DoctorAction.Continue;
                        break;
                }
            }

            return null;
        }

        private void Snapshot()
        {
            _states[Doctor.StepsDone] = Loss;
            _marks.Add(new SnapshotMark(Doctor.StepsDone, Doctor.SmoothedLoss));
        }
    }
}
