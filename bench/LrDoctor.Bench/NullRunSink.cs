using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;

namespace LrDoctor.Bench;

/// <summary>A sink that keeps only counts, so benchmarks measure the engine, not the sink.</summary>
internal sealed class NullRunSink : IRunSink
{
    /// <summary>Gets the number of step records received.</summary>
    public long Steps { get; private set; }

    /// <inheritdoc/>
    public void OnStep(in StepRecord record) => Steps++;

    /// <inheritdoc/>
    public void OnFinding(Finding finding)
    {
    }

    /// <inheritdoc/>
    public void OnEvent(RunEvent runEvent)
    {
    }
}
