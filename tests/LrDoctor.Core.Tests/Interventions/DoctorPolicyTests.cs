using LrDoctor.Core.Detectors;
using LrDoctor.Core.Interventions;
using LrDoctor.Core.Jobs;
using LrDoctor.Core.Runs;

namespace LrDoctor.Core.Tests.Interventions;

public sealed class DoctorPolicyTests
{
    private static Finding Found(string symptom, Severity severity = Severity.Warning, long onset = 100) =>
        new(symptom, onset, severity, "cause", "action", new Dictionary<string, double>());

    [Fact]
    public void Decide_NanExplosion_RollsBackAndCutsByCutFactor()
    {
        var policy = new DoctorPolicy(new DoctorSpec());

        var decision = policy.Decide(Found(Symptoms.NanExplosion, Severity.Critical), 1.0);

        Assert.NotNull(decision);
        Assert.Equal(EventKind.RollbackAndCut, decision.Kind);
        Assert.True(decision.Rollback);
        Assert.False(decision.Fail);
        Assert.Equal(0.1, decision.Factor);
        Assert.Equal(1, policy.Rollbacks);
        Assert.Contains("step 100", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_CriticalSpike_RollsBackWithSpikeCut_WarningSpikeDoesNothing()
    {
        var policy = new DoctorPolicy(new DoctorSpec { SpikeCutFactor = 0.4 });

        var critical = policy.Decide(Found(Symptoms.Spike, Severity.Critical), 1.0);
        var warning = policy.Decide(Found(Symptoms.Spike, Severity.Warning), 1.0);

        Assert.Equal(0.4, critical!.Factor);
        Assert.True(critical.Rollback);
        Assert.Null(warning);
    }

    [Fact]
    public void Decide_MoreCatastrophesThanMaxRollbacks_FailsWithReason()
    {
        var policy = new DoctorPolicy(new DoctorSpec { MaxRollbacks = 2 });

        var first = policy.Decide(Found(Symptoms.NanExplosion, Severity.Critical), 1.0);
        var second = policy.Decide(Found(Symptoms.NanExplosion, Severity.Critical), 0.1);
        var third = policy.Decide(Found(Symptoms.NanExplosion, Severity.Critical), 0.01);

        Assert.True(first!.Rollback);
        Assert.True(second!.Rollback);
        Assert.True(third!.Fail);
        Assert.Contains("2 rollbacks", third.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_Oscillation_CutsInPlace()
    {
        var policy = new DoctorPolicy(new DoctorSpec { OscillationCutFactor = 0.3 });

        var decision = policy.Decide(Found(Symptoms.Oscillation), 0.5);

        Assert.Equal(EventKind.CutLr, decision!.Kind);
        Assert.False(decision.Rollback);
        Assert.Equal(0.3, decision.Factor);
        Assert.Equal(0.5, policy.LastUnstableLr);
    }

    [Fact]
    public void Decide_TooSlow_RaisesByRaiseFactor_WhenNeverUnstable()
    {
        var policy = new DoctorPolicy(new DoctorSpec { RaiseFactor = 3 });

        var decision = policy.Decide(Found(Symptoms.TooSlow), 0.01);

        Assert.Equal(EventKind.RaiseLr, decision!.Kind);
        Assert.Equal(3, decision.Factor, 12);
    }

    [Fact]
    public void Decide_TooSlowAfterInstability_RaiseBoundedBelowUnstableLr()
    {
        var policy = new DoctorPolicy(new DoctorSpec { RaiseFactor = 10, RaiseCeiling = 0.5 });
        policy.Decide(Found(Symptoms.Oscillation), 1.0);

        var raise = policy.Decide(Found(Symptoms.TooSlow), 0.1);
        var none = policy.Decide(Found(Symptoms.TooSlow), 0.5);

        Assert.Equal(5.0, raise!.Factor, 12);
        Assert.Contains("bounded", raise.Reason, StringComparison.Ordinal);
        Assert.Null(none);
    }

    [Theory]
    [InlineData(Symptoms.Plateau)]
    [InlineData(Symptoms.TrainValDivergence)]
    public void Decide_SymptomsWithoutAnLrCut_ReturnNull(string symptom)
    {
        var policy = new DoctorPolicy(new DoctorSpec());

        Assert.Null(policy.Decide(Found(symptom), 0.1));
    }
    [Fact]
    public void Decide_TooSlowAfterAPlateauReduction_DoesNotRaise()
    {
        var policy = new DoctorPolicy(new DoctorSpec { RaiseFactor = 3 });

        // Scale 0.1 with no instability on record: reduce-on-plateau lowered the LR; raising would undo it.
        Assert.Null(policy.Decide(Found(Symptoms.TooSlow), 0.001, scale: 0.1));
        Assert.NotNull(policy.Decide(Found(Symptoms.TooSlow), 0.001, scale: 1.0));
    }

    [Fact]
    public void Decide_TooSlowAfterInstabilityThenAPlateauReduction_DoesNotRaiseAgain()
    {
        // The ping-pong of a run the blow-up left stuck: cut, raise, plateau reduction, raise, reduction...
        var policy = new DoctorPolicy(new DoctorSpec { RaiseFactor = 3, RaiseCeiling = 0.5 });
        Assert.NotNull(policy.Decide(Found(Symptoms.NanExplosion), 8));
        Assert.NotNull(policy.Decide(Found(Symptoms.TooSlow), 0.8, scale: 0.1));

        policy.OnPlateauReduction();

        Assert.True(policy.PlateauReducedSinceRaise);
        Assert.Null(policy.Decide(Found(Symptoms.TooSlow), 0.24, scale: 0.03));
        policy.Restore(policy.Rollbacks, policy.LastUnstableLr, plateauReducedSinceRaise: false);
        Assert.NotNull(policy.Decide(Found(Symptoms.TooSlow), 0.24, scale: 0.03));
    }
}
