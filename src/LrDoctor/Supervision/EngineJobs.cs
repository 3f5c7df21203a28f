using LrDoctor.Core.Jobs;
using LrDoctor.Core.Schedules;

namespace LrDoctor.Supervision;

/// <summary>The one place the daemon asks the training engine whether a job spec is valid.</summary>
internal static class EngineJobs
{
    /// <summary>Validates a job spec with the engine's parser, and its schedule with the schedule factory, before a worker starts.</summary>
    /// <exception cref="Core.SpecException">The spec is invalid; names the field.</exception>
    public static JobSpec Validate(string jobJson)
    {
        var job = JobSpec.Parse(jobJson);
        if (job.Schedule is { } schedule)
        {
            ScheduleFactory.Create(schedule, job.ScaledLr);
        }

        return job;
    }
}
