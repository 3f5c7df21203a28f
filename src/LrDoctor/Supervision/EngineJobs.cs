using LrDoctor.Core.Jobs;

namespace LrDoctor.Supervision;

/// <summary>The one place the daemon asks the training engine whether a job spec is valid.</summary>
internal static class EngineJobs
{
    /// <summary>Validates a job spec with the engine's parser.</summary>
    /// <exception cref="Core.SpecException">The spec is invalid; names the field.</exception>
    public static JobSpec Validate(string jobJson) => JobSpec.Parse(jobJson);
}
