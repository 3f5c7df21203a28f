using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;

namespace LrDoctor.Torch.Tests.Infrastructure;

/// <summary>A sink that keeps everything a run sends, for assertions.</summary>
internal sealed class RecordingSink : IRunSink
{
    public List<StepRecord> Steps { get; } = [];

    public List<Finding> Findings { get; } = [];

    public List<RunEvent> Events { get; } = [];

    public Action<StepRecord>? OnEachStep { get; set; }

    public Action<RunEvent>? OnEachEvent { get; set; }

    public void OnStep(in StepRecord record)
    {
        Steps.Add(record);
        OnEachStep?.Invoke(record);
    }

    public void OnFinding(Finding finding) => Findings.Add(finding);

    public void OnEvent(RunEvent runEvent)
    {
        Events.Add(runEvent);
        OnEachEvent?.Invoke(runEvent);
    }
}
