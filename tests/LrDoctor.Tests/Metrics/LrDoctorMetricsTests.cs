using System.Text;
using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;
using LrDoctor.Metrics;
using Prometheus;

namespace LrDoctor.Tests.Metrics;

public sealed class LrDoctorMetricsTests
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly LrDoctorMetrics _metrics;

    public LrDoctorMetricsTests() => _metrics = new LrDoctorMetrics(Prometheus.Metrics.WithCustomRegistry(_registry));

    private async Task<string> ScrapeAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static Finding Spike(long step) =>
        new(Symptoms.Spike, step, Severity.Warning, "lr slightly high", "cut 2x", new Dictionary<string, double> { ["ratio"] = 3 });

    [Fact]
    public async Task OnStep_RecordsStepLossLrGradNormAndDuration()
    {
        _metrics.SetState("r1", RunState.Running);
        _metrics.OnStep("r1", new StepRecord(41, 0.5, 0.7, 0.01, 2.5) { StepSeconds = 0.003, GroupLrs = [0.01, 0.001] });

        string text = await ScrapeAsync();

        Assert.Contains("lrdoctor_run_step{run=\"r1\"} 41", text, StringComparison.Ordinal);
        Assert.Contains("lrdoctor_run_loss{run=\"r1\",split=\"train\"} 0.5", text, StringComparison.Ordinal);
        Assert.Contains("lrdoctor_run_loss{run=\"r1\",split=\"val\"} 0.7", text, StringComparison.Ordinal);
        Assert.Contains("lrdoctor_run_learning_rate{run=\"r1\",group=\"1\"} 0.001", text, StringComparison.Ordinal);
        Assert.Contains("lrdoctor_run_grad_norm{run=\"r1\"} 2.5", text, StringComparison.Ordinal);
        Assert.Contains("lrdoctor_step_duration_seconds_count{run=\"r1\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("lrdoctor_run_state{run=\"r1\",state=\"running\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("lrdoctor_run_state{run=\"r1\",state=\"queued\"} 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnFindingThenIntervention_CountsAndClearsTheActiveSymptom()
    {
        _metrics.OnFinding("r1", Spike(10));
        _metrics.OnFinding("r1", Spike(20));
        string active = await ScrapeAsync();
        _metrics.OnEvent("r1", new RunEvent(21, EventKind.RollbackAndCut, "rolled back", 0) { Symptom = Symptoms.Spike });
        _metrics.OnEvent("r1", new RunEvent(22, EventKind.Advice, "warm up", 0));
        string treated = await ScrapeAsync();

        Assert.Contains("lrdoctor_symptom_active{run=\"r1\",symptom=\"spike\"} 1", active, StringComparison.Ordinal);
        Assert.Contains("lrdoctor_symptoms_detected_total{run=\"r1\",symptom=\"spike\"} 2", treated, StringComparison.Ordinal);
        Assert.Contains("lrdoctor_symptom_active{run=\"r1\",symptom=\"spike\"} 0", treated, StringComparison.Ordinal);
        Assert.Contains("lrdoctor_interventions_total{run=\"r1\",kind=\"rollback_and_cut\"} 1", treated, StringComparison.Ordinal);
        Assert.DoesNotContain("kind=\"advice\"", treated, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetireRun_RemovesEverySeriesOfThatRunOnly()
    {
        foreach (string run in new[] { "r1", "r2" })
        {
            _metrics.SetState(run, RunState.Running);
            _metrics.OnStep(run, new StepRecord(1, 0.5, 0.6, 0.1, 1.0) { StepSeconds = 0.01, GroupLrs = [0.1, 0.2] });
            _metrics.OnFinding(run, Spike(1));
            _metrics.OnEvent(run, new RunEvent(1, EventKind.CutLr, "cut", 0) { Symptom = Symptoms.Spike });
            _metrics.SetState(run, RunState.Completed);
        }

        _metrics.RetireRun("r1");
        string text = await ScrapeAsync();

        Assert.DoesNotContain("run=\"r1\"", text, StringComparison.Ordinal);
        Assert.Contains("lrdoctor_run_step{run=\"r2\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("lrdoctor_interventions_total{run=\"r2\",kind=\"cut_lr\"} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counters_StepsRecordedAndQueueDepth_AreExported()
    {
        _metrics.OnStepsRecorded(1000);
        _metrics.OnStepsRecorded(24);
        _metrics.SetStorageQueueDepth(7);

        string text = await ScrapeAsync();

        Assert.Contains("lrdoctor_steps_recorded_total 1024", text, StringComparison.Ordinal);
        Assert.Contains("lrdoctor_storage_queue_depth 7", text, StringComparison.Ordinal);
    }
}
