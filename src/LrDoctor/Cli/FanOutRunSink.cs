using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;

namespace LrDoctor.Cli;

/// <summary>Sends everything a run records to several sinks in turn.</summary>
/// <param name="sinks">The sinks.</param>
internal sealed class FanOutRunSink(IReadOnlyList<IRunSink> sinks) : IRunSink
{
    /// <inheritdoc/>
    public void OnStep(in StepRecord record)
    {
        foreach (var sink in sinks)
        {
            sink.OnStep(record);
        }
    }

    /// <inheritdoc/>
    public void OnFinding(Finding finding)
    {
        foreach (var sink in sinks)
        {
            sink.OnFinding(finding);
        }
    }

    /// <inheritdoc/>
    public void OnEvent(RunEvent runEvent)
    {
        foreach (var sink in sinks)
        {
            sink.OnEvent(runEvent);
        }
    }

    /// <inheritdoc/>
    public void OnArtifact(string kind, string json)
    {
        foreach (var sink in sinks)
        {
            sink.OnArtifact(kind, json);
        }
    }
}
