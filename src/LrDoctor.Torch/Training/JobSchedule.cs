using LrDoctor.Core.Jobs;
using LrDoctor.Core.Schedules;

namespace LrDoctor.Torch.Training;

/// <summary>The schedule of a job: its <c>schedule</c> spec over the batch-scaled LR, or a constant LR.</summary>
internal static class JobSchedule
{
    /// <summary>Creates the schedule of <paramref name="job"/>.</summary>
    public static ILrSchedule Create(JobSpec job) => job.Schedule is { } spec
        ? ScheduleFactory.Create(spec, job.ScaledLr)
        : ScheduleFactory.Constant(job.ScaledLr);
}
