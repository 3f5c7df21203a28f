using LrDoctor.Core.Alerts;
using LrDoctor.Core.Runs;

namespace LrDoctor.Core.Tests.Alerts;

public sealed class AlertTriageTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 22, 40, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("cut_lr", RunCommandKind.ScaleLr, 0.5)]
    [InlineData("reduce_on_plateau", RunCommandKind.ScaleLr, 0.1)]
    [InlineData("rollback_and_cut", RunCommandKind.RollbackAndCut, null)]
    public void Decide_FiringAlertWithRunAndAction_AppliesMappedCommandNamingTheAlert(string action, RunCommandKind kind, double? factor)
    {
        var triage = new AlertTriage();

        var decision = Assert.Single(triage.Decide(Payload(Alert("fp1", Start, action: action))));

        Assert.Equal(AlertOutcome.Apply, decision.Outcome);
        Assert.Equal("r1", decision.RunId);
        Assert.Equal(kind, decision.Command!.Kind);
        Assert.Equal(factor, decision.Command.Value);
        Assert.Contains("LrDoctorLossSpike", decision.Command.Reason, StringComparison.Ordinal);
        Assert.Contains("fp1", decision.Command.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ConfiguredFactors_UsesThem()
    {
        var triage = new AlertTriage(new AlertActionFactors(CutLr: 0.25, ReduceOnPlateau: 0.3));

        var decisions = triage.Decide(Payload(Alert("a", Start, action: "cut_lr"), Alert("b", Start, action: "reduce_on_plateau")));

        Assert.Equal([0.25, 0.3], decisions.Select(d => d.Command!.Value!.Value));
    }

    [Fact]
    public void Decide_RepeatOfSameFiringPeriod_ChangesNothing()
    {
        var triage = new AlertTriage();
        triage.Decide(Payload(Alert("fp1", Start)));

        var repeat = Assert.Single(triage.Decide(Payload(Alert("fp1", Start))));

        Assert.Equal(AlertOutcome.Repeat, repeat.Outcome);
        Assert.Null(repeat.Command);
    }

    [Fact]
    public void Decide_ResolvedThenFiringAgain_AppliesAgain()
    {
        var triage = new AlertTriage();
        triage.Decide(Payload(Alert("fp1", Start)));

        var resolved = Assert.Single(triage.Decide(Payload(Alert("fp1", Start, status: "resolved"))));
        var again = Assert.Single(triage.Decide(Payload(Alert("fp1", Start.AddMinutes(3)))));
        var late = Assert.Single(triage.Decide(Payload(Alert("fp1", Start))));

        Assert.Equal(AlertOutcome.Resolved, resolved.Outcome);
        Assert.Null(resolved.Command);
        Assert.Equal(AlertOutcome.Apply, again.Outcome);
        Assert.Equal(AlertOutcome.Repeat, late.Outcome);
    }

    [Fact]
    public void Decide_DifferentFingerprintsInOneNotification_AppliesEach()
    {
        var triage = new AlertTriage();

        var decisions = triage.Decide(Payload(Alert("a", Start), Alert("b", Start), Alert("a", Start)));

        Assert.Equal([AlertOutcome.Apply, AlertOutcome.Apply, AlertOutcome.Repeat], decisions.Select(d => d.Outcome));
    }

    [Fact]
    public void Decide_SameAlertFromTwoNotificationsAtOnce_AppliesOnce()
    {
        var triage = new AlertTriage();
        var payload = Payload(Alert("fp1", Start));

        var outcomes = Enumerable.Range(0, 8).AsParallel().Select(_ => Assert.Single(triage.Decide(payload)).Outcome).ToList();

        Assert.Equal(1, outcomes.Count(o => o == AlertOutcome.Apply));
    }

    [Theory]
    [InlineData("none", AlertOutcome.NotifyOnly)]
    [InlineData(null, AlertOutcome.NotifyOnly)]
    [InlineData("raise_the_roof", AlertOutcome.UnknownAction)]
    public void Decide_AlertWithoutAppliedAction_ChangesNothing(string? action, AlertOutcome expected)
    {
        var triage = new AlertTriage();

        var decision = Assert.Single(triage.Decide(Payload(Alert("fp1", Start, action: action))));

        Assert.Equal(expected, decision.Outcome);
        Assert.Null(decision.Command);
        Assert.Equal(0, triage.Remembered);
    }

    [Fact]
    public void Decide_AlertWithoutRunLabel_ChangesNothing()
    {
        var decision = Assert.Single(new AlertTriage().Decide(Payload(Alert("fp1", Start, run: null))));

        Assert.Equal(AlertOutcome.NoRun, decision.Outcome);
        Assert.Null(decision.Command);
    }

    [Fact]
    public void Decide_MoreFingerprintsThanCapacity_ForgetsOldestFiringPeriods()
    {
        var triage = new AlertTriage(capacity: 2);
        triage.Decide(Payload(Alert("old", Start), Alert("mid", Start.AddMinutes(1)), Alert("new", Start.AddMinutes(2))));

        var decisions = triage.Decide(Payload(Alert("new", Start.AddMinutes(2)), Alert("mid", Start.AddMinutes(1))));

        Assert.Equal(2, triage.Remembered);
        Assert.Equal([AlertOutcome.Repeat, AlertOutcome.Repeat], decisions.Select(d => d.Outcome));
    }

    private static AlertmanagerPayload Payload(params AlertmanagerAlert[] alerts) =>
        new("4", alerts.Any(a => a.IsFiring) ? "firing" : "resolved", "lrdoctor", "{}", alerts);

    private static AlertmanagerAlert Alert(string fingerprint, DateTimeOffset startsAt, string status = "firing", string? run = "r1", string? action = "rollback_and_cut")
    {
        var labels = new Dictionary<string, string> { ["alertname"] = "LrDoctorLossSpike", ["symptom"] = "spike", ["severity"] = "warning" };
        if (run is not null)
        {
            labels["run"] = run;
        }

        if (action is not null)
        {
            labels["action"] = action;
        }

        var annotations = new Dictionary<string, string> { ["summary"] = "Run r1: the loss jumped" };
        return new AlertmanagerAlert(status, labels, annotations, startsAt, status == "resolved" ? startsAt.AddMinutes(1) : null, fingerprint, null);
    }
}
