using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;

namespace LrDoctor.Cli;

/// <summary>Feeds the progress bar and keeps the preflight advice for the final report.</summary>
internal sealed class ProgressSink : IRunSink
{
    /// <summary>Gets or sets the callback for each step record.</summary>
    public Action<StepRecord>? OnRecord { get; set; }

    /// <summary>Gets the preflight advice events.</summary>
    public List<RunEvent> Advice { get; } = [];

    /// <inheritdoc/>
    public void OnStep(in StepRecord record) => OnRecord?.Invoke(record);

    /// <inheritdoc/>
    public void OnFinding(Finding finding)
    {
    }

    /// <inheritdoc/>
    public void OnEvent(RunEvent runEvent)
    {
        if (runEvent.Kind == EventKind.Advice)
        {
            Advice.Add(runEvent);
        }
    }
}
