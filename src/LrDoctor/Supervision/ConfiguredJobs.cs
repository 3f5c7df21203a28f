namespace LrDoctor.Supervision;

/// <summary>The validated jobs of <c>LrDoctor:Jobs</c>.</summary>
/// <param name="jobs">The jobs in configuration order.</param>
internal sealed class ConfiguredJobs(IReadOnlyList<JobDefinition> jobs)
{
    /// <summary>Gets the jobs.</summary>
    public IReadOnlyList<JobDefinition> Jobs { get; } = jobs;
}
