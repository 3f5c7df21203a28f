using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Runs;

/// <summary>Where a training run sends what it records: a CSV file, the worker's standard output, the daemon's storage.</summary>
/// <remarks>Called on the training thread; an implementation must return quickly (queue, do not write synchronously to a database).</remarks>
public interface IRunSink
{
    /// <summary>Records one step.</summary>
    /// <param name="record">The step record.</param>
    void OnStep(in StepRecord record);

    /// <summary>Records a finding of the detectors.</summary>
    /// <param name="finding">The finding.</param>
    void OnFinding(Finding finding);

    /// <summary>Records an event (intervention, advice, resume, ...).</summary>
    /// <param name="runEvent">The event.</param>
    void OnEvent(RunEvent runEvent);

    /// <summary>Attaches a named JSON artifact to the run (for example the LR range test result, kind <c>lr_finder</c>).</summary>
    /// <param name="kind">The artifact kind, a stable lower-case identifier.</param>
    /// <param name="json">The artifact, serialised with <see cref="Json.LrDoctorJson.Options"/>.</param>
    void OnArtifact(string kind, string json)
    {
    }
}
