using LrDoctor.Storage;
using Microsoft.Extensions.Options;

namespace LrDoctor.Hosting;

/// <summary>Deletes finished runs past <see cref="StorageOptions.RetentionDays"/> or beyond <see cref="StorageOptions.MaxFinishedRuns"/>, with their checkpoints, once an hour.</summary>
internal sealed partial class StorageRetention(
    IRunStore store,
    IOptions<StorageOptions> storage,
    IOptions<SupervisorOptions> supervisor,
    TimeProvider time,
    ILogger<StorageRetention> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Deletes what the retention options no longer keep; returns the number of runs deleted.</summary>
    internal int Sweep()
    {
        var options = storage.Value;
        if (options.RetentionDays == 0 && options.MaxFinishedRuns == 0)
        {
            return 0;
        }

        long cutoff = time.GetUtcNow().AddDays(-options.RetentionDays).ToUnixTimeMilliseconds();
        var finished = store.ListRuns(0, int.MaxValue).Where(r => r.IsFinished).ToList(); // newest first
        var doomed = new List<StoredRun>();
        for (int i = 0; i < finished.Count; i++)
        {
            bool tooOld = options.RetentionDays > 0 && (finished[i].EndedUnixMs ?? finished[i].CreatedUnixMs) < cutoff;
            bool tooMany = options.MaxFinishedRuns > 0 && i >= options.MaxFinishedRuns;
            if (tooOld || tooMany)
            {
                doomed.Add(finished[i]);
            }
        }

        foreach (var run in doomed)
        {
            store.DeleteRun(run.Id);
            string checkpoints = Path.Combine(supervisor.Value.CheckpointDirectory, run.Id);
            if (Directory.Exists(checkpoints))
            {
                Directory.Delete(checkpoints, recursive: true);
            }
        }

        if (doomed.Count > 0)
        {
            LogDeleted(doomed.Count);
        }

        return doomed.Count;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            Sweep();
            try
            {
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Retention deleted {Count} finished run(s)")]
    private partial void LogDeleted(int count);
}
